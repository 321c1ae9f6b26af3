"""What a request does when the database connection under it is lost (a server restart, a failover, a
proxy's idle timeout): a request that only reads runs again once on a fresh connection, unseen; one that
writes is rolled back whole and answered with the 503 "please try again" page.

SQLAlchemy marks such an error `connection_invalidated` and replaces the connection (and every older one
of the pool) itself; read_outside_session does the same for its raw connection."""
import logging
import time

from flask import Flask, g, request
from sqlalchemy import exc

from academy.core.database import READ_ONLY_METHODS
from academy.core.errors import render_error
from academy.extensions import db

log = logging.getLogger(__name__)
LIMITER_LOG = "flask-limiter"
STORE_WARNING_EVERY = 60.0  # seconds


class OncePerInterval(logging.Filter):
    """Let Flask-Limiter's "storage unreachable" warning through at most once per interval: a store that comes
    and goes would otherwise repeat it at every change."""

    def __init__(self, interval: float = STORE_WARNING_EVERY):
        super().__init__()
        self.interval, self.last = interval, None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or "unreachable" not in record.getMessage():
            return True
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            return False
        self.last = now
        return True


def init_rate_limit_fallback() -> None:
    logger = logging.getLogger(LIMITER_LOG)
    if not any(isinstance(existing, OncePerInterval) for existing in logger.filters):
        logger.addFilter(OncePerInterval())


def connection_lost(error: BaseException) -> bool:
    """A connection the server ended (SQLAlchemy invalidated it), or none to be had (a failed connect is the
    one database error without a statement)."""
    return isinstance(error, exc.DBAPIError) and (
        bool(error.connection_invalidated) or (isinstance(error, exc.OperationalError) and error.statement is None))


def init_fault_handling(app: Flask) -> None:
    dispatch = app.full_dispatch_request  # before-request hooks, the view and its error handlers

    def full_dispatch_request():
        try:
            return dispatch()
        except exc.DBAPIError as error:
            if not connection_lost(error):
                raise
            db.session.rollback()  # the server ended the transaction with the connection: nothing of it stays
        if request.method in READ_ONLY_METHODS:
            log.info("database connection lost during %s %s: read again", request.method, request.path)
            g.__dict__.clear()  # what the first run kept (the signed-in user, ...) is loaded again
            try:
                return dispatch()
            except exc.DBAPIError as error:
                if not connection_lost(error):
                    raise
                db.session.rollback()
        log.warning("database connection lost during %s %s: rolled back, answered 503", request.method, request.path)
        g.__dict__.clear()
        g._login_user = app.login_manager.anonymous_user()  # the page asks the database nothing more
        return app.finalize_request(render_error(503), from_error_handler=True)

    app.full_dispatch_request = full_dispatch_request

    @app.teardown_appcontext
    def end_session(error=None):
        """The session ends with the request, before Flask-SQLAlchemy's own teardown (which then finds nothing
        to do). A connection the server ended after the answer was made has no transaction left to roll
        back: the answer stands, and the session is closed again and dropped so that the next request of
        this thread starts on a fresh one (the soak found an export answered 500 for a ROLLBACK refused)."""
        try:
            db.session.remove()
        except exc.DBAPIError as lost:
            if not connection_lost(lost):
                raise
            log.info("database connection lost as a request ended: the answer stands")
            try:
                db.session.close()
            finally:
                db.session.registry.clear()
