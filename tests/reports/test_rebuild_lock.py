"""Rebuilding the summary tables on a live PostgreSQL database loses no count that a write commits
meanwhile: the write waits for the rebuild and adds its increment to the rebuilt rows."""
import threading
import time

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from academy import create_app
from academy.auth.models import User
from academy.config import TestConfig
from academy.courses.models import Course
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.orgs.reference import seed_org_units
from academy.programmes.reference import seed_programmes
from academy.reports import raw_tallies as raw
from tests import factories

pytestmark = [pytest.mark.own_database, pytest.mark.postgres]


def _wait_until(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition was not reached"
        time.sleep(0.02)


def test_a_write_during_a_rebuild_is_not_lost(postgres_url, monkeypatch):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = postgres_url
    app = create_app(config)
    with app.app_context():
        upgrade()
        seed_org_units(), seed_programmes()
        course = factories.create_course(capacity=5)
        first, second = factories.create_worker(), factories.create_worker()
        ops.enrol(course, first)
        db.session.commit()
        course_id, worker_id = course.id, second.id
        db.session.remove()

    def enrol_meanwhile():
        with app.app_context():
            ops.enrol(db.session.get(Course, course_id), db.session.get(User, worker_id))
            db.session.commit()
            db.session.remove()

    writer = threading.Thread(target=enrol_meanwhile)
    observer = create_engine(postgres_url, isolation_level="AUTOCOMMIT")

    def waiting_for_a_lock() -> bool:
        with observer.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")).scalar())

    read = raw.raw_tallies

    def read_then_let_a_write_in(connection):
        fresh = read(connection)
        writer.start()  # commits now, unless the rebuild holds it back until its own commit
        _wait_until(lambda: not writer.is_alive() or waiting_for_a_lock())
        return fresh

    monkeypatch.setattr(raw, "raw_tallies", read_then_let_a_write_in)
    with app.app_context():
        raw.rebuild(db.session.connection())
        db.session.commit()
        db.session.remove()
    writer.join(30)
    monkeypatch.setattr(raw, "raw_tallies", read)
    with app.app_context():
        connection = db.session.connection()
        stored, expected = raw.stored_tallies(connection), raw.without_zeros(raw.raw_tallies(connection))
        enrolled = connection.execute(text("SELECT count(*) FROM enrolments")).scalar()
        db.session.remove()
        db.engine.dispose()
    observer.dispose()
    assert enrolled == 2 and stored == expected
