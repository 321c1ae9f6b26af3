"""Two gunicorn instances against the same PostgreSQL and Redis behave as one: a sign-in, a rate limit
and a seat taken through one are honoured by the other, and neither serves a page it kept from before,
nor names (a programme, a subdistrict) from before a rename (no per-process state that matters)."""
import http.cookiejar
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from flask_migrate import upgrade
from sqlalchemy import select

from academy import create_app
from academy.config import TestConfig
from academy.extensions import db

pytestmark = [pytest.mark.own_database, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "two-instances-share-one-state"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def client():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def token(opener, url):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', opener.open(url).read().decode()).group(1)


def post(opener, url, data):
    try:
        return opener.open(url, data=urllib.parse.urlencode(data).encode()).status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def redis_available():
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")


def test_two_instances_share_sessions_rate_limits_and_seats(postgres_url, redis_available, tmp_path):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    if not gunicorn.exists() and shutil.which("gunicorn") is None:
        pytest.skip("gunicorn is not installed")
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=postgres_url, UPLOAD_DIR=str(tmp_path))
    app = create_app(config)
    with app.app_context():
        from academy.core.i18n import local_today
        from academy.courses.models import Course
        from academy.orgs.reference import seed_org_units
        from academy.programmes.reference import seed_programmes
        from academy.progress.reference import seed_rules
        from tests import factories

        upgrade()
        seed_org_units(), seed_programmes(), seed_rules()
        first, second = (factories.create_worker(password=PASSWORD) for _ in range(2))
        admin_phone = factories.create_admin(password=PASSWORD).phone
        course = factories.create_course(capacity=1, starts_on=local_today() + timedelta(days=30))
        db.session.commit()
        phones, course_id, title = (first.phone, second.phone), course.id, course.title
        db.session.remove()

    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "shared-secret-of-both-instances", "DATABASE_URL": postgres_url,
           "RATELIMIT_STORAGE_URI": REDIS_URL, "UPLOAD_DIR": str(tmp_path)}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen([str(gunicorn), "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
        a, b = bases

        # A sign-in through A is honoured by B.
        opener, _ = client()
        assert post(opener, f"{a}/login", {"phone": phones[0], "password": PASSWORD,
                                           "csrf_token": token(opener, f"{a}/login")}) == 200
        assert opener.open(f"{b}/account").geturl().endswith("/account")

        # Five failures through A, the sixth through B is refused.
        stranger, _ = client()
        for _ in range(5):
            post(stranger, f"{a}/login", {"phone": phones[1], "password": "wrong",
                                          "csrf_token": token(stranger, f"{a}/login")})
        assert post(stranger, f"{b}/login", {"phone": phones[1], "password": "wrong",
                                             "csrf_token": token(stranger, f"{b}/login")}) == 429

        # Pages A keeps: the worker's own, and the course page for visitors.
        visitor, _ = client()
        for _ in range(2):
            assert title not in opener.open(f"{a}/learning").read().decode()
            assert "剩余 1 个名额" in visitor.open(f"{a}/courses/{course_id}").read().decode()

        # The only seat, taken through B, is taken for A too; A's kept pages give way at once.
        post(opener, f"{b}/courses/{course_id}/enrol", {"csrf_token": token(opener, f"{b}/courses/{course_id}")})
        assert title in opener.open(f"{a}/learning").read().decode()
        assert "剩余 1 个名额" not in visitor.open(f"{a}/courses/{course_id}").read().decode()
        redis.Redis.from_url(REDIS_URL).flushdb()  # let the second worker sign in after the failures above
        other, _ = client()
        post(other, f"{a}/login", {"phone": phones[1], "password": PASSWORD, "csrf_token": token(other, f"{a}/login")})
        page = other.open(f"{a}/courses/{course_id}").read().decode()
        assert "加入候补" in page  # the course is full when seen through A

        # Names in reports: a programme and a subdistrict renamed elsewhere show at once in both.
        staff, _ = client()
        post(staff, f"{b}/login", {"phone": admin_phone, "password": PASSWORD, "csrf_token": token(staff, f"{b}/login")})
        report = "/admin/reports/progress?group=subdistrict&then=programme"
        for base in bases:
            page = staff.open(base + report).read().decode()
            assert "东华门街道" in page and "筑基计划" in page
        with app.app_context():
            from academy.orgs.models import OrgUnit
            from academy.programmes.models import Programme

            db.session.scalar(select(OrgUnit).where(OrgUnit.code == "110101001000")).name_zh = "东华门新街道"
            db.session.scalar(select(Programme).where(Programme.code == "ZHUJI")).name_zh = "筑基新计划"
            db.session.commit()
            db.session.remove()
        for base in bases:
            page = staff.open(base + report).read().decode()
            assert "东华门新街道" in page and "筑基新计划" in page and "筑基计划" not in page
    finally:
        for server in servers:
            server.terminate()
            server.wait(20)
    with app.app_context():
        seats = db.session.scalar(select(Course.seats_taken).where(Course.id == course_id))
        db.session.remove()
        db.engine.dispose()
    assert seats == 1
