"""In-process cost of the enrolment write: a worker enrols in a course and withdraws, again and again,
through the Flask test client (CSRF off, the same for every commit measured). Prints the median and
quartiles of each request's time and its SQL statement count, then each statement of an enrolment and of a
withdrawal with its median time (--statements). Run from a checkout's root:
    python bench/write_cost.py [rounds] [database url] [--statements]
One checkout against another: run it from each checkout's root with the same interpreter (docs/performance.md)."""
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.getcwd())
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402

from academy import create_app  # noqa: E402
from academy.config import TestConfig  # noqa: E402
from academy.extensions import db  # noqa: E402
from academy.enrolment.models import Enrolment  # noqa: E402
from academy.orgs.reference import seed_org_units  # noqa: E402
from academy.programmes.reference import seed_programmes  # noqa: E402
from academy.progress.reference import seed_rules  # noqa: E402
from tests import factories  # noqa: E402

positional = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
rounds = int(positional[0]) if positional else 300
tmp = tempfile.mkdtemp()
url = positional[1] if len(positional) > 1 else f"sqlite:///{tmp}/w.db"
config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=f"{tmp}/u", WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
app = create_app(config)
statements = [0]
clock, trace = [0.0], []  # the statements of the request being timed: (SQL, ms)
with app.app_context():
    if url.startswith("postgresql"):
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE")); c.execute(text("CREATE SCHEMA public"))
    upgrade(); seed_org_units(); seed_programmes(); seed_rules(); db.session.commit()
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
    event.listen(db.engine, "before_cursor_execute", lambda *a: clock.__setitem__(0, time.perf_counter()))
    event.listen(db.engine, "after_cursor_execute",
                 lambda conn, cursor, sql, *a: trace.append((sql, (time.perf_counter() - clock[0]) * 1000)))
    workers = [factories.create_worker() for _ in range(20)]
    for _ in range(200):
        factories.create_worker()
    courses = [factories.create_course(capacity=5) for _ in range(20)]
    pairs = [(w.phone, c.id, w.id) for w, c in zip(workers, courses)]
    db.session.commit()

clients = []
for phone, course_id, worker_id in pairs:
    client = app.test_client()
    r = client.post("/login", data={"phone": phone, "password": factories.DEFAULT_PASSWORD})
    assert r.status_code == 302, r.status_code
    clients.append((client, course_id, worker_id))

times = {"enrol": [], "withdraw": []}
traces = {"enrol": [], "withdraw": []}
counts = {"enrol": [], "withdraw": []}


def timed(kind, client, path):
    statements[0] = 0
    trace.clear()
    start = time.perf_counter()
    response = client.post(path)
    times[kind].append((time.perf_counter() - start) * 1000)
    counts[kind].append(statements[0])
    traces[kind].append(list(trace))
    assert response.status_code in (200, 302), (path, response.status_code)


for i in range(rounds):
    client, course_id, worker_id = clients[i % len(clients)]
    timed("enrol", client, f"/courses/{course_id}/enrol")
    with app.app_context():
        enrolment_id = db.session.scalar(select(Enrolment.id).where(Enrolment.course_id == course_id,
                                                                  Enrolment.worker_id == worker_id))
        db.session.remove()
    timed("withdraw", client, f"/enrolments/{enrolment_id}/withdraw")

for kind in times:
    t = sorted(times[kind][20:])
    q = statistics.quantiles(t, n=4)
    print(f"{kind:9s} median {statistics.median(t):6.2f} ms  (q1 {q[0]:.2f}, q3 {q[2]:.2f})  "
          f"statements {statistics.median(counts[kind][20:]):.0f}")

if "--statements" in sys.argv:
    for kind, runs in traces.items():
        runs = runs[20:]
        shape = statistics.mode(tuple(sql for sql, _ in run) for run in runs)
        same = [run for run in runs if tuple(sql for sql, _ in run) == shape]
        print(f"\n{kind}: {len(shape)} statements (median of {len(same)} requests of the same shape)")
        for index, sql in enumerate(shape):
            ms = statistics.median(run[index][1] for run in same)
            print(f"  {ms:6.3f} ms  {' '.join(sql.split())[:150]}")
