"""API answers kept like their pages: a second read costs the versions' check alone, and every commit that
changes what an answer shows is seen by the next read at once (the seats of a course, a worker's own
enrolments), never another caller's answer."""
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.extensions import db
from tests.api.helpers import bearer, token_for


def _read(http, path, headers=None):
    with count_queries(db.engine) as counter:
        response = http.get(path, headers=headers or {})
    assert response.status_code == 200
    return response.get_json(), counter.count


def test_the_course_list_is_kept_until_a_seat_is_taken(client, make):
    course = make.create_course(capacity=5)
    first, computed = _read(client, "/api/v1/courses")
    again, kept = _read(client, "/api/v1/courses")
    assert again == first and kept < computed and kept <= 1
    ops.enrol(course, make.create_worker())
    db.session.commit()
    changed, _count = _read(client, "/api/v1/courses")
    assert changed["items"][0]["seats_left"] == first["items"][0]["seats_left"] - 1


def test_a_worker_s_answers_are_their_own_and_current(client, make):
    worker, other = make.create_worker(), make.create_worker()
    mine, theirs = bearer(token_for(worker)), bearer(token_for(other))
    course = make.create_course()
    assert _read(client, "/api/v1/me/enrolments", mine)[0] == []
    _again, kept = _read(client, "/api/v1/me/enrolments", mine)
    assert kept <= 3  # the token, the worker's version, the versions
    ops.enrol(course, worker)
    db.session.commit()
    assert [item["course"]["id"] for item in _read(client, "/api/v1/me/enrolments", mine)[0]] == [course.id]
    assert _read(client, "/api/v1/me/enrolments", theirs)[0] == []
