"""A gunicorn worker killed (SIGKILL) inside an enrolment transaction, after its writes and before its
COMMIT, leaves nothing half-written: `academy check` finds the data whole, the seat is free, and the next
enrolment goes through (no lock left behind). SQLite and PostgreSQL."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy import create_app
from academy.config import TestConfig
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentEvent
from academy.extensions import db
from tests import factories
from tests.faults.apps import own_app
from tests.test_two_instances import client, post, token

pytestmark = pytest.mark.own_database
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, limit: float = 60.0):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)  # polling for an event, not timing one


def counts(url: str, tmp_path, course_id: int) -> tuple:
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(tmp_path / "uploads"))
    app = create_app(config)
    with app.app_context():
        check = app.test_cli_runner().invoke(args=["academy", "check"])
        seats = db.session.scalar(select(Course.seats_taken).where(Course.id == course_id))
        enrolments = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == course_id))
        events = db.session.scalar(select(func.count(EnrolmentEvent.id)))
        db.session.remove()
        db.engine.dispose()
    return check, seats, enrolments, events


def kill_mid_enrolment(url: str, tmp_path) -> None:
    with own_app(url, tmp_path) as app:
        worker, course = factories.create_worker(), factories.create_course(capacity=1)
        db.session.commit()
        phone, course_id = worker.phone, course.id
        del app
    marker = tmp_path / "paused"
    port = free_port()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SECRET_KEY": "killed-worker-test", "DATABASE_URL": url,
           "RATELIMIT_STORAGE_URI": "memory://", "UPLOAD_DIR": str(tmp_path / "uploads"), "PAUSE_MARKER": str(marker)}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "300",
                               "tests.faults.paused_wsgi:app"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        opener, _ = client()
        wait_for(lambda: _answers(opener, f"{base}/healthz"), "gunicorn to answer")
        assert post(opener, f"{base}/login", {"phone": phone, "password": factories.DEFAULT_PASSWORD,
                                              "csrf_token": token(opener, f"{base}/login")}) == 200
        csrf = token(opener, f"{base}/courses/{course_id}")
        outcome = []
        def enrol():
            try:
                outcome.append(post(opener, f"{base}/courses/{course_id}/enrol", {"csrf_token": csrf}))
            except OSError:  # the connection closed with the worker
                outcome.append("dropped")

        request = threading.Thread(target=enrol, daemon=True)
        request.start()
        wait_for(lambda: marker.exists() and marker.read_text().isdigit(), "the enrolment to reach its commit")
        victim = int(marker.read_text())
        os.kill(victim, signal.SIGKILL)
        request.join(60)
        assert outcome and outcome[0] in ("dropped", 502)  # the user saw an error, not a success

        check, seats, enrolments, events = counts(url, tmp_path, course_id)
        assert check.exit_code == 0, check.output
        assert (seats, enrolments, events) == (0, 0, 0)  # nothing of the killed transaction was kept

        assert post(opener, f"{base}/courses/{course_id}/enrol", {"csrf_token": csrf}) == 200  # after the redirect
        check, seats, enrolments, events = counts(url, tmp_path, course_id)
        assert check.exit_code == 0, check.output
        assert (seats, enrolments, events) == (1, 1, 1)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:  # a worker still paused (the test failed before its kill)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(15)
        log = server.stderr.read().decode(errors="replace")
        server.stderr.close()
    assert "Traceback" not in log, log[-3000:]


def _answers(opener, url) -> bool:
    try:
        return opener.open(url, timeout=2).status == 200
    except (OSError, urllib.error.URLError):
        return False


def test_a_worker_killed_inside_an_enrolment_leaves_nothing_half_written_on_sqlite(tmp_path):
    kill_mid_enrolment(f"sqlite:///{tmp_path / 'killed.db'}", tmp_path)


@pytest.mark.postgres
def test_a_worker_killed_inside_an_enrolment_leaves_nothing_half_written_on_postgresql(postgres_url, tmp_path):
    kill_mid_enrolment(postgres_url, tmp_path)
