"""Run as `python -m tests.faults.redis_away <database file> <rate-limit store URI>`: sign-in, registration,
certificate verification and the API against an application whose rate-limit store is unreachable (a process of its own,
as the limiter is one per process). Prints what happened as JSON."""
import json
import logging
import sys

from flask_migrate import upgrade


def main(database: str, store: str) -> dict:
    from academy import create_app
    from academy.config import TestConfig
    from academy.extensions import db
    from academy.orgs.reference import seed_org_units
    from tests import factories
    from tests.auth.test_registration import GOOD_PASSWORD

    warnings = []
    handler = logging.Handler()
    handler.emit = lambda record: warnings.append(record.getMessage())
    handler.setLevel(logging.WARNING)
    logging.getLogger("flask-limiter").addHandler(handler)
    logging.getLogger("academy.api").addHandler(handler)

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}", RATELIMIT_STORAGE_URI=store, LOGIN_RATE_LIMIT="3 per minute",
                  API_RATE_LIMIT="3 per minute")
    app = create_app(config)
    with app.app_context():
        upgrade()
        seed_org_units()
        worker = factories.create_worker()
        unit_id, phone = worker.profile.work_unit_id, worker.phone
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    wrong = [client.post("/login", data={"phone": phone, "password": "not-the-password"}).status_code for _ in range(4)]
    right = app.test_client().post("/login", data={"phone": phone, "password": factories.DEFAULT_PASSWORD},
                                   environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code
    registered = app.test_client().post("/register", data={
        "name": "周小梅", "phone": "13912345678", "email": "", "work_unit": str(unit_id),
        "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD, "privacy_consent": "y"}).status_code
    verified = app.test_client().get("/verify/NOSUCHCODE0000").status_code
    api = [app.test_client().get("/api/v1/programmes").status_code for _ in range(4)]
    return {"wrong": wrong, "right": right, "registered": registered, "verified": verified, "api": api,
            "warnings": warnings}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
