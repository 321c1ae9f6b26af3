"""SQLite writers queue on the write gate: in turn across threads and processes, released on commit
and on rollback; a state-changing request takes it at its first write, not at its first read."""
import fcntl
import multiprocessing
import os
import time

import pytest
from flask import Flask
from sqlalchemy import column, create_engine, select, table, text

from academy.core.database import configure_sqlite

pytestmark = pytest.mark.own_database
log_table = table("log", column("at"), column("who"))


@pytest.fixture
def engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    configure_sqlite(engine)
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE log (at REAL, who TEXT)"))
        connection.commit()
    yield engine
    engine.dispose()


def write(engine, who, hold=0.0):
    with engine.connect().execution_options(sqlite_write_lock=True) as connection:
        connection.execute(text("INSERT INTO log VALUES (:at, :who)"), {"at": time.time(), "who": f"{who} in"})
        time.sleep(hold)
        connection.execute(text("INSERT INTO log VALUES (:at, :who)"), {"at": time.time(), "who": f"{who} out"})
        connection.commit()


def _hold_in_child(url, ready):
    child = create_engine(url)
    configure_sqlite(child)
    with child.connect().execution_options(sqlite_write_lock=True) as connection:
        connection.execute(text("INSERT INTO log VALUES (:at, 'child in')"), {"at": time.time()})
        ready.set()
        time.sleep(0.5)
        connection.execute(text("INSERT INTO log VALUES (:at, 'child out')"), {"at": time.time()})
        connection.commit()


def gate_is_free(engine) -> bool:
    descriptor = os.open(f"{engine.url.database}-writelock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)


def test_a_writer_in_another_process_holds_the_gate_until_it_commits(engine):
    ready = multiprocessing.get_context("fork").Event()
    child = multiprocessing.get_context("fork").Process(target=_hold_in_child, args=(str(engine.url), ready))
    child.start()
    assert ready.wait(10)
    assert not gate_is_free(engine)
    write(engine, "parent")  # waits its turn, then writes
    child.join(10)
    assert gate_is_free(engine)
    with engine.connect() as connection:
        order = [row.who for row in connection.execute(text("SELECT who FROM log ORDER BY rowid"))]
    assert order == ["child in", "child out", "parent in", "parent out"]


def test_the_gate_opens_again_after_a_rollback(engine):
    with engine.connect().execution_options(sqlite_write_lock=True) as connection:
        connection.execute(text("INSERT INTO log VALUES (0, 'undone')"))
        connection.rollback()
    assert gate_is_free(engine)
    write(engine, "next")
    with engine.connect() as connection:
        assert [row.who for row in connection.execute(text("SELECT who FROM log"))] == ["next in", "next out"]


# -- a state-changing request takes the lock at its first write ------------------------------------

def holds_a_transaction(connection) -> bool:
    return connection.connection.driver_connection.in_transaction


def count(connection) -> int:
    return connection.execute(text("SELECT count(*) FROM log")).scalar()


@pytest.fixture
def request_of():
    app = Flask(__name__)
    return lambda method: app.test_request_context("/", method=method)


def test_a_post_reads_without_the_lock_and_takes_it_at_its_first_write(engine, request_of):
    with request_of("POST"), engine.connect() as connection:
        assert count(connection) == 0
        assert not holds_a_transaction(connection) and gate_is_free(engine)
        write(engine, "other")  # another writer is not kept waiting by our reads
        assert count(connection) == 2  # and each read sees what was committed meanwhile
        connection.execute(text("INSERT INTO log VALUES (0, 'ours')"))
        assert holds_a_transaction(connection) and not gate_is_free(engine)
        connection.commit()
    assert gate_is_free(engine)
    with engine.connect() as connection:
        assert count(connection) == 3


@pytest.mark.parametrize("first_write", [
    lambda connection: connection.execute(select(log_table).with_for_update()),
    lambda connection: connection.begin_nested(),
], ids=["select for update", "savepoint"])
def test_a_locking_read_or_a_savepoint_counts_as_a_write(engine, request_of, first_write):
    with request_of("POST"), engine.connect() as connection:
        count(connection)
        first_write(connection)
        assert holds_a_transaction(connection) and not gate_is_free(engine)
        connection.rollback()
    assert gate_is_free(engine)


def test_a_post_that_writes_nothing_never_takes_the_lock(engine, request_of):
    with request_of("POST"), engine.connect() as connection:
        count(connection)
        connection.commit()
        assert gate_is_free(engine)
        count(connection)  # the next transaction on the same connection starts afresh
        assert not holds_a_transaction(connection)


def test_a_get_reads_one_snapshot_without_the_lock(engine, request_of):
    with request_of("GET"), engine.connect() as connection:
        assert count(connection) == 0
        assert holds_a_transaction(connection) and gate_is_free(engine)
        write(engine, "other")
        assert count(connection) == 0  # its snapshot: a page reads consistent data
