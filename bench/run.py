"""The benchmark harness (`make bench`): a synthetic district; the academy and a minimal Flask app each under
its own gunicorn (same sync workers) in the same run; every page of the route walk's table for every role
(bench/endpoints.py), the app's floor (/bench/bare through every hook), the writes and the exports; prints
and writes bench/results/<date>-<db>-<scale>.json and .md.

    python bench/run.py [--scale tiny|medium|district] [--duration 10] [--connections 16] [--quick N] [--only NAME]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench python bench/run.py
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import socket
import subprocess  # nosec B404: runs our own tools with argument lists
import sys
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import checkin  # bench/checkin.py
from endpoints import ADMIN, WORKER  # bench/endpoints.py
from pages import api_token, measure_get, sign_in, start_gunicorn, wrk, wrk_threads  # bench/pages.py

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
# The targets of issue 26 (district scale, wrk 4 threads, 16 connections): ratios to the minimal Flask app.
FLOOR_RATIO = 0.60          # /bench/bare, through every hook
PUBLIC_RATIO = 0.25         # every anonymous page and every page of a worker
STAFF_RATIO, STAFF_P95 = 0.10, 150   # pages of instructors and administrators
WRITE_RATIO = 0.10          # enrol/withdraw and check-in POSTs, to the app's floor
MAX_SQL = 6
# The JSON API beside the page it serves the same data as (issue 25): measured right after that page, and
# at least as fast as it.
API_ROWS = {"api courses": ("/api/v1/courses", "courses.catalogue@anonymous", False),
            "api my record": ("/api/v1/me/record", "progress.my_record@worker", True)}  # True: the worker's token


def flask_cli(env, *args):
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,  # nosec B603
                   stdout=subprocess.DEVNULL)


def build_dataset(scale: str, env: dict) -> None:
    """Build (or reuse) the synthetic district for this scale."""
    url = env["DATABASE_URL"]
    marker = DATA / f"{scale}-{re.sub(r'[^A-Za-z0-9]+', '_', url)[-60:]}.built"
    if marker.exists():
        flask_cli(env, "db", "upgrade")  # a cached dataset follows the schema (new tables fill themselves)
        return
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    else:
        create_postgres_database(url)
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "academy", "seed")
    started = time.perf_counter()
    subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "synthetic.py"), "--scale", scale],  # nosec B603
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"dataset {scale}: built in {time.perf_counter() - started:.1f} s")
    flask_cli(env, "academy", "create-user", "--role", "admin", "--phone", ADMIN[0], "--name", "基准管理员",
              "--password", ADMIN[1])
    marker.write_text(str(time.time()))


def create_postgres_database(url: str) -> None:
    """The database named in the URL, created when it does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": target.database}).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{target.database.replace(chr(34), "")}"'))
    server.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def csrf_of(opener, url: str) -> str:
    page = opener.open(url).read().decode()
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def verdict(ok) -> str:
    return "not judged (fewer than 100,000 rows)" if ok is None else "ok" if ok else "MISSED"


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: every process whose parent is the master (from /proc/<pid>/stat)."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def peak_rss_mb(pids) -> float:
    peak = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
            peak = max(peak, int(match.group(1)) if match else 0)
    return peak / 1024


def timed_download(opener, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    body = opener.open(url, timeout=300).read()
    return time.perf_counter() - started, body


def timed_job_start(opener, base: str) -> float:
    """The POST that hands the export of every enrolment to a job, until its job page has arrived (the
    redirect followed): best of three."""
    times = []
    for _ in range(3):
        token = csrf_of(opener, f"{base}/admin")
        body = urllib.parse.urlencode({"csrf_token": token}).encode()
        started = time.perf_counter()
        page = opener.open(f"{base}/admin/reports/enrolments/job?format=csv", data=body, timeout=60).read()
        times.append(time.perf_counter() - started)
        assert b"job-progress" in page, "the export's POST did not answer with its job page"
    return min(times)


def in_app(env: dict, body: str, payload) -> object:
    """Run `body` (which reads `payload` and prints JSON) in the app on the benchmark's database."""
    code = ("import json,sys\nfrom datetime import datetime, timezone\nfrom sqlalchemy import select, func\n"
            "from academy import create_app\nfrom academy.extensions import db\n"
            "from academy.auth.models import User\nfrom academy.courses.models import Course, CourseStatus\n"
            "from academy.enrolment.models import Enrolment\n"
            "payload=json.loads(sys.argv[1])\napp=create_app()\nwith app.app_context():\n"
            + "".join(f"    {line}\n" for line in body.splitlines()))
    result = subprocess.run([str(BIN / "python"), "-c", code, json.dumps(payload)], cwd=ROOT, env=env,  # nosec B603
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def open_course_ids(env: dict) -> list[int]:
    """Published courses taking enrolments now (a worker a course's rules refuse is skipped later)."""
    return in_app(env, (
        "now = datetime.now(timezone.utc)\n"
        "print(json.dumps(db.session.scalars(select(Course.id).where(\n"
        "    Course.status == CourseStatus.PUBLISHED, Course.enrol_opens_at <= now, Course.enrol_closes_at > now)\n"
        "    .order_by(Course.id)).all()))"), None)


def active_enrolment_ids(env: dict, pairs: list) -> list:
    """The enrolment of each (worker's mobile number, course id) if it holds or awaits a place, else None."""
    return in_app(env, (
        "out = []\n"
        "for phone, course in payload:\n"
        "    row = db.session.execute(select(Enrolment.id, Enrolment.status).join(User, User.id == Enrolment.worker_id)\n"
        "                             .where(User.phone == phone, Enrolment.course_id == course)).first()\n"
        "    out.append(row.id if row and row.status.value in ('pending', 'enrolled', 'waitlisted') else None)\n"
        "print(json.dumps(out))"), pairs)


def status_events(env: dict) -> int:
    """Enrolment status changes recorded so far: every enrol or withdrawal that worked writes one (a
    refused one writes none), so the count tells whether a write run measured writes."""
    return in_app(env, ("from academy.enrolment.models import EnrolmentEvent\n"
                        "print(json.dumps(db.session.scalar(select(func.count(EnrolmentEvent.id)))))"), None)




def enrol_targets(env: dict, base: str, wanted: int = 40) -> Path:
    """Each target is one worker and one open course; enrol.lua enrols and withdraws them in turn, so that every
    request changes the state (re-enrolling reuses the withdrawn enrolment)."""
    open_courses = open_course_ids(env)
    targets, candidates = [], iter(range(2, 400))
    while len(targets) < wanted:  # some workers do not meet a course's rules: try more
        pairs = []
        for index in [next(candidates, None) for _ in range(wanted - len(targets))]:
            if index is None:
                break
            cookie, opener = sign_in(base, f"16{index:09d}", WORKER[1])
            course = open_courses[index % len(open_courses)]
            token = csrf_of(opener, f"{base}/courses/{course}")
            opener.open(f"{base}/courses/{course}/enrol", data=urllib.parse.urlencode({"csrf_token": token}).encode())
            pairs.append((cookie, token, f"16{index:09d}", int(course)))
        if not pairs:
            break
        ids = active_enrolment_ids(env, [(phone, course) for _, _, phone, course in pairs])
        for (cookie, token, _phone, course), enrolment_id in zip(pairs, ids):
            if enrolment_id is None:
                continue
            withdraw = f"/enrolments/{enrolment_id}/withdraw"
            worker = urllib.request.build_opener()
            worker.addheaders = [("Cookie", cookie)]
            worker.open(f"{base}{withdraw}", data=urllib.parse.urlencode({"csrf_token": token}).encode())
            targets.append((cookie, token, f"/courses/{course}/enrol", withdraw))
    target_file = DATA / "enrol_targets.lua"
    target_file.write_text("targets = {\n" + "".join(
        f'  {{cookie = "{c}", token = "{t}", enrol = "{e}", withdraw = "{w}"}},\n' for c, t, e, w in targets) + "}\n")
    return target_file


def page_table(env: dict) -> dict:
    """The route walk's pages for every role, their URLs in the synthetic district and their SQL statements."""
    result = subprocess.run([str(BIN / "python"), str(ROOT / "bench" / "endpoints.py"), "--count"], cwd=ROOT,  # nosec B603
                            env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def judge(name: str, data: dict, minimal: float, floor: float, role: str | None, sql,
          page_ratio: float | None = None) -> tuple[str, bool | None]:
    """(the target of this row, met or not; None when the run cannot judge it: a plain client's handful).
    An API row is judged against the ratio of its page (page_ratio) when that page was measured too."""
    if name == "minimal Flask app":
        return "", None
    if name == "bare":
        target, ok = f"≥ {FLOOR_RATIO} of minimal", data["rps"] / minimal >= FLOOR_RATIO
    elif name.endswith("POST"):
        wrote = data.get("state_changes", data["requests"]) >= 0.95 * data["requests"]
        target, ok = f"≥ {WRITE_RATIO} of floor", wrote and data["rps"] / floor >= WRITE_RATIO
    elif name in API_ROWS and page_ratio is not None:
        target, ok = f"≥ its page ({page_ratio:.3f})", data["rps"] / minimal >= page_ratio
    elif role in (None, "anonymous", "worker"):
        target, ok = f"≥ {PUBLIC_RATIO}", data["rps"] / minimal >= PUBLIC_RATIO
    else:
        target = f"≥ {STAFF_RATIO}, p95 ≤ {STAFF_P95} ms"
        ok = data["rps"] / minimal >= STAFF_RATIO and data["p95_ms"] <= STAFF_P95
    if sql is not None:
        target += f", SQL ≤ {MAX_SQL}"
    if data.get("client") == "http":
        return target, None
    return target, ok and (sql is None or sql <= MAX_SQL) and data["requests"] >= 10


def table(results: dict, pages: dict) -> tuple[dict, list, list]:
    """Print every row against its target; returns (figures, the names that missed, the names that erred)."""
    minimal = statistics.mean(r["rps"] for name, r in results.items() if name.startswith("minimal"))
    floor = results["bare"]["rps"]
    print(f"\n{'endpoint':52} {'req/s':>7} {'ratio':>6} {'floor':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'SQL':>4}  target")
    figures, missed, erred = {}, [], []
    for name, data in results.items():
        page = pages.get(name, {})
        label = "minimal Flask app" if name.startswith("minimal") else name
        beside = results.get(API_ROWS[name][1]) if name in API_ROWS else None
        target, ok = judge(label, data, minimal, floor, page.get("role"), page.get("sql"),
                           beside["rps"] / minimal if beside else None)
        if ok is False:
            missed.append(name)
        if data.get("errors"):
            erred.append(name)
        mark = "" if not target else " ok" if ok else " MISSED" if ok is False else " (not judged)"
        print(f"{name:52} {data['rps']:7.0f} {data['rps'] / minimal:6.3f} {data['rps'] / floor:6.2f} "
              f"{data['p50_ms']:7.1f}ms {data['p95_ms']:7.1f}ms {data['p99_ms']:7.1f}ms {page.get('sql', ''):>4}  "
              f"{target}{mark}{'  ERRORS: ' + str(data['errors']) if data.get('errors') else ''}")
        figures[name] = dict(data, ratio=data["rps"] / minimal, ratio_to_floor=data["rps"] / floor,
                             sql_queries=page.get("sql"), path=page.get("path"), target=target, met=ok)
    return figures, missed, erred


def markdown(figures: dict) -> str:
    lines = ["| page@role | req/s | ratio | to floor | p50 ms | p95 ms | p99 ms | SQL | target |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, f in figures.items():
        verdict_ = "" if not f["target"] else "ok" if f["met"] else "**missed**" if f["met"] is False else "—"
        lines.append(f"| {name} | {f['rps']:.0f} | {f['ratio']:.3f} | {f['ratio_to_floor']:.2f} | {f['p50_ms']:.1f} "
                     f"| {f['p95_ms']:.1f} | {f['p99_ms']:.1f} | {f['sql_queries'] if f['sql_queries'] is not None else ''} "
                     f"| {f['target']} {verdict_} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="district", choices=["tiny", "medium", "district"])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quick", type=int, default=0, metavar="N",
                        help="measure each page with N requests of a plain HTTP client instead of wrk (CI)")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure these rows (a page@role, an endpoint's every role, or a POST's name) beside "
                             "the minimal app and the floor; skip the exports, write no file")
    parser.add_argument("--no-exports", action="store_true", help="skip the exports and the export job")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)  # nosec B603 B607
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / (args.scale + '.db')}"
    # The exports are timed inline (their throughput targets), whatever their size; the job that takes them
    # over above EXPORT_JOB_ROWS in production is timed on its own (timed_job_start).
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key", LOGIN_RATE_LIMIT="100000 per minute",
               CHECKIN_RATE_LIMIT="100000 per minute", API_RATE_LIMIT="100000 per minute", UPLOAD_DIR=str(DATA / "uploads"), EXPORT_JOB_ROWS="1000000000",
               API_ACCESS_LOG=str(DATA / "api-access.log"))  # written as in production, to a file
    started = time.perf_counter()
    build_dataset(args.scale, env)
    plan = page_table(env)
    print(f"dataset and page table ready: {time.perf_counter() - started:.0f} s")
    wanted = lambda name: not args.only or any(name == o or name.split("@")[0] == o for o in args.only)  # noqa: E731
    pages = {p["name"]: p for p in plan["pages"] if wanted(p["name"])}

    port, minimal_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    workers = 2 * (os.cpu_count() or 1) + 1
    minimal_server = start_gunicorn("minimal_app:app", minimal_port, workers, env, "/")
    server = start_gunicorn("app:app", port, workers, env, "/healthz")
    results, not_measured = {}, {}
    try:
        cookies = {"anonymous": ""}
        for role, (phone, password) in plan["accounts"].items():
            cookies[role] = sign_in(base, phone, password)[0]
        admin_opener = sign_in(base, *ADMIN)[1]
        target_file = enrol_targets(env, base, 8 if args.quick else 40) if wanted("enrol/withdraw POST") else None
        print(f"signed in, enrol targets ready: {time.perf_counter() - started:.0f} s")

        results["minimal (start)"] = measure_get(f"http://127.0.0.1:{minimal_port}/", "", args, workers)
        results["bare"] = measure_get(f"{base}/bench/bare", "", args, workers)
        rows = [(name, page["path"], cookies[page["role"]]) for name, page in pages.items()]
        if wanted("catalogue filtered"):
            rows.append(("catalogue filtered", "/courses?programme=zhuji&available=y&q=课程", ""))
        for name, (path, beside, with_token) in API_ROWS.items():
            if wanted(name):
                credential = "Bearer " + api_token(sign_in(base, *WORKER)[1], base) if with_token else ""
                after = next((i + 1 for i, row in enumerate(rows) if row[0] == beside), len(rows))
                rows.insert(after, (name, path, credential))
        for name, path, cookie in rows:
            status = pages.get(name, {}).get("status", 200)
            if status != 200:  # the district's object does not fit this role's rules: said, not measured
                not_measured[name] = f"answered {status} in-process"
                continue
            results[name] = measure_get(base + urllib.parse.quote(path, safe="/?=&"), cookie, args, workers)
        print(f"pages measured: {time.perf_counter() - started:.0f} s")
        for name, script in (("enrol/withdraw POST", "enrol.lua"), ("check-in POST", "checkin.lua")):
            if not wanted(name):
                continue
            extra = {"BENCH_TARGETS": str(target_file), "BENCH_THREADS": str(wrk_threads(args.connections))}
            if script == "checkin.lua":  # made just before its run: a scan token lives 90 seconds
                extra["BENCH_TARGETS"] = str(DATA / "checkin_targets.lua")
                checkin.prepare(in_app, sign_in, csrf_of, env, base, WORKER[1], DATA / "checkin_targets.lua",
                                8 if args.quick else checkin.WORKERS)
            count = (lambda: checkin.scans(in_app, env)) if script == "checkin.lua" else (lambda: status_events(env))
            before = count()
            results[name] = wrk(f"{base}/bench/bare", max(args.duration, 1), args.connections, script, extra)
            results[name]["state_changes"] = count() - before
        results["minimal (end)"] = measure_get(f"http://127.0.0.1:{minimal_port}/", "", args, workers)
        exports = None
        if not args.only and not args.no_exports:
            exports = time_exports(admin_opener, base, server.pid)
    finally:
        for process in (server, minimal_server):
            process.send_signal(signal.SIGTERM)
            process.wait(30)

    figures, missed, erred = table(results, pages)
    for name, reason in not_measured.items():
        print(f"not measured: {name}: {reason}")
    print(f"{len(results) - 3} rows measured, {len(plan['skipped'])} routes skipped for a declared reason, "
          f"{len(not_measured)} page-roles not measured; {time.perf_counter() - started:.0f} s in all")
    if args.only:
        print("partial run (--only): no file written")
    else:
        backend = "postgresql" if url.startswith("postgresql") else "sqlite"
        report = {"date": date.today().isoformat(), "database": backend, "scale": args.scale, "workers": workers,
                  "connections": args.connections, "duration_s": args.duration, "quick": args.quick,
                  "endpoints": figures, "not_measured": not_measured, "skipped": plan["skipped"],
                  "missed": missed, "errors": erred}
        if exports:
            missed += exports.pop("missed")
            report.update(exports)
        output = RESULTS / f"{date.today().isoformat()}-{backend}-{args.scale}.json"
        output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        output.with_suffix(".md").write_text(markdown(figures))
        print(f"written to {output.relative_to(ROOT)} (and .md)")
    print(f"targets missed: {len(missed)} ({', '.join(missed[:20]) or 'none'}{', …' if len(missed) > 20 else ''})")
    if erred:
        print(f"ERRORS under load on: {', '.join(erred)}")
        return 1
    return 0


def time_exports(admin_opener, base: str, master: int) -> dict:
    """The enrolment export as CSV and XLSX (time per 100,000 rows, worker memory) and the export job's start."""
    pids = worker_pids(master)
    memory_before = peak_rss_mb(pids)
    csv_seconds, csv_body = timed_download(admin_opener, f"{base}/admin/reports/enrolments?format=csv")
    memory_after_csv = peak_rss_mb(pids)
    xlsx_seconds, _xlsx_body = timed_download(admin_opener, f"{base}/admin/reports/enrolments?format=xlsx")
    peak_memory = peak_rss_mb(pids)
    job_seconds = timed_job_start(admin_opener, base)  # last: the jobs then run in the workers' threads
    rows = max(csv_body.count(b"\n") - 1, 1)
    growth = memory_after_csv - memory_before
    csv_per_100k, xlsx_per_100k = csv_seconds * 100_000 / rows, xlsx_seconds * 100_000 / rows
    judged = rows >= 100_000  # below, the fixed cost of a request dominates and the scaled time means nothing
    csv_ok, xlsx_ok = (csv_per_100k <= 1 and growth <= 30, xlsx_per_100k <= 10) if judged else (None, None)
    job_ok = job_seconds <= 0.05
    print(f"Export handed to a job, its page answered in {job_seconds * 1000:.0f} ms  target ≤ 50 ms {verdict(job_ok)}")
    print(f"CSV export of {rows:,} rows: {csv_seconds:.2f} s ({csv_per_100k:.2f} s per 100,000 rows), growth "
          f"{growth:.1f} MB  target ≤ 1 s, ≤ 30 MB {verdict(csv_ok)}")
    print(f"XLSX export of {rows:,} rows: {xlsx_seconds:.2f} s ({xlsx_per_100k:.2f} s per 100,000 rows)  "
          f"target ≤ 10 s {verdict(xlsx_ok)}")
    return {"exports": {"rows": rows, "csv": {"seconds": csv_seconds, "seconds_per_100k_rows": csv_per_100k,
                                              "memory_growth_mb": growth, "met": csv_ok},
                        "xlsx": {"seconds": xlsx_seconds, "seconds_per_100k_rows": xlsx_per_100k, "met": xlsx_ok},
                        "worker_peak_rss_mb": peak_memory},
            "export_job": {"seconds_to_job_page": job_seconds, "target": "≤ 50 ms", "met": job_ok},
            "missed": [n for n, ok in (("CSV export", csv_ok), ("XLSX export", xlsx_ok), ("export job start", job_ok))
                       if ok is False]}


if __name__ == "__main__":
    sys.exit(main())
