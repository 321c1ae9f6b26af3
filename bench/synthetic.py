"""Synthetic data at district or national scale, written in bulk (COPY on PostgreSQL, executemany on
SQLite), for the benchmark harness and the scaling curve. Never mixed with real data: run it on an
empty database after `academy seed`."""
import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, insert, select, text
from werkzeug.security import generate_password_hash

from academy.core.i18n import LOCAL_TZ, local_today
from academy.extensions import db

SCALES = {
    # workers, courses, enrolments per course, sessions per course (range), years of history
    "tiny": dict(workers=300, courses=40, per_course=25, sessions=(2, 4), years=2),
    "medium": dict(workers=5_000, courses=500, per_course=60, sessions=(4, 8), years=3),
    "district": dict(workers=20_000, courses=2_000, per_course=100, sessions=(7, 12), years=4),
    "regional": dict(workers=200_000, courses=20_000, per_course=100, sessions=(2, 4), years=6),
    "national": dict(workers=2_000_000, courses=200_000, per_course=100, sessions=(2, 4), years=6),
}
PASSWORD = "synthetic-district-password"
STATUS_MIX_PAST = [("completed", 70), ("not_completed", 10), ("withdrawn", 12), ("rejected", 8)]
STATUS_MIX_FUTURE = [("enrolled", 60), ("waitlisted", 15), ("pending", 15), ("withdrawn", 10)]
BATCH = 200_000  # rows gathered before they are written
MARKS = ["present"] * 86 + ["late"] * 4 + ["left_early"] * 2 + ["absent"] * 5 + ["excused"] * 3


def _tables():
    return db.metadata.tables


def _next_id(table) -> int:
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def _bulk(table, rows: list[dict], chunk: int = 20_000) -> None:
    """Insert many rows: PostgreSQL COPY, else executemany in chunks."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        columns = list(rows[0])
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:  # nosec B608
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        return
    for start in range(0, len(rows), chunk):
        connection.execute(insert(table), rows[start:start + chunk])


def _flush_rows(counts: dict, table, rows: list, name: str) -> int:
    """Write the rows gathered so far and forget them; returns the running count for `name`."""
    _bulk(table, rows)
    counts[name] = counts.get(name, 0) + len(rows)
    rows.clear()
    return counts[name]


def _reset_sequences() -> None:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    # Table names come from our own metadata, never from input.
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
            statement = (f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # nosec B608
                         f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)")
            connection.execute(text(statement))


def _utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(timezone.utc)


def generate(scale: str = "district", seed: int = 20261128, echo=print) -> dict:
    """Create the synthetic district; returns the row counts written."""
    spec = SCALES[scale]
    rng = random.Random(seed)
    t = _tables()
    now = datetime.now(timezone.utc)
    today = local_today()
    counts = {}
    subdistricts = db.session.execute(select(t["org_units"].c.id).where(t["org_units"].c.kind == "subdistrict")
                                      .order_by(t["org_units"].c.code)).scalars().all()
    programmes = db.session.execute(select(t["programmes"].c.id, t["programmes"].c.code)).all()
    if not subdistricts or not programmes:
        raise RuntimeError("Run `flask --app wsgi academy seed` first.")

    # Communities: ten under each subdistrict.
    unit_id = _next_id(t["org_units"])
    units = []
    for street in subdistricts:
        for _ in range(10):
            units.append(dict(id=unit_id, kind="community", code=None, name_zh=f"合成社区{unit_id}",
                              name_en=f"Synthetic Community {unit_id}", parent_id=street, created_at=now,
                              updated_at=now))
            unit_id += 1
    _bulk(t["org_units"], units)
    unit_street = {u["id"]: u["parent_id"] for u in units}
    counts["org_units"] = len(units)

    # People: workers with profiles, and instructors; one shared password hash keeps this fast.
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    user_id = _next_id(t["users"])
    users, profiles = [], []
    qualifications = ["none"] * 35 + ["assistant"] * 40 + ["social_worker"] * 22 + ["senior"] * 3
    educations = ["secondary"] * 10 + ["junior_college"] * 35 + ["bachelor"] * 45 + ["master"] * 9 + ["doctorate"]
    worker_ids, people = [], []  # people: (id, qualification, registration date) for the standings
    for index in range(spec["workers"]):
        unit = rng.choice(units)["id"]
        qualification = rng.choice(qualifications)
        users.append(dict(id=user_id, phone=f"16{index:09d}", name=f"学员{index}", email=None,
                          password_hash=password_hash, role="worker", street_id=None, active=True, session_version=1,
                          locale=None, last_login_at=None, partner_id=None, created_at=now, updated_at=now))
        profiles.append(dict(user_id=user_id, work_unit_id=unit, subdistrict_id=unit_street[unit], gender=None,
                             education=rng.choice(educations), qualification=qualification, certificate_no=None,
                             registration_date=(today - timedelta(days=rng.randint(30, 1500)))
                             if qualification != "none" else None,
                             resident_id=None, years_in_service=rng.randint(0, 25), post="社区工作者",
                             created_at=now, updated_at=now))
        worker_ids.append(user_id)
        people.append((user_id, qualification, profiles[-1]["registration_date"]))
        user_id += 1
        if len(users) == BATCH:
            _flush_rows(counts, t["users"], users, "users")
            _flush_rows(counts, t["worker_profiles"], profiles, "worker_profiles")
    instructor_ids = []
    for index in range(max(10, spec["workers"] // 200)):
        users.append(dict(id=user_id, phone=f"15{index:09d}", name=f"讲师{index}", email=None,
                          password_hash=password_hash, role="instructor", street_id=None, active=True,
                          session_version=1, locale=None, last_login_at=None, partner_id=None, created_at=now,
                          updated_at=now))
        instructor_ids.append(user_id)
        user_id += 1
    planner_id = user_id  # the administrator who set the synthetic plans
    users.append(dict(id=user_id, phone="14000000000", name="计划管理员", email=None, password_hash=password_hash,
                      role="admin", street_id=None, active=True, session_version=1, locale=None, last_login_at=None,
                      partner_id=None, created_at=now, updated_at=now))
    user_id += 1
    _flush_rows(counts, t["users"], users, "users")
    _flush_rows(counts, t["worker_profiles"], profiles, "worker_profiles")
    echo(f"  {counts['users']:,} accounts")

    # Courses over the years, their sessions and instructors.
    course_id, session_id = _next_id(t["courses"]), _next_id(t["course_sessions"])
    courses, sessions, teaching = [], [], []
    first_day = today - timedelta(days=365 * spec["years"])
    span = (today + timedelta(days=180) - first_day).days
    course_sessions = {}
    for _ in range(spec["courses"]):
        starts = first_day + timedelta(days=rng.randint(0, span))
        count = rng.randint(*spec["sessions"])
        days = [starts + timedelta(days=7 * n) for n in range(count)]
        hours = Decimal("3") * count
        past = days[-1] < today
        courses.append(dict(
            id=course_id, programme_id=rng.choice(programmes)[0], code=f"SYN-{course_id:07d}",
            title=f"合成课程{course_id}", summary="社区治理与服务实务", description="", mode="in_person",
            venue="东城区社会工作学院", practice_base_id=None, credit_hours=hours, hours_from_sessions=True,
            capacity=spec["per_course"], seats_taken=0, waitlist_enabled=True,
            enrol_opens_at=_utc(starts - timedelta(days=40), 9), enrol_closes_at=_utc(starts - timedelta(days=2), 18),
            starts_on=starts, ends_on=days[-1], approval_required=False, min_qualification=None,
            min_education=None, min_attendance_rate=80, pass_mark=None,
            status="closed" if past else "published", cancel_reason=None,
            results_finalised_at=_utc(days[-1] + timedelta(days=1), 10) if past else None,
            created_by_id=None, created_at=now, updated_at=now))
        teaching.append(dict(course_id=course_id, user_id=rng.choice(instructor_ids)))
        course_sessions[course_id] = []
        for day in days:
            sessions.append(dict(id=session_id, course_id=course_id, starts_at=_utc(day, 9), ends_at=_utc(day, 12),
                                 venue=None, topic="专题", instructor_id=None, hours=Decimal("3"),
                                 hours_from_duration=True, created_at=now, updated_at=now))
            course_sessions[course_id].append(session_id)
            session_id += 1
        course_id += 1

    # Enrolments in every status; seats taken follow the seated ones. Written a batch of courses at a time
    # (each course before its enrolments), so that memory stays flat at any scale.
    enrolment_id = _next_id(t["enrolments"])
    enrolments, marks = [], []
    mark_id = _next_id(t["attendance_marks"])
    past_mix = [s for s, w in STATUS_MIX_PAST for _ in range(w)]
    future_mix = [s for s, w in STATUS_MIX_FUTURE for _ in range(w)]
    completed_hours: dict[int, list] = {}  # worker: [(day, hours)] for the standings
    counts.update(courses=0, course_sessions=0, course_instructors=0, enrolments=0, attendance_marks=0)

    def write_courses(last_id: int) -> None:
        """The courses up to this id not yet written (their sessions and instructors, gathered in the same
        order), then the enrolments and marks gathered."""
        for table, rows in (("courses", courses), ("course_sessions", sessions), ("course_instructors", teaching)):
            start = counts[table]
            end = start
            while end < len(rows) and (rows[end]["id"] if table == "courses" else rows[end]["course_id"]) <= last_id:
                end += 1
            _bulk(t[table], rows[start:end])
            counts[table] = end
        _flush_rows(counts, t["enrolments"], enrolments, "enrolments")
        _flush_rows(counts, t["attendance_marks"], marks, "attendance_marks")

    for number, course in enumerate(courses, 1):
        past = course["ends_on"] < today
        chosen = rng.sample(worker_ids, min(spec["per_course"], len(worker_ids)))
        seated = 0
        for position, worker in enumerate(chosen):
            status = rng.choice(past_mix if past else future_mix)
            completed = status == "completed"
            enrolments.append(dict(
                id=enrolment_id, course_id=course["id"], worker_id=worker, status=status,
                queued_at=_utc(course["starts_on"] - timedelta(days=10), 9) + timedelta(seconds=position)
                if status == "waitlisted" else None,
                score=None, attendance_rate=Decimal("95") if completed else (Decimal("60") if status == "not_completed"
                                                                              else None),
                credited_hours=course["credit_hours"] if completed else None,
                finalised_at=course["results_finalised_at"] if status in ("completed", "not_completed") else None,
                outcome_reason=None, created_at=now, updated_at=now))
            if completed:
                completed_hours.setdefault(worker, []).append((course["ends_on"], course["credit_hours"]))
            if status in ("enrolled", "completed", "not_completed"):
                seated += 1
                if past:
                    for session in course_sessions[course["id"]]:
                        marks.append(dict(id=mark_id, session_id=session, enrolment_id=enrolment_id,
                                          mark=rng.choice(MARKS), marked_by_id=None, marked_at=now))
                        mark_id += 1
            enrolment_id += 1
        course["seats_taken"] = seated
        if len(enrolments) + len(marks) >= BATCH or number == len(courses):
            write_courses(course["id"])
    echo(f"  {counts['courses']:,} courses, {counts['course_sessions']:,} sessions")
    echo(f"  {counts['enrolments']:,} enrolments")
    echo(f"  {counts['attendance_marks']:,} attendance marks")

    # Outside records (a tenth of the workers) and continuing-education standings from the same numbers.
    record_id = _next_id(t["external_records"])
    records = []
    for worker in rng.sample(worker_ids, len(worker_ids) // 10):
        records.append(dict(id=record_id, worker_id=worker, kind="training", title="院外培训", institution="北京市社会工作者协会",
                            partner_id=None, practice_base_id=None, started_on=today - timedelta(days=200),
                            ended_on=today - timedelta(days=199), hours=Decimal("12"), major=None, level_from=None,
                            level_to=None, credits_earned=None, credits_required=None, expected_end_on=None,
                            degree_status=None, social_work_degree=False, research_kind=None, role=None,
                            outcome=None, evidence_id=None, review_status="verified", reviewed_by_id=None,
                            reviewed_at=now, review_reason=None, created_at=now, updated_at=now))
        record_id += 1
    _bulk(t["external_records"], records)
    counts["external_records"] = len(records)
    for record in records:
        completed_hours.setdefault(record["worker_id"], []).append((record["ended_on"], record["hours"]))
    _standings(people, completed_hours, now)
    counts["qualification_records"] = _registry(rng, people, today, now)
    _reset_sequences()
    db.session.flush()
    # The rows above bypassed the ORM, so the reports' summary tables are computed afresh.
    from academy.core.pagecache import REPORTS, bump_version
    from academy.core.tallying import rebuild_all

    counts["summary rows"] = sum(rows for tables in rebuild_all(db.session.connection()).values()
                                 for rows in tables.values())
    bump_version(db.session, REPORTS)
    counts["plans"] = _plans(rng, planner_id)
    if db.session.connection().dialect.name == "postgresql":
        # Fresh statistics for the planner: without them, after a bulk load of 20,000,000 enrolments, a
        # worker's enrolments were read through the status index (12.8 million entries, 170 ms) instead
        # of the worker's (0.2 ms); autovacuum would get there only later.
        db.session.execute(text("ANALYZE"))
    return counts


def _plans(rng, planner_id: int) -> int:
    """Every year's plans from what the year brought, some reached, some behind: each programme's for the
    district, and the Zhuji programme's share of each subdistrict, through the plans' own operation."""
    from academy.auth.models import User
    from academy.orgs.models import OrgUnit
    from academy.plans.operations import create_plan
    from academy.programmes.models import Programme, Tier
    from academy.reports.models import EnrolmentTally
    from academy.reports.plans_progress import DISTRICT, actuals_of_year

    planner = db.session.get(User, planner_id)
    programmes = {programme.id: programme for programme in db.session.scalars(select(Programme))}
    made = 0
    for year in db.session.scalars(select(EnrolmentTally.year).where(EnrolmentTally.year > 0).distinct()).all():
        for (programme_id, street), actual in sorted(actuals_of_year(db.session, year).items()):
            programme = programmes[programme_id]
            if street != DISTRICT and programme.code != "ZHUJI":
                continue
            factor = rng.choice((Decimal("0.8"), Decimal("0.95"), Decimal("1.3"), Decimal("1.6")))
            figures = {"people_trained": int(actual.completed_workers * factor), "enrolments": int(actual.seated * factor),
                       "hours": (actual.hours * factor).quantize(Decimal("1")),
                       "certificates": int(actual.completed * factor),
                       "ce_rate": min(Decimal(100), (actual.of("ce_rate", programme.tier) * factor).quantize(Decimal("1")))}
            if programme.tier == Tier.DEGREE:
                figures["degrees"] = int(actual.completed_workers * factor)
            if programme.tier == Tier.RESEARCH:
                figures["projects"] = int(actual.completed * factor)
            create_plan(planner, year=year, programme=programme,
                        subdistrict=db.session.get(OrgUnit, street) if street != DISTRICT else None,
                        figures=figures, reason="合成年度计划")
            made += 1
    db.session.flush()
    return made


def _registry(rng, people, today, now) -> int:
    """Each certified worker's certificates, up to their profile's level, verified (one in twenty still
    awaiting verification): an intermediate holder mostly passed the assistant exam first, a senior holder
    the intermediate one; more pass each year."""
    table = _tables()["qualification_records"]
    ladder = ("assistant", "social_worker", "senior")
    years = list(range(2008, today.year))
    weights = [1 + (year - 2008) ** 1.5 for year in years]
    record_id, rows, number = _next_id(table), [], 0
    for worker_id, qualification, _registered in people:
        if qualification == "none":
            continue
        top = ladder.index(qualification)
        first = top if top == 0 or rng.random() < 0.3 else top - 1 if top == 1 or rng.random() < 0.5 else 0
        year = rng.choices(years, weights)[0]
        for level in ladder[first:top + 1]:
            number += 1
            year = min(year + rng.randint(1, 3), today.year - 1) if level != ladder[first] else year
            status = "verified" if rng.random() < 0.95 else "declared"
            rows.append(dict(id=record_id, worker_id=worker_id, level=level, certificate_no=f"SYN{number:08d}",
                             exam_year=year, issued_on=date(year, 12, 20), issuing_authority="人力资源和社会保障部 民政部",
                             scan_id=None, status=status, status_reason=None, override_reason=None,
                             imported=status == "verified", declared_by_id=None, decided_by_id=None,
                             decided_at=now if status == "verified" else None, created_at=now, updated_at=now))
            record_id += 1
    _bulk(table, rows)
    return len(rows)


def _standings(people, hours, now) -> None:
    """Every worker's continuing-education standing from the hours written above."""
    from academy.progress.continuing import add_years

    required = {"assistant": Decimal("72"), "social_worker": Decimal("90"), "senior": Decimal("90")}
    rows = []
    for worker_id, qualification, start in people:
        applicable = start is not None
        end = add_years(start, 3) if applicable else None
        done = sum((h for day, h in hours.get(worker_id, []) if applicable and start <= day < end), Decimal("0"))
        rows.append(dict(worker_id=worker_id, applicable=applicable, period_start=start, period_end=end,
                         required=required.get(qualification, Decimal("0")), done=done, refreshed_at=now))
        if len(rows) == BATCH:
            _bulk(db.metadata.tables["ce_standings"], rows)
            rows.clear()
    _bulk(db.metadata.tables["ce_standings"], rows)


def main() -> None:
    """python bench/synthetic.py --scale district: fill the database DATABASE_URL names (schema built,
    reference data seeded) with the synthetic district."""
    import argparse
    import sys
    import time as clock
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from academy import create_app

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="district")
    scale = parser.parse_args().scale
    with create_app().app_context():
        started = clock.perf_counter()
        print(f"Generating the {scale} data set:")
        counts = generate(scale, echo=print)
        db.session.commit()
        print(f"Done in {clock.perf_counter() - started:.1f} s: " + ", ".join(
            f"{count:,} {name}" for name, count in counts.items()))
        print(f"Synthetic accounts: workers 16000000000…, instructors 15000000000…, password {PASSWORD}")


if __name__ == "__main__":
    main()
