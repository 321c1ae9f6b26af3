"""/healthz: the load balancer's 200/503 on the database; with ?full=1 each dependency's state, for an
operator. Names states only: never a URL, a path, a password or a key."""
import tempfile
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, request
from sqlalchemy import text

from academy.extensions import db, limiter


def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = True
    except Exception:  # any failure to reach the database means unhealthy
        db.session.rollback()
        database = False
    body = {"status": "ok" if database else "unavailable", "database": "ok" if database else "unreachable"}
    if request.args.get("full") == "1":
        checks = {"database": {"ok": database}, "rate_limit_store": rate_limit_store(),
                  "upload_dir": upload_dir(), "certificate_font": certificate_font(),
                  "migrations": migrations() if database else {"ok": False}}
        body["checks"] = checks
        if database and not all(check["ok"] for check in checks.values()):
            body["status"] = "degraded"
    return body, 200 if database else 503


def rate_limit_store() -> dict:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    kind = uri.split(":", 1)[0]
    try:
        reachable = bool(limiter.storage.check())
    except Exception:  # a store that fails to answer is unreachable
        reachable = False
    state = {"ok": reachable, "kind": kind}
    if not reachable:
        state["note"] = "limits are counted in each process's memory meanwhile"
    return state


def upload_dir() -> dict:
    folder = Path(current_app.config["UPLOAD_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-"):
            pass
        return {"ok": True}
    except OSError:
        return {"ok": False}


def certificate_font() -> dict:
    from academy.certificates.pdf import FontMissing, font_path

    try:
        font_path()
        return {"ok": True}
    except FontMissing:
        return {"ok": False}


def migrations() -> dict:
    head = set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
    try:
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except Exception:  # no version table: nothing migrated yet
        db.session.rollback()
        current = set()
    return {"ok": current == head, "current": sorted(current), "head": sorted(head)}
