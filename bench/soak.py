"""Soak: a bounded mixed load on loopback while the database drops every connection at intervals; at the end
`academy check`, the count of 5xx answers and each gunicorn worker's memory at the start and the end.

    python bench/soak.py [--minutes 10] [--drop-every 30] [--clients 4]     # the benchmark (targets judged)
    python bench/soak.py --short                                            # CI-sized: 30 s, drops every 10 s
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_soak python bench/soak.py

The load: anonymous visitors browsing, workers enrolling and withdrawing, an administrator approving
requests and reading reports and exports. Targets (over 10 minutes): no 5xx but the 503s of writes that
met a dropped connection, `check` whole, worker memory growth under 50 MB. The database is built afresh
from the demo data each run (SQLite: bench/data/soak.db; PostgreSQL: the database named, dropped first).
Connections are dropped on PostgreSQL only (SQLite has none to drop)."""
import argparse
import collections
import http.client
import http.cookiejar
import os
import random
import re
import signal
import subprocess  # nosec B404: our own tools, argument lists
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, DATA, ROOT, flask_cli, free_port, worker_pids  # noqa: E402  (the harness's helpers)

PASSWORD = "dongcheng-demo-courtyard"  # academy/demo.py
ADMIN, WORKERS = "13800000001", ("13800000005", "13800000006", "13800000007")
MEMORY_TARGET_MB, TARGET_MINUTES = 50, 10


class Tally:
    def __init__(self):
        self.lock, self.codes, self.failures = threading.Lock(), collections.Counter(), collections.Counter()

    def add(self, method: str, code) -> None:
        with self.lock:
            self.codes[(method, code)] += 1

    def failed(self, what: str) -> None:
        with self.lock:
            self.failures[what] += 1


class Visitor:
    """One browser: a cookie jar, and the CSRF token of the last page read."""

    def __init__(self, base: str, tally: Tally):
        self.base, self.tally = base, tally
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str) -> str:
        return self._open("GET", path, None)

    def post(self, path: str, data: dict) -> str:
        return self._open("POST", path, urllib.parse.urlencode({"csrf_token": self.token, **data}, doseq=True).encode())

    def _open(self, method, path, body) -> str:
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                self.tally.add(method, response.status)
                page = response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            self.tally.add(method, error.code)
            page = error.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as error:  # a connection that broke: counted apart
            kind = "export" if "/reports/enrolments" in path else "page"
            self.tally.failed(f"{method} {kind} {type(error).__name__}")
            return ""
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        self.token = found.group(1) if found else self.token
        return page

    def sign_in(self, phone: str) -> None:
        self.get("/login")
        self.post("/login", {"phone": phone, "password": PASSWORD})


def browse(visitor: Visitor) -> None:
    page = visitor.get(random.choice(["/", "/courses", "/programmes", "/courses?available=y"]))
    courses = re.findall(r'href="(/courses/\d+)"', page)
    if courses:
        visitor.get(random.choice(courses))


def enrol_or_withdraw(visitor: Visitor) -> None:
    mine = visitor.get("/learning")
    withdrawals = re.findall(r'href="(/enrolments/\d+/withdraw)"', mine)
    if withdrawals and random.random() < 0.5:
        path = random.choice(withdrawals)
        visitor.get(path)
        visitor.post(path, {})
        return
    courses = re.findall(r'href="(/courses/\d+)"', visitor.get("/courses"))
    if courses:
        course = random.choice(courses)
        visitor.get(course)
        visitor.post(course + "/enrol", {})


def administer(visitor: Visitor) -> None:
    choice = random.random()
    if choice < 0.3:
        page = visitor.get("/teach/approvals")
        pending = re.findall(r'name="enrolments"[^>]*value="(\d+)"', page)
        if pending:
            visitor.post("/teach/approvals", {"enrolments": pending[:3]})
    elif choice < 0.8:
        visitor.get(random.choice(["/admin", "/admin/reports/progress", "/admin/reports/progress?group=subdistrict"]))
    else:
        visitor.get(random.choice(["/admin/reports/enrolments?format=csv", "/admin/reports/enrolments?format=xlsx"]))


def client_loop(role: str, visitor: Visitor, until: float) -> None:
    act = {"visitor": browse, "worker": enrol_or_withdraw, "admin": administer}[role]
    while time.monotonic() < until:
        act(visitor)


def drop_connections(url: str) -> int:
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        admin.dispose()


def rss_mb(pid: int) -> float:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


def fresh_database(env: dict) -> None:
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    else:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        target = make_url(url)
        server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        name = target.database.replace('"', "")
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        server.dispose()
    for command in (("db", "upgrade"), ("academy", "seed"), ("academy", "demo")):
        flask_cli(env, *command)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=TARGET_MINUTES)
    parser.add_argument("--drop-every", type=float, default=30.0, help="seconds between dropping every connection")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--short", action="store_true", help="CI-sized: half a minute, drops every 10 s")
    args = parser.parse_args()
    if args.short:
        args.minutes, args.drop_every = 0.5, 10.0
    DATA.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / 'soak.db'}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="soak-secret-key", LOGIN_RATE_LIMIT="100000 per minute",
               RATELIMIT_STORAGE_URI="memory://", UPLOAD_DIR=str(DATA / "soak-uploads"))
    fresh_database(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (DATA / "soak-gunicorn.log").open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",  # nosec B603
                               "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=log)
    tally, drops = Tally(), []
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        roles = ["visitor"] * max(1, args.clients // 2) + ["worker"] * max(1, args.clients // 4) + ["admin"]
        visitors = []
        for index, role in enumerate(roles):
            visitor = Visitor(base, tally)
            if role != "visitor":
                visitor.sign_in(ADMIN if role == "admin" else WORKERS[index % len(WORKERS)])
            visitors.append((role, visitor))
        for role, visitor in visitors:  # every page once: the caches are as full as they will be
            client_loop(role, visitor, time.monotonic() + 2)
        pids = sorted(worker_pids(server.pid))
        memory_start = {pid: rss_mb(pid) for pid in pids}
        started = time.monotonic()
        until = started + args.minutes * 60
        threads = [threading.Thread(target=client_loop, args=(role, visitor, until), daemon=True)
                   for role, visitor in visitors]
        for thread in threads:
            thread.start()
        next_drop = started + args.drop_every
        while time.monotonic() < until:
            time.sleep(min(0.5, max(0.0, until - time.monotonic())))
            if url.startswith("postgresql") and time.monotonic() >= next_drop:
                drops.append(drop_connections(url))
                next_drop += args.drop_every
        for thread in threads:
            thread.join(120)
        memory_end = {pid: rss_mb(pid) for pid in sorted(worker_pids(server.pid))}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        log.close()
    check = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "academy", "check"], cwd=ROOT, env=env,  # nosec B603
                           capture_output=True, text=True, check=False)
    return report(args, url, tally, drops, memory_start, memory_end, check)


def report(args, url, tally, drops, memory_start, memory_end, check) -> int:
    total = sum(tally.codes.values())
    server_errors = {key: count for key, count in tally.codes.items() if key[1] >= 500}
    interrupted = server_errors.pop(("POST", 503), 0)
    print(f"\nsoak: {args.minutes:g} min on {'PostgreSQL' if url.startswith('postgresql') else 'SQLite'}, "
          f"{len(drops)} drops of every connection ({sum(drops)} connections ended)")
    print(f"answers: {total:,} — " + ", ".join(f"{method} {code}: {count:,}" for (method, code), count
                                               in sorted(tally.codes.items())))
    print(f"503 of writes that met a dropped connection: {interrupted}; other 5xx: {sum(server_errors.values())}"
          + (f" {server_errors}" if server_errors else ""))
    cut = {what: count for what, count in tally.failures.items() if " export " in what}
    broken = {what: count for what, count in tally.failures.items() if what not in cut}
    if cut:  # the rows were streaming when the connection went: the download fails, and works when repeated
        print("exports cut off mid-download by a drop: " + ", ".join(f"{what}: {n}" for what, n in cut.items()))
    if broken:
        print("connections that broke: " + ", ".join(f"{what}: {count}" for what, count in broken.items()))
    errors = (DATA / "soak-gunicorn.log").read_text(errors="replace").count("Traceback")
    print(f"tracebacks in the server log (bench/data/soak-gunicorn.log): {errors}")
    print("worker memory (RSS): " + "; ".join(f"pid {pid} {mb:.0f} MB" for pid, mb in memory_start.items())
          + " at the start; " + "; ".join(f"pid {pid} {mb:.0f} MB" for pid, mb in memory_end.items()) + " at the end")
    growth = max((memory_end.get(pid, mb) - mb for pid, mb in memory_start.items()), default=0.0)
    judged = args.minutes >= TARGET_MINUTES
    memory_ok = growth < MEMORY_TARGET_MB
    print(f"largest growth {growth:+.1f} MB (target < {MEMORY_TARGET_MB} MB over {TARGET_MINUTES} min: "
          + ("ok" if memory_ok else "MISSED") + ("" if judged else ", not judged on a shorter run") + ")")
    print(check.stdout.strip())
    whole = check.returncode == 0
    ok = not server_errors and not broken and whole and (memory_ok or not judged)
    print(f"check: {'whole' if whole else 'DIFFERENCES'}; soak {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
