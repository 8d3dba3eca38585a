"""Connection settings that every database connection gets, and the fast write path."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from functools import cache

from blinker import Namespace
from flask import has_request_context, request
from sqlalchemy import Column, Table, event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
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
# The busiest form (a hazard report with its photos, event, audit row and message)
# spent most of its time in the Session's and Connection's bookkeeping, not in SQL.
# `write_transaction` runs the same INSERTs with only what a commit needs.

# Sent with the engine after `write_transaction` commits on a connection of its own.
# Commits through a Session or Connection are seen by engine events instead.
rows_committed = Namespace().signal("rows-committed")


@dataclass(frozen=True)
class PreparedInsert:
    """An INSERT into one table of a set of columns, compiled once for a dialect.

    `parameters` makes the statement's parameters from a dict of values as a
    flush would: each column's Python default for a column left out, and each
    type's conversion for the database (datetimes as SQLite stores them).
    """

    sql: str
    keys: tuple[str, ...]  # the columns written
    defaults: tuple  # each column's default (a callable), None where a value is given
    processors: tuple  # each type's conversion, None where the value goes as it is
    order: tuple[str, ...] | None  # positional parameters in this order; None: by name
    returns_id: bool  # the statement ends in RETURNING id; else the cursor's lastrowid

    def parameters(self, values: dict) -> tuple | dict:
        converted = {}
        for key, default, process in zip(self.keys, self.defaults, self.processors, strict=True):
            value = default(None) if default is not None else values[key]
            converted[key] = process(value) if process is not None else value
        if self.order is None:
            return converted
        return tuple(converted[key] for key in self.order)


@cache
def prepared_insert(dialect: Dialect, table: Table, given: frozenset[str]) -> PreparedInsert:
    """The INSERT of the `given` columns and of every other column with a Python default."""
    unknown = given - set(table.columns.keys())
    if unknown:
        raise KeyError(f"{table.name} has no column {', '.join(sorted(unknown))}")
    columns = [c for c in table.columns if c.key in given or _python_default(c) is not None]
    compiled = table.insert().compile(dialect=dialect, column_keys=[c.key for c in columns])
    return PreparedInsert(
        sql=compiled.string,
        keys=tuple(c.key for c in columns),
        defaults=tuple(None if c.key in given else _python_default(c) for c in columns),
        processors=tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns),
        order=tuple(compiled.positiontup) if dialect.positional else None,
        returns_id=bool(compiled.effective_returning),
    )


def _python_default(column: Column):
    """The column's Python default as SQLAlchemy holds it, a callable of the
    execution context (which these defaults ignore); None if it has none."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return lambda _context, value=default.arg: value
    if default.is_callable:
        return default.arg
    raise TypeError(f"{column}: only plain and callable defaults are supported here")


class RowWriter:
    """INSERTs in an open transaction; `insert` answers the new row's id."""

    def __init__(self, dialect: Dialect):
        self.dialect = dialect

    def insert(self, model, values: dict) -> int:
        statement = prepared_insert(self.dialect, model.__table__, frozenset(values))
        return self._execute(statement, statement.parameters(values))

    def insert_many(self, model, rows: list[dict]) -> None:
        for values in rows:
            self.insert(model, values)

    def _execute(self, statement: PreparedInsert, parameters) -> int:
        raise NotImplementedError


class _SessionRows(RowWriter):
    """Through the session's connection, in the session's transaction."""

    def __init__(self, connection: Connection):
        super().__init__(connection.dialect)
        self.connection = connection

    def _execute(self, statement, parameters):
        result = self.connection.exec_driver_sql(statement.sql, parameters)
        return result.scalar_one() if statement.returns_id else result.lastrowid


class _DirectRows(RowWriter):
    """Straight on a DBAPI cursor."""

    def __init__(self, dialect: Dialect, cursor):
        super().__init__(dialect)
        self.cursor = cursor

    def _execute(self, statement, parameters):
        self.cursor.execute(statement.sql, parameters)
        return self.cursor.fetchone()[0] if statement.returns_id else self.cursor.lastrowid


def write_transaction() -> AbstractContextManager[RowWriter]:
    """Rows inserted in one transaction: committed when the block ends, rolled back if it raises.

    When the session is already in a transaction (its caller has read or
    changed something, as Open311 marks its key used), the rows join it and
    the session commits them together with its own changes. Otherwise they are
    written on a connection of their own from the pool, with no Session or
    Connection around it. Either way a database error is raised as SQLAlchemy's
    (IntegrityError, OperationalError), as a flush would raise it.
    """
    session = db.session()
    if session.in_transaction():
        return _session_transaction(session)
    return _direct_transaction(db.engine)


@contextmanager
def _session_transaction(session) -> Iterator[RowWriter]:
    try:
        yield _SessionRows(session.connection())
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def _direct_transaction(engine: Engine) -> Iterator[RowWriter]:
    """BEGIN IMMEDIATE on SQLite (the write lock at once, as for any form); the
    page cache hears of the commit through `rows_committed`."""
    dialect = engine.dialect
    with _as_sqlalchemy_errors(dialect):
        connection = engine.raw_connection()
    try:
        with _as_sqlalchemy_errors(dialect):
            cursor = connection.cursor()
            if dialect.name == "sqlite":
                cursor.execute("BEGIN IMMEDIATE")
            yield _DirectRows(dialect, cursor)
            connection.commit()
    except BaseException:
        with suppress(Exception):  # a connection that is gone has nothing to roll back
            connection.rollback()
        raise
    finally:
        connection.close()
    rows_committed.send(engine)


@contextmanager
def _as_sqlalchemy_errors(dialect: Dialect) -> Iterator[None]:
    """Raise the driver's errors as SQLAlchemy's. (A connection the server closed
    fails its reset when it goes back to the pool, and the pool drops it.)"""
    try:
        yield
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error


def adopt_saved(instance):
    """Put an object built from a committed row's values into the session, as if loaded.

    Nothing is written; attributes the values left out are read when first used.
    """
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance
