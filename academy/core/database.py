"""Engine set-up that makes SQLite behave like a real transactional database."""
import fcntl
import os
import threading
import time
from functools import lru_cache

from flask import has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from academy.core.querycount import count_driver_statement

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDLE_BEFORE_PING = 10.0  # seconds a pooled connection may rest before it is checked again
WRITE_PENDING = "academy.write_pending"


def upsert(dialect_name: str, table):
    """INSERT ... ON CONFLICT for the dialect (both databases spell it the same way after this)."""
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql.insert if dialect_name == "postgresql" else sqlite.insert)(table)


LOCK_AT_BEGIN, LOCK_AT_FIRST_WRITE = "begin", "first write"


def write_lock_mode(connection) -> str | None:
    """When a SQLite transaction takes the write lock: at BEGIN for code that asks for it
    (`sqlite_write_lock`, see begin_write), at its first write for a state-changing request, never for
    reads.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another writer got in between; BEGIN IMMEDIATE instead waits its turn (busy_timeout). A request
    reads first (the account, the course, the rules) and writes at the end, so it takes the lock only
    at its first write: other writers wait while it writes, not while it reads and decides. Its reads
    before then run as single statements, each seeing the latest committed data, as PostgreSQL's READ
    COMMITTED does; what they decided is checked again by the writes (the conditional seat UPDATE, the
    UNIQUE constraints, an enrolment changing only from the status it was read in), as on PostgreSQL."""
    if connection.get_execution_options().get("sqlite_write_lock"):
        return LOCK_AT_BEGIN
    if has_request_context() and request.method not in READ_ONLY_METHODS:
        return LOCK_AT_FIRST_WRITE
    return None


def _writes(statement: str, context) -> bool:
    """Anything but a plain SELECT (a SAVEPOINT too); SELECT ... FOR UPDATE locks rows on PostgreSQL
    and so takes the write lock here."""
    if statement.lstrip()[:6].upper() != "SELECT":
        return True
    compiled = getattr(context, "compiled", None)
    return getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None


def needs_row_locks(connection) -> bool:
    """Whether SELECT ... FOR UPDATE does anything here: it locks rows on PostgreSQL; on SQLite it only
    takes the write lock, which a transaction holds already unless its first write is still to come."""
    return connection.dialect.name != "sqlite" or bool(connection.info.get(WRITE_PENDING))


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

    gate = WriteGate(f"{engine.url.database}-writelock") if engine.url.database not in (None, "", ":memory:") \
        else None

    def begin_immediate(connection, run) -> None:
        if gate is not None:
            gate.enter(connection)
        try:
            run("BEGIN IMMEDIATE")
        except BaseException:
            if gate is not None:
                gate.leave(connection)
            raise

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.info.pop(WRITE_PENDING, None)
        mode = write_lock_mode(connection)
        if mode == LOCK_AT_BEGIN:
            begin_immediate(connection, connection.exec_driver_sql)
        elif mode == LOCK_AT_FIRST_WRITE:
            connection.info[WRITE_PENDING] = True  # no BEGIN yet: each read runs on its own
        else:
            connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def on_statement(connection, cursor, statement, parameters, context, executemany):
        if connection.info.get(WRITE_PENDING) and _writes(statement, context):
            del connection.info[WRITE_PENDING]
            begin_immediate(connection, cursor.execute)

    def on_end(connection):
        connection.info.pop(WRITE_PENDING, None)
        if gate is not None:
            gate.leave(connection)

    event.listen(engine, "commit", on_end)
    event.listen(engine, "rollback", on_end)


class WriteGate:
    """Writers queue on a file lock before BEGIN IMMEDIATE.

    SQLite's busy handler makes a waiting writer sleep 1, 2, 5 ... 100 ms between tries, so with a
    few gunicorn workers writing at once most of the time goes to sleeping while the lock is free.
    A blocking flock() wakes the next writer as soon as the previous one commits. The lock is left
    at COMMIT or ROLLBACK (just before SQLite's own, which the next writer then waits out in about a
    millisecond); the kernel frees it if a process dies. A thread lock keeps threads of one process
    in turn too, as flock() is per process.
    """

    def __init__(self, path: str):
        self.path = path
        self.local = threading.Lock()
        self.fd = None
        self.pid = None

    def enter(self, connection) -> None:
        self.local.acquire()
        try:
            if self.pid != os.getpid():  # opened after a fork, under the thread lock: one descriptor per process
                self.fd, self.pid = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.local.release()
            raise
        connection.info["write_gate"] = True

    def leave(self, connection) -> None:
        if connection.info.pop("write_gate", False):
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            self.local.release()


def begin_write(session) -> None:
    """Start the session's transaction holding SQLite's write lock (no-op elsewhere).

    Requests get this from their method; call it first in code outside a request that reads and
    then writes while others may write too (background jobs, concurrent scripts)."""
    session.connection(execution_options={"sqlite_write_lock": True})


def read_outside_session(session, statement, params: dict | None = None) -> list[tuple]:
    """The rows of one read, taken through a pooled connection of its own outside any transaction and
    past the ORM session, which so never begins: no BEGIN and no ROLLBACK (round trips on PostgreSQL),
    no session work at the end of the request. It is the one statement of a page served from a cache,
    so its cost is the floor of every such page; the statement read this way sees the latest committed
    data, as a READ COMMITTED statement does. Rows come as the driver gives them: the statement must
    select plain values (numbers, strings, booleans). A session bound to a connection (a test's) or
    already in a transaction reads through it instead."""
    session = session() if callable(session) else session  # the scoped session's own Session
    bind = session.get_bind()
    if session.in_transaction() or not isinstance(bind, Engine):
        return [tuple(row) for row in session.connection().execute(statement, params or {})]
    compiled = _compiled(statement, bind.dialect)
    values = compiled.construct_params(params or {})  # with the values bound in the statement itself
    if compiled.positional:
        values = tuple(values[name] for name in compiled.positiontup)
    for attempt in (1, 2):  # a connection the server dropped is replaced once, unseen
        raw = bind.raw_connection()
        try:
            return _read_raw(bind, raw, compiled.string, values)
        except bind.dialect.loaded_dbapi.Error as error:
            if not bind.dialect.is_disconnect(error, raw.driver_connection, None):
                raise
            bind.pool._invalidate(raw, error)  # as SQLAlchemy does: this one and every older one are replaced
            if attempt == 2:
                raise exc.DBAPIError.instance(compiled.string, values, error, bind.dialect.loaded_dbapi.Error,
                                              connection_invalidated=True, dialect=bind.dialect) from error
        finally:
            raw.close()
    raise AssertionError("unreachable")


def _read_raw(bind, raw, sql: str, values) -> list[tuple]:
    autocommit = bind.dialect.name == "postgresql"
    driver = raw.driver_connection
    if autocommit:
        leave_transaction(driver)
        driver.autocommit = True  # a SELECT alone: no transaction to begin or end
    try:
        cursor = raw.cursor()
        try:
            count_driver_statement(bind, sql)
            cursor.execute(sql, values)
            return cursor.fetchall()
        finally:
            cursor.close()
    finally:
        if autocommit and not driver.closed:
            driver.autocommit = False


def leave_transaction(driver) -> None:
    """Roll back the transaction the pool's pre-ping began (pool_pre_ping's ping leaves psycopg in one),
    so that autocommit can be switched on; nothing to do (no round trip) on an idle connection."""
    if driver.info.transaction_status != 0:  # psycopg.pq.TransactionStatus.IDLE
        driver.rollback()


@lru_cache(maxsize=64)
def _compiled(statement, dialect):
    """The statement compiled for the driver once (the statements read this way are built once too)."""
    return statement.compile(dialect=dialect)


def configure_postgresql(engine: Engine) -> None:
    """GET requests read in autocommit: each statement is a transaction of its own and sees the latest
    committed data, as it would in the READ COMMITTED transaction it replaces (which gives no snapshot
    across statements either), without the round trips for BEGIN and ROLLBACK (2 ms of a signed-in
    page under load). No GET writes (the route walk proves it); a server-side cursor, which needs a
    transaction, asks for one (needs_transaction). A connection goes back to the pool in its usual
    transactional mode whatever happened to it."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        if has_request_context() and request.method in READ_ONLY_METHODS:
            driver = connection.connection.driver_connection
            leave_transaction(driver)  # idle unless pool_pre_ping has just pinged it
            driver.autocommit = True

    @event.listens_for(engine, "checkin")
    def on_checkin(dbapi_connection, record):
        if dbapi_connection is not None and not dbapi_connection.closed and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False


def needs_transaction(connection) -> None:
    """Run the rest of this request's statements in a transaction (a server-side cursor needs one), when
    a GET began in autocommit on PostgreSQL."""
    driver = connection.connection.driver_connection
    if connection.dialect.name == "postgresql" and driver.autocommit:
        driver.autocommit = False


def ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection before use when it has rested a while (the server may have restarted
    or dropped it meanwhile); one given back moments ago is trusted. A dead one is replaced before the
    request sees it; one that died since it was trusted is met by the request, which core.faults reads
    again or answers 503. Pinging at every checkout, as pool_pre_ping does (DATABASE_PING=pre_ping), costs
    two server transactions per request (docs/performance.md)."""
    if engine.dialect.name == "sqlite":
        return  # a file: nothing to drop the connection

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, proxy):
        rested_since = record.info.get("checked_in_at")
        if rested_since is not None and time.monotonic() - rested_since < IDLE_BEFORE_PING:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as error:  # any failure: the pool discards this connection and takes another
            raise exc.DisconnectionError() from error

    @event.listens_for(engine, "checkin")
    def on_checkin(dbapi_connection, record):
        record.info["checked_in_at"] = time.monotonic()
