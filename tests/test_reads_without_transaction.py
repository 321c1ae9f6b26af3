"""A GET that starts with a cached page's versions reads outside a transaction (no BEGIN, no ROLLBACK),
on PostgreSQL and on SQLite; anything else keeps its transaction, and the pool hands the next request
a normal one."""
import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from academy.core.database import configure_sqlite, read_without_transaction

pytestmark = pytest.mark.own_database


@pytest.fixture
def engine(postgres_url):
    engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def in_transaction_on_the_server(session) -> bool:
    """Whether the server sees an open transaction block after a statement: xact_start equals
    statement_timestamp only when the statement began its own (implicit) transaction."""
    return session.execute(text("SELECT now() <> statement_timestamp()")).scalar()


def test_a_get_reads_outside_a_transaction_and_a_post_inside_one(engine):
    app = Flask(__name__)
    with app.test_request_context("/courses", method="GET"), Session(engine) as session:
        read_without_transaction(session)
        session.execute(text("SELECT pg_sleep(0.01)"))
        assert session.connection().connection.driver_connection.autocommit
        assert in_transaction_on_the_server(session) is False
    with app.test_request_context("/courses/1/enrol", method="POST"), Session(engine) as session:
        read_without_transaction(session)
        session.execute(text("SELECT pg_sleep(0.01)"))  # same pooled connection, given back as it was
        assert not session.connection().connection.driver_connection.autocommit
        assert in_transaction_on_the_server(session) is True


def test_a_session_already_in_a_transaction_keeps_it(engine):
    app = Flask(__name__)
    with app.test_request_context("/courses", method="GET"), Session(engine) as session:
        session.execute(text("SELECT 1"))
        read_without_transaction(session)
        session.execute(text("SELECT pg_sleep(0.01)"))
        assert in_transaction_on_the_server(session) is True


def test_on_sqlite_a_get_reads_outside_a_transaction_too(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'reads.db'}", pool_size=1, max_overflow=1)
    configure_sqlite(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    app = Flask(__name__)
    try:
        with app.test_request_context("/courses", method="GET"), Session(engine) as session:
            read_without_transaction(session)
            assert session.execute(text("SELECT count(*) FROM t")).scalar() == 0
            assert not session.connection().connection.driver_connection.in_transaction  # no BEGIN was sent
            with engine.begin() as other:
                other.execute(text("INSERT INTO t VALUES (1)"))
            assert session.execute(text("SELECT count(*) FROM t")).scalar() == 1  # the latest committed data
        with app.test_request_context("/courses", method="GET"), Session(engine) as session:
            session.execute(text("SELECT count(*) FROM t"))  # a pooled connection, in a page's usual snapshot
            assert session.connection().connection.driver_connection.in_transaction
    finally:
        engine.dispose()
