"""Fixtures: one app for the session, a schema built by the real migrations, a rolled-back
transaction per test, factories and a login helper.

The database is a temporary SQLite file unless TEST_DATABASE_URL names another (CI sets a fresh
PostgreSQL database and REQUIRE_POSTGRES=1, so that run can never fall back to SQLite).
"""
import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask import has_app_context
from flask.globals import app_ctx  # the active app context, swapped out around each request
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.orm import scoped_session, sessionmaker

from academy import create_app
from academy.config import TestConfig, normalise_database_url
from academy.extensions import db as _db
from academy.extensions import limiter
from academy.core.pagecache import clear_page_cache
from academy.orgs.reference import seed_org_units
from academy.programmes.reference import seed_programmes
from academy.partners.reference import seed_partners
from academy.progress.reference import seed_rules
from tests import factories
from tests.hostile import HOSTILE_NAMES

pytest_plugins = ["tests.fixtures_postgres"]


def _test_database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not (url or "").startswith("postgresql"):
        pytest.exit("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL does not name a PostgreSQL database", 2)
    return normalise_database_url(url) if url else f"sqlite:///{tmp_dir / 'test.db'}"


def _reset_schema() -> None:
    """Start from an empty database (a reused PostgreSQL test database keeps old tables)."""
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory() as tmp:
        config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
        config["SQLALCHEMY_DATABASE_URI"] = _test_database_url(Path(tmp))
        config["UPLOAD_DIR"] = str(Path(tmp) / "uploads")
        application = create_app(config)
        application.test_client_class = IsolatedClient
        with application.app_context():
            _reset_schema()
            upgrade()
            seed_org_units()
            seed_programmes()
            seed_rules()
            seed_partners()
            _db.session.commit()
            _db.session.remove()
        yield application
        with application.app_context():
            _db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production, so `g` (the signed-in user,
    CSRF token) never leaks between requests, and sees freshly loaded rows; the test's own context is
    restored afterwards."""

    def open(self, *args, **kwargs):
        _db.session.expire_all()  # a real request starts with an empty session: nothing is cached
        outer = app_ctx._get_current_object() if has_app_context() else None
        if outer is not None:
            outer.pop()
        kwargs.setdefault("buffered", True)  # finish streamed responses inside the request's own context
        try:
            return super().open(*args, **kwargs)
        finally:
            if outer is not None:
                outer.push()


@pytest.fixture(autouse=True)
def db(app, request):
    """One transaction per test, rolled back at the end; views' commits release savepoints.

    Tests marked `own_database` (concurrency tests) get the real sessions and bring their own database."""
    if request.node.get_closest_marker("own_database"):
        yield _db
        return
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original_session = _db.session
        # A plain SQLAlchemy session: Flask-SQLAlchemy's own would pick the engine over this connection.
        # It keeps the app's choice of whether committed objects are expired.
        expires = original_session.session_factory.kw.get("expire_on_commit", True)
        session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=expires),
            scopefunc=lambda: "test",
        )
        session.remove = lambda: None  # Flask-SQLAlchemy removes the session at each teardown
        _db.session = session
        limiter.reset()
        clear_page_cache(names=True)  # rolled-back versions are used again with other names
        try:
            yield _db
        finally:
            session.registry().close()
            _db.session = original_session
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """login(user) signs the client in through the real login form."""

    def do_login(user, password=factories.DEFAULT_PASSWORD):
        response = client.post("/login", data={"phone": user.phone, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do_login


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def make(db):
    """Factories bound to this test's session: make.worker(), make.admin(), make.unit(), ..."""
    return factories


@pytest.fixture(params=sorted(HOSTILE_NAMES))
def hostile_name(request):
    """Each hostile name in turn (tests/hostile.py): markup, RTL, paths, controls, 200 characters."""
    return HOSTILE_NAMES[request.param]
