"""The restore drill an operator runs: `academy backup`, a new database, `academy restore` into it, then
`academy check` passes and every page shows the same figures as before (SQLite and PostgreSQL)."""
import re
import shutil
import uuid
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from academy import create_app
from academy.config import TestConfig
from academy.core.i18n import local_today
from academy.core.pagecache import clear_page_cache
from academy.enrolment import operations as ops
from academy.extensions import db
from tests import factories
from tests.certificates.test_certificates import finished_course
from tests.conftest import IsolatedClient
from tests.faults.apps import own_app
from tests.fixtures_postgres import SERVER_URL

pytestmark = pytest.mark.own_database
TOKEN = re.compile(r'(name="csrf_token"[^>]*value="|name="csrf-token" content=")[^"]+"')


def pages(app, admin_phone, worker_phone, course_id) -> dict:
    clear_page_cache()  # what a process kept must not stand in for what the database holds
    admin, worker, visitor = app.test_client(), app.test_client(), app.test_client()
    for client, phone in ((admin, admin_phone), (worker, worker_phone)):
        assert client.post("/login", data={"phone": phone, "password": factories.DEFAULT_PASSWORD}).status_code == 302
    paths = {admin: ["/admin", "/admin/reports/progress", "/admin/reports/progress?group=subdistrict"],
             worker: ["/learning", "/me"], visitor: ["/courses", f"/courses/{course_id}"]}
    shown = {}
    for client, urls in paths.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            shown[url] = TOKEN.sub(r"\1…", response.get_data(as_text=True))
    return shown


def drill(source_url: str, target_url: str, tmp_path) -> None:
    with own_app(source_url, tmp_path) as app:
        course = factories.create_course(capacity=1, starts_on=local_today() + timedelta(days=30))
        workers = [factories.create_worker() for _ in range(3)]
        for worker in workers:
            ops.enrol(course, worker)  # one seat taken, two waiting
        finished_course(factories, workers=2)
        admin = factories.create_admin()
        db.session.commit()
        ids, title = (admin.phone, workers[0].phone, course.id), course.title
        before = pages(app, *ids)
        assert title in before["/learning"] and title in before[f"/courses/{ids[2]}"]
        backup = tmp_path / "drill.backup"
        result = app.test_cli_runner().invoke(args=["academy", "backup", str(backup)])
        assert result.exit_code == 0, result.output

    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=target_url, UPLOAD_DIR=str(tmp_path / "uploads"))
    restored = create_app(config)
    restored.test_client_class = IsolatedClient
    with restored.app_context():
        upgrade()  # a new database, built as the operator builds one, then overwritten by the backup
        runner = restored.test_cli_runner()
        result = runner.invoke(args=["academy", "restore", str(backup), "--yes"])
        assert result.exit_code == 0, result.output
        db.session.remove()
        result = runner.invoke(args=["academy", "check"])
        assert result.exit_code == 0, result.output
        after = pages(restored, *ids)
        db.session.remove()
        db.engine.dispose()
    clear_page_cache()
    assert after.keys() == before.keys()
    for url in before:
        assert after[url] == before[url], url


def test_the_restore_drill_on_sqlite(tmp_path):
    drill(f"sqlite:///{tmp_path / 'live.db'}", f"sqlite:///{tmp_path / 'restored.db'}", tmp_path)


@pytest.fixture
def second_postgres_url(postgres_url):
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"academy_restored_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield SERVER_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
def test_the_restore_drill_on_postgresql(postgres_url, second_postgres_url, tmp_path):
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (postgresql-client)")
    drill(postgres_url, second_postgres_url, tmp_path)
