"""API answers kept like their pages: a second read costs the versions' check alone, and every commit that
changes what an answer shows is seen by the next read at once (the seats of a course, a worker's own
enrolments), never another caller's answer."""
import logging
from datetime import timedelta

from sqlalchemy import select

from academy.api import tokens
from academy.api.core import configure_access_log
from academy.api.models import ApiScope, ApiToken
from academy.core.permissions import Role
from academy.core.models import now_utc
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


def _kept_for(client, worker, **token_args):
    """A token of `worker` whose record has just been answered twice (the second time from the cache)."""
    token = token_for(worker, **token_args)
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 200
    _body, count = _read(client, "/api/v1/me/record", bearer(token))
    assert count <= 1  # the token, its account and the versions in one statement
    return token


def _row(token):
    return db.session.scalar(select(ApiToken).where(ApiToken.digest == tokens.digest(token)))


def test_a_revoked_token_gets_no_kept_answer(client, make):
    worker = make.create_worker()
    token = _kept_for(client, worker)
    tokens.revoke(_row(token), actor=worker)
    db.session.commit()
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 401


def test_an_expired_token_gets_no_kept_answer(client, make):
    token = _kept_for(client, make.create_worker())
    _row(token).expires_at = now_utc() - timedelta(seconds=1)
    db.session.commit()
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 401


def test_a_deactivated_account_gets_no_kept_answer(client, make):
    worker = make.create_worker()
    token = _kept_for(client, worker)
    worker.active = False
    db.session.commit()
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 401


def test_a_changed_role_gets_no_kept_answer(client, make):
    worker = make.create_worker()
    token = _kept_for(client, worker)
    worker.role = Role.INSTRUCTOR
    db.session.commit()
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 403


def test_another_token_of_the_holder_is_checked_for_its_own_scope(client, make):
    worker = make.create_worker()
    _kept_for(client, worker)
    enrol_only = token_for(worker, scopes=(ApiScope.ENROL,))
    assert client.get("/api/v1/me/record", headers=bearer(enrol_only)).status_code == 403


def test_a_kept_answer_is_written_to_the_access_log(client, make, caplog):
    worker = make.create_worker()
    token = _kept_for(client, worker)
    with caplog.at_level(logging.INFO, logger="academy.api"):
        assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "academy.api"] == [
        f"api token={_row(token).id} user={worker.id} GET /api/v1/me/record 200"]


def test_the_access_log_is_written_where_the_configuration_says_whatever_logging_was_set_up(app, client, make,
                                                                                          tmp_path, monkeypatch):
    """Python drops INFO lines of a logger nobody configured: the access log has its own handler and level."""
    worker = make.create_worker()
    token = token_for(worker)
    path = tmp_path / "api-access.log"
    monkeypatch.setattr(logging.getLogger("academy.api"), "level", logging.NOTSET)  # as in a fresh process
    monkeypatch.setitem(app.config, "API_ACCESS_LOG", str(path))
    configure_access_log(app)
    try:
        assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 200
        assert client.get("/api/v1/me/record", headers=bearer("acad_unknown-secret")).status_code == 401
    finally:
        monkeypatch.setitem(app.config, "API_ACCESS_LOG", "")
        configure_access_log(app)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"api token={_row(token).id} user={worker.id} GET /api/v1/me/record 200")
    assert lines[1].endswith("api refused token acad_unknown: GET /api/v1/me/record")  # its start, never all of it
