"""Pooled PostgreSQL connections are checked after resting, not at every checkout: a connection the
server dropped while it rested is replaced before a request sees it."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from academy.core import database

pytestmark = pytest.mark.own_database


@pytest.fixture
def engine(postgres_url):
    engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
    database.ping_after_idle(engine)
    yield engine
    engine.dispose()


def backend_of(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar()


def drop(postgres_url, pid: int) -> None:
    """What a server restart or an idle-connection timeout does to a pooled connection."""
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()


def test_a_connection_dropped_while_it_rested_is_replaced_unseen(engine, postgres_url, monkeypatch):
    first = backend_of(engine)
    drop(postgres_url, first)
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 0.0)  # it has rested long enough to be checked
    with engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != first


def test_a_connection_used_moments_ago_is_not_pinged(engine, postgres_url, monkeypatch):
    monkeypatch.setattr(database, "IDLE_BEFORE_PING", 3600.0)
    drop(postgres_url, backend_of(engine))
    with engine.connect() as connection, pytest.raises(OperationalError):
        connection.execute(text("SELECT 1"))  # trusted without a round trip: the loss shows here, once
    with engine.connect() as connection:  # and the pool has replaced it for the next request
        assert connection.execute(text("SELECT 1")).scalar() == 1
