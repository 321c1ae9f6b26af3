"""The export of every enrolment as a job, on the synthetic district (`make bench` builds it):
how fast the request offering it and the POST starting it answer, and the job's throughput.

    python bench/export_job.py [--rounds 5] [--format xlsx|csv]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench python bench/export_job.py
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from academy import create_app  # noqa: E402
from academy.config import Config  # noqa: E402
from academy.extensions import db  # noqa: E402
from academy.jobs.models import Job, JobStatus  # noqa: E402
from bench.run import ADMIN  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--format", default="xlsx", choices=("xlsx", "csv"))
    args = parser.parse_args()
    config = {key: getattr(Config, key) for key in dir(Config) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", f"sqlite:///{ROOT / 'bench/data/district.db'}"),
                  JOBS_BACKEND="threads", JOBS_THREADS=1, WTF_CSRF_ENABLED=False, SECRET_KEY="bench",
                  RATELIMIT_ENABLED=False)
    app = create_app(config)
    client = app.test_client()
    assert client.post("/login", data={"phone": ADMIN[0], "password": ADMIN[1]}).status_code == 302, "run make bench first"
    offers, starts, ids = [], [], []
    for _ in range(args.rounds):
        began = time.perf_counter()
        assert client.get("/admin/reports/enrolments", query_string={"format": args.format}).status_code == 200
        offers.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        response = client.post("/admin/reports/enrolments/job", query_string={"format": args.format})
        starts.append((time.perf_counter() - began) * 1000)
        ids.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    print(f"offer (GET): median {statistics.median(offers):.0f} ms, max {max(offers):.0f} ms")
    print(f"start (POST, answers with the job page): median {statistics.median(starts):.0f} ms, max {max(starts):.0f} ms")
    with app.app_context():
        while True:
            jobs = db.session.scalars(select(Job).where(Job.id.in_(ids)).order_by(Job.id)).all()
            if all(job.status in (JobStatus.DONE, JobStatus.FAILED) for job in jobs):
                break
            db.session.remove()
            time.sleep(0.5)
        for job in jobs:
            seconds = (job.finished_at - job.started_at).total_seconds()
            print(f"job {job.id}: {job.status} {job.done:,} rows in {seconds:.1f} s ({job.done / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
