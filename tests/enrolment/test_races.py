"""Concurrent enrolment on a real database, with every thread on its own connection.

Each thread first reads and checks (the course has free seats; the worker may enrol), then waits at a
barrier, so that every check has happened before any write; then all write at once. A count-then-
insert design oversells here; ours must not.
"""
import threading

import pytest
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from academy import create_app
from academy.config import TestConfig
from academy.core.database import begin_write
from academy.courses import operations as course_ops
from academy.courses.models import Course
from academy.enrolment import operations as ops
from academy.enrolment import rules
from academy.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus as S
from academy.extensions import db
from academy.orgs.reference import seed_org_units
from academy.programmes.reference import seed_programmes
from tests import factories

THREADS = 16
pytestmark = pytest.mark.own_database


@pytest.fixture(params=["sqlite", "postgresql"])
def race_app(request, tmp_path):
    """A separate app and database whose data is really committed, shared by the threads."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'race.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = url
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": THREADS + 4, "max_overflow": 0}
    app = create_app(config)
    with app.app_context():
        upgrade()
        seed_org_units()
        seed_programmes()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run_together(app, jobs):
    """Run each job(barrier) in its own thread and app context; return results or exceptions."""
    barrier = threading.Barrier(len(jobs), timeout=60)
    results = [None] * len(jobs)

    def runner(index, job):
        with app.app_context():
            try:
                results[index] = job(barrier)
                db.session.commit()
            except Exception as error:  # collected and asserted on by the test
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def committed(app, make_rows):
    with app.app_context():
        rows = make_rows()
        db.session.commit()
        ids = [row.id for row in rows]
        db.session.remove()
        return ids


def enrol_job(course_id, worker_id, as_request=False):
    """`as_request`: run as a POST request does, reading without the lock and taking it at the first
    write; else read in one transaction, then write in another that takes the lock at BEGIN."""
    def job(barrier):
        if as_request:
            with current_app.test_request_context("/", method="POST"):
                return enrol_after(barrier)
        return enrol_after(barrier, begin=True)

    def enrol_after(barrier, begin=False):
        course = db.session.get(Course, course_id)
        worker = db.session.get(factories.User, worker_id)
        option = rules.enrol_option(course, worker)  # the check: a seat looks free to everyone
        assert option.action == "enrol", option.reasons
        if begin:
            db.session.commit()  # end the reading transaction (SQLite readers keep a snapshot)
        barrier.wait()
        if begin:
            begin_write(db.session)
            course, worker = db.session.get(Course, course_id), db.session.get(factories.User, worker_id)
        return ops.enrol(course, worker).status
    return job


@pytest.mark.parametrize("as_request", [False, True], ids=["lock at begin", "lock at first write"])
def test_the_last_seats_go_to_exactly_capacity_workers(race_app, as_request):
    capacity = 5

    def setup():
        course = factories.create_course(capacity=capacity, sessions=1)
        workers = [factories.create_worker() for _ in range(THREADS)]
        return [course] + workers

    course_id, *worker_ids = committed(race_app, setup)
    results = run_together(race_app, [enrol_job(course_id, worker_id, as_request) for worker_id in worker_ids])

    assert not [r for r in results if isinstance(r, Exception)], {repr(r) for r in results}
    assert sorted(results).count(S.ENROLLED) == capacity
    assert sorted(results).count(S.WAITLISTED) == THREADS - capacity
    with race_app.app_context():
        course = db.session.get(Course, course_id)
        rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course_id)).all()
        assert course.seats_taken == capacity
        assert len(rows) == THREADS and len({row.worker_id for row in rows}) == THREADS
        assert sum(row.status == S.ENROLLED for row in rows) == capacity


def test_freed_seats_go_to_the_waiting_in_order_while_others_enrol(race_app):
    capacity, waiting, leaving, newcomers, raise_by = 8, 8, 4, THREADS - 5, 3

    def setup():
        course = factories.create_course(capacity=capacity, sessions=1)
        holders = [factories.create_worker() for _ in range(capacity)]
        queue = [factories.create_worker() for _ in range(waiting)]
        fresh = [factories.create_worker() for _ in range(newcomers)]
        admin = factories.create_admin()
        for worker in holders + queue:  # in this order: the queue is FIFO
            ops.enrol(course, worker)
        db.session.commit()
        return [course, admin] + holders + queue + fresh

    ids = committed(race_app, setup)
    course_id, admin_id = ids[:2]
    holder_ids = ids[2:2 + capacity]
    queue_ids = ids[2 + capacity:2 + capacity + waiting]
    fresh_ids = ids[2 + capacity + waiting:]

    def withdraw_job(worker_id):
        def job(barrier):
            enrolment = db.session.scalar(select(Enrolment).where(
                Enrolment.course_id == course_id, Enrolment.worker_id == worker_id))
            assert enrolment.status == S.ENROLLED
            db.session.commit()
            barrier.wait()
            begin_write(db.session)
            enrolment = db.session.get(Enrolment, enrolment.id)
            ops.withdraw(enrolment, actor=enrolment.worker)
            return "withdrawn"
        return job

    def capacity_job(barrier):
        db.session.get(Course, course_id)
        db.session.commit()
        barrier.wait()
        begin_write(db.session)
        course = db.session.get(Course, course_id)
        course_ops.update_course(course, actor=db.session.get(factories.User, admin_id),
                                 capacity=capacity + raise_by)
        return "raised"

    def newcomer_job(worker_id):
        def job(barrier):
            db.session.get(Course, course_id)
            db.session.commit()
            barrier.wait()
            begin_write(db.session)
            return ops.enrol(db.session.get(Course, course_id), db.session.get(factories.User, worker_id)).status
        return job

    jobs = [withdraw_job(i) for i in holder_ids[:leaving]] + [capacity_job] + [newcomer_job(i) for i in fresh_ids]
    assert len(jobs) == THREADS
    results = run_together(race_app, jobs)
    assert not [r for r in results if isinstance(r, Exception)], results

    freed = leaving + raise_by
    with race_app.app_context():
        course = db.session.get(Course, course_id)
        by_worker = {row.worker_id: row for row in db.session.scalars(
            select(Enrolment).where(Enrolment.course_id == course_id))}
        assert course.capacity == capacity + raise_by
        assert course.seats_taken == course.capacity
        assert sum(row.status == S.ENROLLED for row in by_worker.values()) == course.capacity
        # The first `freed` workers in the queue got the seats, the rest still wait, newcomers behind them.
        assert [by_worker[i].status for i in queue_ids] == [S.ENROLLED] * freed + [S.WAITLISTED] * (waiting - freed)
        assert all(by_worker[i].status == S.WAITLISTED for i in fresh_ids)
        for worker_id in queue_ids[:freed]:
            promotions = db.session.scalars(select(EnrolmentEvent).where(
                EnrolmentEvent.enrolment_id == by_worker[worker_id].id,
                EnrolmentEvent.to_status == S.ENROLLED)).all()
            assert len(promotions) == 1
        remaining = [i for i in queue_ids[freed:]] + fresh_ids
        waiting_rows = sorted((by_worker[i] for i in remaining), key=lambda r: (r.queued_at, r.id))
        assert [row.worker_id for row in waiting_rows][:waiting - freed] == queue_ids[freed:]


def test_two_tabs_re_enrolling_at_once_take_one_seat(race_app):
    """Both requests read the withdrawn enrolment before either writes: one re-enrols, the other finds
    the status changed under it and fails as a whole (its seat given back), instead of taking a second
    seat and recording a second enrolment."""
    def setup():
        course = factories.create_course(capacity=5, sessions=1)
        worker = factories.create_worker()
        enrolment = ops.enrol(course, worker)
        ops.withdraw(enrolment, actor=worker)
        return [course, worker]

    course_id, worker_id = committed(race_app, setup)
    tabs = 4
    results = run_together(race_app, [enrol_job(course_id, worker_id, as_request=True) for _ in range(tabs)])

    assert results.count(S.ENROLLED) == 1, results
    assert all(isinstance(result, StaleDataError) for result in results if result != S.ENROLLED), results
    with race_app.app_context():
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course_id))
        assert enrolment.status == S.ENROLLED
        assert db.session.get(Course, course_id).seats_taken == 1
        assert db.session.scalar(select(func.count()).select_from(EnrolmentEvent).where(
            EnrolmentEvent.enrolment_id == enrolment.id, EnrolmentEvent.to_status == S.ENROLLED)) == 2
