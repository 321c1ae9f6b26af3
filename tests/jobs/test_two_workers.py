"""A job handed to two workers at once runs once: two threads of the in-process pool, and two real RQ
worker processes on the machine's Redis (skipped where no Redis answers)."""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs import queue
from academy.jobs.kinds import KINDS, JobKind, register
from academy.jobs.models import Job, JobEvent, JobStatus
from academy.jobs.runner import run_job
from tests import factories
from tests.faults.apps import own_app

pytestmark = pytest.mark.own_database
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")  # 15 holds CI's rate limits


def _state(app, job_id):
    with app.app_context():
        job = db.session.get(Job, job_id)
        running = db.session.scalar(select(func.count(JobEvent.id)).where(JobEvent.job_id == job_id,
                                                                          JobEvent.to_status == "running"))
        result = (job.status, job.attempts, running)
        db.session.remove()
    return result


def test_two_threads_picking_up_one_job_run_it_once(tmp_path):
    runs, gate = [], threading.Barrier(2)

    def slow(run):
        runs.append(threading.get_ident())
        time.sleep(0.2)

    register(JobKind("slow_probe", "Slow probe", slow, lambda user, params: True))
    try:
        with own_app(f"sqlite:///{tmp_path / 'jobs.db'}", tmp_path) as app:
            job = ops.create_job(factories.create_admin(), "slow_probe")
            db.session.commit()
            job_id = job.id
            db.session.remove()

            def worker():
                gate.wait()
                queue._in_context(app, run_job, (job_id,))

            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert len(runs) == 1
            assert _state(app, job_id) == (JobStatus.DONE, 1, 1)
    finally:
        KINDS.pop("slow_probe", None)


def _redis_or_skip():
    try:
        from redis import Redis

        connection = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
    except Exception:
        if os.environ.get("CI"):  # CI runs the real worker on the machine's Redis: never skipped there
            raise
        pytest.skip("no Redis answers at " + REDIS_URL)
    connection.flushdb()
    return connection


def test_two_rq_workers_given_one_job_twice_run_it_once(tmp_path):
    _redis_or_skip()
    url = f"sqlite:///{tmp_path / 'rq.db'}"
    with own_app(url, tmp_path, REDIS_URL=REDIS_URL, JOBS_BACKEND="rq") as app:
        job = ops.create_job(factories.create_admin(), "rebuild_tallies")
        db.session.commit()
        job_id = job.id
        queue.submit(run_job, job_id)
        queue.submit(run_job, job_id)  # handed out twice, as after a lost acknowledgement
        db.session.remove()
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SECRET_KEY": "test-secret",
               "UPLOAD_DIR": str(tmp_path / "uploads")}
        workers = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "academy", "worker", "--burst"],
                                    cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                   for _ in range(2)]
        outputs = [worker.communicate(timeout=120)[0].decode(errors="replace") for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
        assert _state(app, job_id) == (JobStatus.DONE, 1, 1), outputs


def test_with_redis_unreachable_the_work_still_runs_in_the_process(tmp_path):
    with own_app(f"sqlite:///{tmp_path / 'down.db'}", tmp_path, REDIS_URL="redis://127.0.0.1:1/0",
                 JOBS_BACKEND="rq") as app:
        job = ops.create_job(factories.create_admin(), "rebuild_tallies")
        db.session.commit()
        job_id = job.id
        queue.submit(run_job, job_id)
        db.session.remove()
        deadline = time.monotonic() + 30
        while _state(app, job_id)[0] != JobStatus.DONE:
            assert time.monotonic() < deadline, "the job never ran"
            time.sleep(0.05)
