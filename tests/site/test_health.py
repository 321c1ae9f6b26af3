"""/healthz?full=1: each dependency's state for an operator, never a secret; the status code stays the load
balancer's, on the database alone."""
from sqlalchemy import text

from academy.certificates import pdf
from academy.extensions import db, limiter


def full(client):
    response = client.get("/healthz?full=1")
    return response.status_code, response.get_json(), response.get_data(as_text=True)


def test_every_dependency_is_reported_ok(app, client):
    status, body, raw = full(client)
    assert status == 200 and body["status"] == "ok" and body["database"] == "ok"
    assert set(body["checks"]) == {"database", "rate_limit_store", "upload_dir", "certificate_font", "migrations"}
    assert all(check["ok"] for check in body["checks"].values()), body
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]
    for secret in (app.config["SECRET_KEY"], app.config["SQLALCHEMY_DATABASE_URI"], app.config["UPLOAD_DIR"],
                   app.config["RATELIMIT_STORAGE_URI"]):
        assert secret not in raw
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}  # the plain answer is unchanged


def test_a_missing_font_an_unwritable_upload_dir_and_an_away_store_degrade_but_stay_200(app, client, monkeypatch,
                                                                                         tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(blocker / "uploads"))
    monkeypatch.setitem(app.config, "CERT_FONT_PATH", None)
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", (str(tmp_path / "no-font.ttc"),))
    monkeypatch.setattr(limiter.storage, "check", lambda: False)
    status, body, _ = full(client)
    assert status == 200 and body["status"] == "degraded"
    checks = body["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"]
    assert not checks["upload_dir"]["ok"] and not checks["certificate_font"]["ok"]
    assert not checks["rate_limit_store"]["ok"] and "memory" in checks["rate_limit_store"]["note"]


def test_migrations_behind_the_head_are_reported(client):
    db.session.execute(text("UPDATE alembic_version SET version_num = 'e40e9122b7a8'"))  # rolled back after the test
    status, body, _ = full(client)
    assert status == 200 and body["status"] == "degraded"
    assert body["checks"]["migrations"] == {"ok": False, "current": ["e40e9122b7a8"],
                                            "head": body["checks"]["migrations"]["head"]}
    assert body["checks"]["migrations"]["head"] != ["e40e9122b7a8"]


def test_an_unreachable_database_answers_503_with_the_other_states(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(db.session, "execute", broken)
    status, body, _ = full(client)
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["database"] == {"ok": False} and body["checks"]["migrations"] == {"ok": False}
    assert body["checks"]["upload_dir"]["ok"]
