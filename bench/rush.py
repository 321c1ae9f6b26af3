"""The enrolment rush (issue 26): popular courses open at one moment and the district's workers try to
enrol at once, while anonymous visitors browse the catalogue and the courses' pages.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench \\
        python bench/rush.py [--scale district] [--workers 2000] [--courses 20] [--seats 30] \\
                             [--visitors 500] [--window 60]

Before the moment: the synthetic district (bench/run.py builds or reuses it), `--courses` new courses of
`--seats` seats with a waitlist, not yet open; `--workers` workers signed in through the login form, each
with a session of their own (the first consent to the privacy notice given for those who lack it, as a
worker gives it at first sign-in). At the moment the courses open (one UPDATE) and the rush starts: every
worker sends one enrol POST at a time drawn in the window (fixed seed), to one of the courses in turn, and
follows the redirect to the course page as a browser does; every visitor opens the catalogue, a rushed
course, the catalogue of a programme and another rushed course, at times drawn in the window. The
requests are sent when their time comes, whatever the state of the earlier ones (an open load, as people
arrive), and each time is counted from then: a request that waited for the client counts that wait.

Afterwards, in the database: every course holds exactly its seats, no more; every other attempt is on the
waitlist; the seats went to the first to arrive (the commit order of their enrolment events) and the
waitlist keeps that order; `academy check` finds every derived count right. Writes
bench/results/<date>-rush-<db>-<scale>.json.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import statistics
import subprocess  # nosec B404: runs our own tools with argument lists
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from pages import sign_in, start_gunicorn  # bench/pages.py
from run import BIN, DATA, RESULTS, ROOT, build_dataset, free_port, in_app  # bench/run.py
from synthetic import PASSWORD  # bench/synthetic.py

TARGETS = {"errors": 0, "oversold": 0, "enrol_p95_ms": 300, "pages_p95_ms": 100}

PREPARE = """
from datetime import timedelta
from decimal import Decimal
from academy.auth import consent
from academy.auth.enums import ConsentKind
from academy.core.i18n import local_today, LOCAL_TZ
from academy.courses.models import CourseSession, DeliveryMode
from academy.programmes.models import Programme
from academy.core.permissions import Role
total = db.session.scalar(select(func.count(User.id)).where(User.role == Role.WORKER, User.phone.like("16%")))
skip = 401 if total >= 401 + payload["workers"] else 2  # past the workers bench/run.py enrols, where it can
users = db.session.scalars(select(User).where(User.role == Role.WORKER, User.phone.like("16%"))
                           .order_by(User.phone).offset(skip).limit(payload["workers"])).all()
for user in users:
    if not consent.holds(user.id, ConsentKind.PRIVACY_NOTICE):
        consent.give(user, ConsentKind.PRIVACY_NOTICE)
programme = db.session.scalars(select(Programme).order_by(Programme.id)).first()
stamp = payload["stamp"]
ids = []
for number in range(payload["courses"]):
    day = local_today() + timedelta(days=200 + number)
    def at(hour):
        return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)
    course = Course(programme=programme, code=f"RUSH-{stamp}-{number:02d}", title=f"热门课程{number + 1}",
                    summary="社区治理实务", mode=DeliveryMode.IN_PERSON, venue="东城区社会工作学院",
                    capacity=payload["seats"], seats_taken=0, waitlist_enabled=True, approval_required=False,
                    starts_on=day, ends_on=day, enrol_opens_at=at(9) - timedelta(days=3650),
                    enrol_closes_at=at(9) - timedelta(days=1), status=CourseStatus.DRAFT,
                    credit_hours=Decimal("3"), hours_from_sessions=True)
    course.sessions.append(CourseSession(starts_at=at(9), ends_at=at(12), topic="专题", hours=Decimal("3")))
    db.session.add(course)
    db.session.flush()
    ids.append(course.id)
db.session.commit()
print(json.dumps({"courses": ids, "phones": [user.phone for user in users]}))
"""

# Published, with enrolment opening in a minute: the course pages can be opened, no one can enrol yet.
PUBLISH = """
from datetime import timedelta
for course in db.session.scalars(select(Course).where(Course.id.in_(payload))):
    course.status = CourseStatus.PUBLISHED
    course.enrol_opens_at = datetime.now(timezone.utc) + timedelta(minutes=30)
db.session.commit()
print(json.dumps(True))
"""

OPEN = """
for course in db.session.scalars(select(Course).where(Course.id.in_(payload))):
    course.enrol_opens_at = datetime.now(timezone.utc)
db.session.commit()
print(json.dumps(True))
"""

# Per course: its seats, its enrolments (with the worker's number) in the order their first event was
# committed, and its waitlist in the order the waitlist keeps (what each worker sees as their place).
OUTCOME = """
from academy.enrolment.models import EnrolmentEvent
out = {}
first_event = (select(EnrolmentEvent.enrolment_id, func.min(EnrolmentEvent.id).label("first"))
               .group_by(EnrolmentEvent.enrolment_id).subquery())
for course in db.session.scalars(select(Course).where(Course.id.in_(payload))):
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.status, Enrolment.queued_at, User.phone)
        .join(first_event, first_event.c.enrolment_id == Enrolment.id).join(User, User.id == Enrolment.worker_id)
        .where(Enrolment.course_id == course.id).order_by(first_event.c.first)).all()
    waitlist = sorted((r for r in rows if r.status.value == "waitlisted"), key=lambda r: (r.queued_at, r.id))
    out[course.id] = {"capacity": course.capacity, "seats_taken": course.seats_taken,
                      "arrival": [[r.id, r.status.value, r.phone] for r in rows], "waitlist": [r.id for r in waitlist]}
print(json.dumps(out))
"""


class Client:
    """Plain HTTP requests to the server (no redirect followed); the time of each from its scheduled moment."""

    def __init__(self, port: int):
        self.port = port
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.errors: dict[str, list] = {}
        self.attempts: dict[tuple, tuple] = {}  # (course id, worker's number): (sent, answered)

    def send(self, kind: str, method: str, path: str, headers: dict, body: str | None, due: float):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status, location, cookie = response.status, response.getheader("Location"), response.getheader("Set-Cookie")
        except OSError as error:
            status, location, cookie = 0, repr(error), None
        finally:
            connection.close()
        elapsed = (time.perf_counter() - due) * 1000
        with self.lock:
            self.times.setdefault(kind, []).append(elapsed)
            if not 200 <= status < 400:
                self.errors.setdefault(kind, []).append([status, path, location])
        return status, location, cookie


def with_cookie(cookies: str, set_cookie: str | None) -> str:
    """The Cookie header a browser sends next: `cookies` with the one the answer set (its flash) in place."""
    if not set_cookie:
        return cookies
    name, _, _value = set_cookie.split(";", 1)[0].partition("=")
    kept = [part for part in cookies.split("; ") if part.split("=", 1)[0] != name]
    return "; ".join([*kept, set_cookie.split(";", 1)[0]])


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}

    def at(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {"count": len(ordered), "p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(at(95), 1),
            "p99_ms": round(at(99), 1), "max_ms": round(ordered[-1], 1)}


def signed_in_workers(base: str, phones: list[str], threads: int) -> list[dict]:
    """Each worker's session cookie and CSRF token, from the login form like a person's."""
    def one(phone):
        cookie, opener = sign_in(base, phone, PASSWORD)
        page = opener.open(f"{base}/learning").read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return {"phone": phone, "cookie": cookie, "csrf": token}

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, phones))


def rush(client: Client, workers: list[dict], courses: list[int], visitors: int, window: float, seed: int):
    """Every worker's enrol POST (then the course page it is sent to) and every visitor's four pages, each
    sent at its drawn moment of the window."""
    rng = random.Random(seed)
    plan = []
    for index, worker in enumerate(workers):
        course = courses[index % len(courses)]
        plan.append((rng.uniform(0, window), "enrol", worker, course))
    for _ in range(visitors):
        for step, moment in enumerate(sorted(rng.uniform(0, window) for _ in range(4))):
            plan.append((moment, "visit", step, rng.choice(courses)))
    plan.sort(key=lambda item: item[0])
    start = time.perf_counter() + 0.5

    def carry(item):
        moment, kind, who, course = item
        due = start + moment
        time.sleep(max(0.0, due - time.perf_counter()))
        if kind == "enrol":
            headers = {"Cookie": who["cookie"], "Content-Type": "application/x-www-form-urlencoded"}
            body = urllib.parse.urlencode({"csrf_token": who["csrf"]})
            sent = time.perf_counter()
            status, location, cookie = client.send("enrol POST", "POST", f"/courses/{course}/enrol", headers, body,
                                                   due)
            client.attempts[(course, who["phone"])] = (sent, time.perf_counter())
            if status in (302, 303) and location:  # the page it is sent to, with the message the answer left
                client.send("course page after enrolling (signed in)", "GET", urllib.parse.urlsplit(location).path,
                            {"Cookie": with_cookie(who["cookie"], cookie)}, None, time.perf_counter())
            return
        path = ("/courses", f"/courses/{course}", "/courses?programme=zhuji", f"/courses/{course}")[who]
        client.send("pages (anonymous visitors)", "GET", path, {}, None, due)

    with ThreadPoolExecutor(256) as pool:
        list(pool.map(carry, plan))
    return time.perf_counter() - start


def verify(outcome: dict, attempts: dict, timings: dict) -> dict:
    """Oversold seats, attempts that left no enrolment, and places out of arrival order. The seats must go
    to the first enrolments committed; and no worker may hold a worse place (a waitlist place behind, or
    none of the seats) than one whose request was sent after theirs was answered: `timings` holds each
    attempt's (sent, answered) by (course id, worker's number). Requests in flight together may be served
    in either order, as they would be by any server."""
    report = {"oversold": 0, "lost_attempts": 0, "out_of_order": 0, "courses": {}}
    for course_id, data in outcome.items():
        arrival = data["arrival"]
        enrolled = [row for row in arrival if row[1] == "enrolled"]
        seated_first = min(data["capacity"], len(arrival))
        place = {row[0]: 0 for row in enrolled}
        place.update({enrolment: number for number, enrolment in enumerate(data["waitlist"], start=1)})
        times = [(timings[(int(course_id), row[2])], place.get(row[0], len(arrival) + 1)) for row in arrival
                 if (int(course_id), row[2]) in timings]
        overtaken = sum(1 for (earlier, place_a) in times for (later, place_b) in times
                        if earlier[1] < later[0] and place_a > place_b)
        late_seats = sum(1 for row in arrival[:seated_first] if row[1] != "enrolled")
        report["oversold"] += max(0, len(enrolled) - data["capacity"]) + max(0, data["seats_taken"] - data["capacity"])
        report["lost_attempts"] += attempts.get(int(course_id), 0) - len(arrival)
        report["out_of_order"] += overtaken + late_seats
        report["courses"][course_id] = {"attempts": attempts.get(int(course_id), 0), "enrolled": len(enrolled),
                                        "seats_taken": data["seats_taken"], "waitlisted": len(data["waitlist"]),
                                        "overtaken": overtaken, "seats_out_of_commit_order": late_seats}
    return report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="district", choices=["tiny", "medium", "district"])
    parser.add_argument("--workers", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--seats", type=int, default=30)
    parser.add_argument("--visitors", type=int, default=500)
    parser.add_argument("--window", type=float, default=60, help="seconds over which the attempts arrive")
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / (args.scale + '.db')}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret-key", LOGIN_RATE_LIMIT="100000 per minute",
               UPLOAD_DIR=str(DATA / "uploads"))
    started = time.perf_counter()
    build_dataset(args.scale, env)
    prepared = in_app(env, PREPARE, {"workers": args.workers, "courses": args.courses, "seats": args.seats,
                                     "stamp": int(time.time())})
    courses, phones = prepared["courses"], prepared["phones"]
    if len(phones) < args.workers:
        raise SystemExit(f"the {args.scale} district has {len(phones)} of the {args.workers} workers asked")
    in_app(env, PUBLISH, courses)
    port = free_port()
    workers = 2 * (os.cpu_count() or 1) + 1
    server = start_gunicorn("app:app", port, workers, env, "/healthz")
    try:
        base = f"http://127.0.0.1:{port}"
        signing = time.perf_counter()
        people = signed_in_workers(base, phones, workers)
        print(f"{len(people)} workers signed in ({time.perf_counter() - signing:.0f} s); "
              f"{len(courses)} courses of {args.seats} seats open now")
        in_app(env, OPEN, courses)
        client = Client(port)
        took = rush(client, people, courses, args.visitors, args.window, args.seed)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    attempts = {}
    for index in range(len(people)):
        attempts[courses[index % len(courses)]] = attempts.get(courses[index % len(courses)], 0) + 1
    checked = verify(in_app(env, OUTCOME, courses), attempts, client.attempts)
    check = subprocess.run([str(BIN / "flask"), "--app", "wsgi", "academy", "check"], cwd=ROOT, env=env,  # nosec B603
                           capture_output=True, text=True)
    figures = {kind: percentiles(values) for kind, values in client.times.items()}
    errors = sum(len(found) for found in client.errors.values())
    enrol, pages = figures.get("enrol POST", {}), figures.get("pages (anonymous visitors)", {})
    met = {"errors": errors == 0, "oversold": checked["oversold"] == 0,
           "enrol_p95_ms": enrol.get("p95_ms", 1e9) <= TARGETS["enrol_p95_ms"],
           "pages_p95_ms": pages.get("p95_ms", 1e9) <= TARGETS["pages_p95_ms"]}
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    print(f"\nrush: {len(people)} workers, {len(courses)} courses × {args.seats} seats, {args.visitors} visitors, "
          f"{args.window:.0f} s window ({took:.1f} s to the last answer), {backend}, {args.scale} scale")
    for kind, data in figures.items():
        print(f"  {kind:42} {data['count']:6} requests  p50 {data['p50_ms']:7.1f} ms  p95 {data['p95_ms']:7.1f} ms  "
              f"p99 {data['p99_ms']:7.1f} ms  max {data['max_ms']:7.1f} ms  errors {len(client.errors.get(kind, []))}")
    seated = sum(c["enrolled"] for c in checked["courses"].values())
    queued = sum(c["waitlisted"] for c in checked["courses"].values())
    print(f"  seats taken {seated} of {len(courses) * args.seats}, waitlisted {queued}, oversold {checked['oversold']}, "
          f"attempts without an enrolment {checked['lost_attempts']}, places out of arrival order "
          f"{checked['out_of_order']}; academy check: {'whole' if check.returncode == 0 else 'FOUND DRIFT'}")
    for name, ok in met.items():
        print(f"  target {name} {TARGETS[name]}: {'ok' if ok else 'MISSED'}")
    report = {"date": date.today().isoformat(), "database": backend, "scale": args.scale, "server_workers": workers,
              "args": vars(args), "seconds": took, "figures": figures, "errors": client.errors, "checked": checked,
              "academy_check": check.stdout[-2000:], "targets": TARGETS, "met": met,
              "total_seconds": time.perf_counter() - started}
    output = RESULTS / f"{date.today().isoformat()}-rush-{backend}-{args.scale}.json"
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written to {output.relative_to(ROOT)}")
    whole = checked["oversold"] == 0 and checked["lost_attempts"] == 0 and not checked["out_of_order"]
    return 0 if errors == 0 and whole and check.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
