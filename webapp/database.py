"""Connection settings that every database connection gets."""

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from webapp.transactions import is_writing

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _may_write() -> bool:
    """A unit of work (webapp/transactions.py), or any request that may change data."""
    if is_writing():
        return True
    return has_request_context() and request.method not in READ_ONLY_METHODS


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout on each new SQLite connection.

    Transactions of units of work and of requests that may write (POST and
    the like) begin with BEGIN IMMEDIATE: they take SQLite's write lock at once and queue on the
    busy timeout, instead of failing half-way with "database is locked" when
    a read is upgraded to a write under concurrency. GET requests, commands
    and tests read from a WAL snapshot without the lock, so that readers
    never wait for each other or for a writer.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # BEGIN is issued below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            # Safe with WAL (no corruption); saves an fsync on every commit.
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = "IMMEDIATE" if _may_write() else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")
