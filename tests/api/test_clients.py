"""Client credentials of the district's systems: created on the administrators' page (the secret shown
once, kept hashed), traded for an hour's token by the OAuth 2.0 client credentials grant, read-only,
revocable with every token they hold; every refusal a problem with its OAuth error code."""
import base64
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from academy.api import clients
from academy.api.models import CLIENT_SCOPES, ApiClient, ApiScope, ApiToken
from academy.audit.models import AuditEvent
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db
from tests.api.helpers import bearer
from tests.factories import DEFAULT_PASSWORD


def _client(make, scopes=CLIENT_SCOPES, subdistrict_id=None):
    client, secret = clients.create_client(make.create_admin(), name="人才库", scopes=scopes,
                                           subdistrict_id=subdistrict_id)
    db.session.commit()
    return client, secret


def _basic(client_key: str, secret: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_key}:{secret}".encode()).decode()}


def _grant(http, headers=None, **form):
    return http.post("/api/v1/token", data={"grant_type": "client_credentials", **form}, headers=headers or {})


def test_the_secret_is_kept_only_as_its_digest_and_the_creation_audited(make):
    client, secret = _client(make)
    assert client.client_key.startswith("dcsc_") and len(secret) > 40
    assert secret not in (client.secret_digest, client.client_key)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "api_client.create")) == 1


def test_a_system_is_given_read_permissions_only(make):
    admin = make.create_admin()
    for scopes in ([ApiScope.ENROL], [ApiScope.REPORTS_READ, ApiScope.LEARNING_READ], []):
        with pytest.raises(OperationError):
            clients.create_client(admin, name="人事", scopes=scopes, subdistrict_id=None)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ApiClient)) == 0


@pytest.mark.parametrize("how", ["basic", "form"])
def test_credentials_are_traded_for_an_hour_s_token_that_opens_the_reports(client, make, how):
    api_client, secret = _client(make)
    headers = _basic(api_client.client_key, secret) if how == "basic" else None
    extra = {} if how == "basic" else {"client_id": api_client.client_key, "client_secret": secret}
    response = _grant(client, headers, **extra)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {scope.value for scope in CLIENT_SCOPES}
    assert response.headers["Cache-Control"] == "no-store"
    row = db.session.scalar(select(ApiToken).where(ApiToken.client_id == api_client.id))
    assert row.user_id is None and body["access_token"] not in (row.digest, row.prefix)
    assert abs((row.expires_at - now_utc()) - timedelta(hours=1)) < timedelta(minutes=1)
    assert client.get("/api/v1/reports/progress", headers=bearer(body["access_token"])).status_code == 200
    # a system acts for nobody: no worker's own learning, no enrolling
    assert client.get("/api/v1/me/record", headers=bearer(body["access_token"])).status_code == 403


def test_a_grant_may_narrow_the_scopes(client, make):
    api_client, secret = _client(make)
    body = _grant(client, _basic(api_client.client_key, secret), scope="reports:read").get_json()
    assert body["scope"] == "reports:read"
    assert client.get("/api/v1/qualifications", headers=bearer(body["access_token"])).status_code == 403
    refused = _grant(client, _basic(api_client.client_key, secret), scope="reports:read enrol")
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_scope"


@pytest.mark.parametrize("case", ["wrong secret", "unknown client", "no credentials", "bad basic", "revoked"])
def test_bad_credentials_are_a_401_problem_and_write_no_token(client, make, case):
    api_client, secret = _client(make)
    headers = {
        "wrong secret": _basic(api_client.client_key, secret + "x"),
        "unknown client": _basic("dcsc_0000000000000000", secret),
        "no credentials": {},
        "bad basic": {"Authorization": "Basic %%%"},
        "revoked": _basic(api_client.client_key, secret),
    }[case]
    if case == "revoked":
        clients.revoke_client(api_client, actor=make.create_admin())
        db.session.commit()
    response = _grant(client, headers)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.get_json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0


def test_only_the_client_credentials_grant_is_taken(client, make):
    api_client, secret = _client(make)
    response = _grant(client, _basic(api_client.client_key, secret), grant_type="password")
    assert response.status_code == 400 and response.get_json()["error"] == "unsupported_grant_type"


def test_revoking_a_client_closes_its_tokens_at_once(client, make):
    api_client, secret = _client(make)
    token = _grant(client, _basic(api_client.client_key, secret)).get_json()["access_token"]
    assert client.get("/api/v1/claims", headers=bearer(token)).status_code == 200
    clients.revoke_client(api_client, actor=make.create_admin())
    db.session.commit()
    assert client.get("/api/v1/claims", headers=bearer(token)).status_code == 401
    with pytest.raises(OperationError):
        clients.revoke_client(api_client, actor=make.create_admin())


def test_a_system_s_token_expires_after_its_hour(client, make):
    api_client, secret = _client(make)
    token = _grant(client, _basic(api_client.client_key, secret)).get_json()["access_token"]
    row = db.session.scalar(select(ApiToken).where(ApiToken.client_id == api_client.id))
    row.expires_at = now_utc() - timedelta(seconds=1)  # its hour is over
    db.session.commit()
    assert client.get("/api/v1/reports/progress", headers=bearer(token)).status_code == 401


def _sign_in(http, user):
    assert http.post("/login", data={"phone": user.phone, "password": DEFAULT_PASSWORD}).status_code == 302


def _csrf(http) -> str:
    import re

    page = http.get("/admin/api-clients").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_an_administrator_creates_and_revokes_a_system_on_the_page(app, make):
    admin = make.create_admin()
    street = make.subdistrict("110101001000")
    http = app.test_client()
    _sign_in(http, admin)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        created = http.post("/admin/api-clients", data={"csrf_token": _csrf(http), "name": "东城区社工人才库",
                                                        "scopes": ["reports:read", "workers:read"],
                                                        "subdistrict": str(street.id)})
        assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
        row = db.session.scalar(select(ApiClient))
        page = created.get_data(as_text=True)
        assert row.client_key in page and row.subdistrict_id == street.id
        secret = page.split("client_secret</dt>")[1].split("</code>")[0].rsplit(">", 1)[1]
        assert clients.authenticate_client(row.client_key, secret) == row
        assert secret not in http.get("/admin/api-clients").get_data(as_text=True)  # shown once
        revoked = http.post(f"/admin/api-clients/{row.id}/revoke", data={"csrf_token": _csrf(http)})
        assert revoked.status_code == 302
        db.session.expire_all()
        assert db.session.get(ApiClient, row.id).revoked_at is not None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("form", [{"name": "", "scopes": ["reports:read"]}, {"name": "人事"},
                                  {"name": "人事", "scopes": ["enrol"]}, {"name": "人事", "scopes": ["reports:read"],
                                                                        "subdistrict": "999999"}])
def test_a_bad_form_says_why_and_writes_nothing(client, make, form):
    _sign_in(client, make.create_admin())
    response = client.post("/admin/api-clients", data=form)
    assert response.status_code == 400
    assert 'class="invalid-feedback' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ApiClient)) == 0


def test_without_csrf_the_page_creates_nothing(app, make):
    http = app.test_client()
    _sign_in(http, make.create_admin())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = http.post("/admin/api-clients", data={"name": "人事", "scopes": ["reports:read"]})
        assert response.status_code in (400, 403)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(func.count()).select_from(ApiClient)) == 0
