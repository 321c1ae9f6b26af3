"""The enrolment race through the API, on a real database with every request on its own connection: the
last seats go to exactly capacity workers, and one worker's retries with one Idempotency-Key enrol once."""
import threading

import pytest
from sqlalchemy import select

from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus as S
from academy.extensions import db
from tests import factories
from tests.api.helpers import bearer, token_for
from tests.enrolment.test_races import THREADS, committed, race_app  # noqa: F401  (the fixture)

pytestmark = pytest.mark.own_database


def post_together(app, requests):
    """Each (headers, body) POSTed to the enrol endpoint from its own thread, all released at once."""
    barrier = threading.Barrier(len(requests), timeout=60)
    answers = [None] * len(requests)

    def send(index, headers, body):
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/me/enrolments", json=body, headers=headers)
        answers[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def test_the_last_seats_go_to_exactly_capacity_workers_through_the_api(race_app):  # noqa: F811
    capacity = 5

    def setup():
        return [factories.create_course(capacity=capacity)] + [factories.create_worker() for _ in range(THREADS)]

    course_id, *worker_ids = committed(race_app, setup)
    with race_app.app_context():
        tokens = [token_for(db.session.get(factories.User, worker_id)) for worker_id in worker_ids]
        db.session.remove()
    answers = post_together(race_app, [(bearer(token), {"course_id": course_id}) for token in tokens])
    assert {status for status, _ in answers} == {201}, answers
    statuses = [body["status"]["code"] for _, body in answers]
    assert statuses.count("enrolled") == capacity and statuses.count("waitlisted") == THREADS - capacity
    with race_app.app_context():
        assert db.session.get(Course, course_id).seats_taken == capacity
        rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course_id)).all()
        assert sum(row.status == S.ENROLLED for row in rows) == capacity and len(rows) == THREADS


def test_retries_sent_at_once_with_one_key_enrol_once(race_app):  # noqa: F811
    course_id, worker_id = committed(race_app, lambda: [factories.create_course(), factories.create_worker()])
    with race_app.app_context():
        token = token_for(db.session.get(factories.User, worker_id))
        db.session.remove()
    headers = bearer(token, **{"Idempotency-Key": "tap-tap-tap"})
    answers = post_together(race_app, [(headers, {"course_id": course_id})] * 8)
    firsts = [body for status, body in answers if status == 201]
    assert firsts and all(body == firsts[0] for body in firsts)
    assert all(status in (201, 409) for status, _ in answers), answers  # 409: the first is still under way
    with race_app.app_context():
        rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course_id)).all()
        assert len(rows) == 1 and rows[0].status == S.ENROLLED
