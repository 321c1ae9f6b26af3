"""SQLite writers queue on the write gate: in turn across threads and processes, released on commit
and on rollback."""
import fcntl
import multiprocessing
import os
import time

import pytest
from sqlalchemy import create_engine, text

from academy.core.database import configure_sqlite

pytestmark = pytest.mark.own_database


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
