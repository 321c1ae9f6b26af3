"""What finding dropped connections costs a request: `after_idle` (a pooled connection is checked only after
resting 10 s, core.database.ping_after_idle) against SQLAlchemy's `pool_pre_ping` (checked at every checkout),
one request at a time through the Flask test client on the benchmark's database, the modes taking turns.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench python bench/ping_cost.py [--requests 300]
(the database of `make bench`; build it first with `make bench BENCH_SCALE=tiny`)."""
import argparse
import json
import os
import statistics
import subprocess  # nosec B404: runs this same script in a fresh interpreter per mode
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKER = ("16000000001", "synthetic-district-password")


def measure(requests: int) -> dict:
    """In a process of its own (DATABASE_PING set by the caller): median ms per request of each page."""
    sys.path.insert(0, str(ROOT))
    from academy import create_app

    app = create_app({"WTF_CSRF_ENABLED": False, "LOGIN_RATE_LIMIT": "100000 per minute"})
    anonymous, worker = app.test_client(), app.test_client()
    worker.post("/login", data={"phone": WORKER[0], "password": WORKER[1]})
    course = "/courses/" + anonymous.get("/courses").get_data(as_text=True).split('href="/courses/', 2)[1].split('"')[0]
    pages = {"catalogue": (anonymous, "/courses"), "course page": (anonymous, course),
             "my learning": (worker, "/learning"), "learning record": (worker, "/me")}
    result = {}
    for name, (client, path) in pages.items():
        for _ in range(20):  # warm: pages kept, connections pooled
            assert client.get(path).status_code == 200
        before = server_transactions(app)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        result[name] = statistics.median(times) * 1000
        result[name + " transactions"] = (server_transactions(app) - before) / requests
    return result


def server_transactions(app) -> int:
    """Transactions the server has counted in this database (each statement in autocommit is one, a ping and
    its rollback another): what a mode adds per request, whatever the machine's load."""
    from sqlalchemy import text

    from academy.extensions import db

    time.sleep(1.2)  # backends report their counts to the statistics at most once a second
    with app.app_context(), db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        return connection.execute(text("SELECT xact_commit + xact_rollback FROM pg_stat_database "
                                       "WHERE datname = current_database()")).scalar()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return 0
    runs = {"after_idle": [], "pre_ping": []}
    for _ in range(args.rounds):
        for mode in runs:
            out = subprocess.run([sys.executable, __file__, "--measure", "--requests", str(args.requests)],  # nosec B603
                                 env=dict(os.environ, DATABASE_PING=mode, SECRET_KEY="bench-secret-key"),
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            runs[mode].append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'page':18} {'after_idle':>11} {'pre_ping':>11} {'difference':>11}   (median ms per request, best round;"
          " server transactions per request)")
    for page in [name for name in runs["after_idle"][0] if not name.endswith("transactions")]:
        idle = min(run[page] for run in runs["after_idle"])
        ping = min(run[page] for run in runs["pre_ping"])
        idle_tx = statistics.median(run[page + " transactions"] for run in runs["after_idle"])
        ping_tx = statistics.median(run[page + " transactions"] for run in runs["pre_ping"])
        print(f"{page:18} {idle:8.2f} ms {ping:8.2f} ms {ping - idle:+8.2f} ms ({(ping - idle) / idle:+.0%})   "
              f"{idle_tx:.1f} → {ping_tx:.1f} transactions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
