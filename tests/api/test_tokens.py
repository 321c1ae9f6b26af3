"""Personal access tokens: shown once, kept hashed, scoped, expiring, revocable; every refusal a problem."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from academy.api.models import ApiScope, ApiToken
from academy.audit.models import AuditEvent
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db
from tests.api.helpers import bearer, token_for


def test_a_token_is_stored_only_as_its_digest(make):
    worker = make.create_worker()
    token = token_for(worker)
    row = db.session.scalar(select(ApiToken))
    assert token.startswith("dcsa_") and len(token) > 40
    assert token not in (row.digest, row.prefix) and row.prefix == token[:12]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "api_token.create")) == 1


def test_the_token_opens_the_holder_s_own_learning(client, make):
    worker = make.create_worker()
    response = client.get("/api/v1/me/enrolments", headers=bearer(token_for(worker)))
    assert response.status_code == 200 and response.get_json() == []
    assert "Set-Cookie" not in response.headers  # the API signs no one in by cookie


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "Bearer dcsa_no-such-token", "Bearer x" * 20])
def test_a_missing_or_unknown_token_is_a_401_problem(client, make, header):
    make.create_worker()
    response = client.get("/api/v1/me/record", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 401 and body["title"] and body["detail"] and body["type"] == "about:blank"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once(client, make):
    worker = make.create_worker()
    token = token_for(worker)
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 200
    from academy.api import tokens

    tokens.revoke(db.session.scalar(select(ApiToken)), actor=worker)
    db.session.commit()
    response = client.get("/api/v1/me/record", headers=bearer(token, **{"Accept-Language": "en"}))
    assert response.status_code == 401 and "revoked" in response.get_json()["detail"]


def test_an_expired_token_is_refused(client, make):
    worker = make.create_worker()
    token = token_for(worker, days=1)
    row = db.session.scalar(select(ApiToken))
    row.expires_at = now_utc() - timedelta(seconds=1)  # its day is over
    db.session.commit()
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 401


def test_a_closed_account_s_token_is_refused(client, make):
    worker = make.create_worker()
    token = token_for(worker)
    worker.active = False
    db.session.commit()
    assert client.get("/api/v1/me/enrolments", headers=bearer(token)).status_code == 401


def test_a_token_does_only_what_its_scopes_say(client, make):
    worker = make.create_worker()
    course = make.create_course()
    reader = token_for(worker, scopes=[ApiScope.LEARNING_READ])
    response = client.post("/api/v1/me/enrolments", json={"course_id": course.id}, headers=bearer(reader))
    assert response.status_code == 403 and "enrol" in response.get_json()["detail"]
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
    from academy.enrolment.models import Enrolment

    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0
    enroller = token_for(worker, scopes=[ApiScope.ENROL])
    assert client.get("/api/v1/me/record", headers=bearer(enroller)).status_code == 403


def test_a_token_never_carries_more_than_its_holder_s_role(make):
    from academy.api import tokens

    with pytest.raises(OperationError):
        tokens.create(make.create_instructor(), name="x", scopes=[ApiScope.ENROL], days=30)
    with pytest.raises(OperationError):
        tokens.create(make.create_worker(), name="x", scopes=[], days=30)
    with pytest.raises(OperationError):
        tokens.create(make.create_worker(), name="x", scopes=[ApiScope.ENROL], days=400)


def test_a_role_changed_after_the_token_was_made_loses_its_scopes(client, make):
    worker = make.create_worker()
    token = token_for(worker)
    from academy.core.permissions import Role

    worker.role = Role.INSTRUCTOR
    db.session.commit()
    assert client.get("/api/v1/me/enrolments", headers=bearer(token)).status_code == 403


def test_the_account_page_creates_shows_once_and_revokes(client, make, login):
    worker = make.create_worker()
    login(worker)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "learning:read" in page.get_data(as_text=True)
    created = client.post("/account/tokens", data={"name": "小程序", "scopes": ["learning:read"], "days": "30"})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    token = re.search(r"(dcsa_[A-Za-z0-9_-]+)", created.get_data(as_text=True)).group(1)
    assert token not in client.get("/account/tokens").get_data(as_text=True)  # shown once
    row = db.session.scalar(select(ApiToken))
    assert row.scopes == "learning:read" and row.name == "小程序"
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/me/record", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("data, field", [
    ({"name": "", "scopes": ["learning:read"], "days": "30"}, "name"),
    ({"name": "x", "days": "30"}, "scopes"),
    ({"name": "x", "scopes": ["reports:read"], "days": "30"}, "scopes"),
    ({"name": "x", "scopes": ["learning:read"], "days": "999"}, "days"),
])
def test_a_bad_token_form_says_why_and_makes_nothing(client, make, login, data, field):
    login(make.create_worker())
    response = client.post("/account/tokens", data=data)
    assert response.status_code == 400
    assert 'is-invalid' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_nobody_revokes_another_s_token(client, make, login):
    token_for(make.create_worker())
    login(make.create_worker())
    row = db.session.scalar(select(ApiToken))
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, row.id).revoked_at is None
