"""The read that answers a cached page runs on a pooled connection of its own, outside any transaction
and past the ORM session, on PostgreSQL and on SQLite; the connection goes back to the pool as it was,
and a session that has begun (or a test's, bound to a connection) reads through itself instead. On
PostgreSQL every GET reads in autocommit, and asks for a transaction where a server-side cursor needs one."""
import pytest
from flask import Flask
from sqlalchemy import bindparam, column, create_engine, func, select, table, text
from sqlalchemy.orm import Session

from academy.core.database import configure_postgresql, configure_sqlite, needs_transaction, read_outside_session

pytestmark = pytest.mark.own_database
versions = table("versions", column("name"), column("version"))
# as the caches' statements are: built once, a value bound in the statement and one given at each read
STATEMENT = select(versions.c.version).where(versions.c.name == "public-pages", versions.c.version >= bindparam("least"))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'reads.db'}", pool_size=1, max_overflow=1)
        configure_sqlite(engine)
    else:
        engine = create_engine(request.getfixturevalue("postgres_url"), pool_size=1, max_overflow=1)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS versions"))
        connection.execute(text("CREATE TABLE versions (name VARCHAR(40), version INTEGER)"))
        connection.execute(text("INSERT INTO versions VALUES ('public-pages', 7), ('reports', 3)"))
    yield engine
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE versions"))
    engine.dispose()


def test_a_read_outside_the_session_leaves_the_session_unbegun_and_sees_the_latest_commit(engine):
    with Session(engine) as session:
        assert read_outside_session(session, STATEMENT, {"least": 0}) == [(7,)]
        assert not session.in_transaction()
        with engine.begin() as other:
            other.execute(text("UPDATE versions SET version = 8 WHERE name = 'public-pages'"))
        assert read_outside_session(session, STATEMENT, {"least": 0}) == [(8,)]
        assert read_outside_session(session, STATEMENT, {"least": 9}) == []
        assert not session.in_transaction()


def test_the_pooled_connection_is_left_outside_any_transaction_and_in_its_usual_mode(engine):
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":  # the read was a transaction of its own
            own = select(func.now() == func.statement_timestamp())
            assert read_outside_session(session, own) == [(True,)]
        else:
            read_outside_session(session, STATEMENT, {"least": 0})
    with engine.connect() as connection:  # the same pooled connection (one in the pool)
        driver = connection.connection.driver_connection
        if engine.dialect.name == "postgresql":
            assert driver.autocommit is False and driver.info.transaction_status == 0  # idle, usual mode
        else:
            assert not driver.in_transaction


def test_a_session_that_has_begun_reads_through_its_own_transaction(engine):
    with Session(engine) as session:
        session.execute(text("UPDATE versions SET version = 9 WHERE name = 'public-pages'"))
        assert read_outside_session(session, STATEMENT, {"least": 0}) == [(9,)]  # its own change, unseen elsewhere
        session.rollback()


def test_the_query_counter_counts_a_read_outside_the_session(engine):
    from academy.core.querycount import count_queries

    with Session(engine) as session, count_queries(engine) as counted:
        read_outside_session(session, STATEMENT, {"least": 0})
    assert counted.count == 1


# -- PostgreSQL: GET requests read in autocommit -------------------------------------------------------

@pytest.fixture
def pg_engine(postgres_url):
    engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
    configure_postgresql(engine)
    yield engine
    engine.dispose()


def in_a_transaction(session) -> bool:
    """Whether statements share a transaction: after a first one, now() (the transaction's start) lags."""
    session.execute(text("SELECT pg_sleep(0.01)"))
    return session.execute(text("SELECT now() <> statement_timestamp()")).scalar()


@pytest.mark.parametrize("method, transaction", [("GET", False), ("HEAD", False), ("POST", True)])
def test_a_get_reads_in_autocommit_and_anything_else_in_a_transaction(pg_engine, method, transaction):
    with Flask(__name__).test_request_context("/", method=method), Session(pg_engine) as session:
        assert in_a_transaction(session) is transaction
    with pg_engine.connect() as connection:  # the one pooled connection, back in its usual mode
        assert connection.connection.driver_connection.autocommit is False
        assert in_a_transaction(Session(bind=connection)) is True


def test_a_server_side_cursor_in_a_get_asks_for_its_transaction(pg_engine):
    streamed = "SELECT generate_series(1, 10)"
    with Flask(__name__).test_request_context("/", method="GET"), Session(pg_engine) as session:
        session.execute(text("SELECT 1"))
        needs_transaction(session.connection())
        result = session.connection().exec_driver_sql(streamed, execution_options={"stream_results": True})
        assert sum(len(part) for part in result.partitions(3)) == 10
        assert in_a_transaction(session) is True


def test_a_read_outside_the_session_survives_a_killed_backend(postgres_url):
    """Its raw connection, trusted as used moments ago, was ended by the server: the read is replaced by one
    on a fresh connection, and the pool drops the dead one."""
    from academy.core.database import ping_after_idle

    engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
    ping_after_idle(engine)
    try:
        with Session(engine) as session:
            first = read_outside_session(session, select(func.pg_backend_pid()))[0][0]
            admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
            admin.dispose()
            second = read_outside_session(session, select(func.pg_backend_pid()))[0][0]
            assert second != first
            assert read_outside_session(session, select(func.pg_backend_pid())) == [(second,)]
    finally:
        engine.dispose()
