"""Engine set-up that makes SQLite behave like a real transactional database."""
from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def wants_write_lock(connection) -> bool:
    """State-changing requests (and code that asks for it) take SQLite's write lock at BEGIN.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another writer got in between; BEGIN IMMEDIATE instead waits its turn (busy_timeout)."""
    if connection.get_execution_options().get("sqlite_write_lock"):
        return True
    return has_request_context() and request.method not in READ_ONLY_METHODS


def configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL for concurrent readers, and transactions that SQLAlchemy controls.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we emit BEGIN ourselves
    (the recipe in SQLAlchemy's SQLite dialect documentation).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if wants_write_lock(connection) else "BEGIN")


def begin_write(session) -> None:
    """Start the session's transaction holding SQLite's write lock (no-op elsewhere).

    Requests get this from their method; call it first in code outside a request that reads and
    then writes while others may write too (background jobs, concurrent scripts)."""
    session.connection(execution_options={"sqlite_write_lock": True})
