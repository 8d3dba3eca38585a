"""Connection settings that every database connection gets."""

from functools import cache

from flask import has_request_context, request
from sqlalchemy import Insert, Table, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import make_transient_to_detached

from webapp.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _may_write() -> bool:
    return has_request_context() and request.method not in READ_ONLY_METHODS


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout on each new SQLite connection.

    Transactions of requests that may write (POST and the like) begin with
    BEGIN IMMEDIATE: they take SQLite's write lock at once and queue on the
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


def commit_keeping_values() -> None:
    """Commit, and keep the values of the objects just saved.

    A request that has saved a record and then names it (the reference on the
    redirect) would otherwise read it back in a second transaction, which for
    a form is a second turn at SQLite's write lock.
    """
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


# --- Hot writes without the unit of work ---------------------------------------
# A form that saves several rows at once (a hazard report with its photos, event,
# audit row and message) spends most of its time in the ORM's flush, not in SQL.
# These run the same INSERTs as Core statements in the session's transaction.


def insert_row(connection: Connection, model, values: dict) -> int:
    """INSERT one row into the model's table; its new id.

    `connection` is the session's (`db.session.connection()`), so the row is in
    the session's transaction, which the caller commits. Column defaults apply
    as in a flush.
    """
    return connection.execute(_insert(model.__table__), values).inserted_primary_key[0]


def insert_rows(connection: Connection, model, rows: list[dict]) -> None:
    """INSERT several rows into the model's table, as `insert_row` does one."""
    if rows:
        connection.execute(_insert(model.__table__), rows)


@cache
def _insert(table: Table) -> Insert:
    return table.insert()


def adopt_saved(instance):
    """Put an object built from a committed row's values into the session, as if loaded.

    Nothing is written; attributes the values left out are read when first used.
    """
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance
