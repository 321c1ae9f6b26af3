"""The pages the benchmark measures, taken from the route walk's table (tests/security/test_route_walk.py):
every GET route, for every role the walk expects to answer 200, at a representative URL built from the
synthetic district. A route is left out only for a reason declared here (SKIP, or a GAP: the synthetic
district holds no object of that kind); tests/test_bench_endpoints.py keeps the two complete.

    python bench/endpoints.py [--count]   # with DATABASE_URL: prints the page table (and SQL counts) as JSON
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.security.test_route_walk import ROLES, ROUTES  # noqa: E402

ADMIN = ("13900000000", "bench-admin-lantern-river")
STREET_ADMIN = ("13900000001", "bench-street-lantern-river")
WORKER = ("16000000001", "synthetic-district-password")
SYNTHETIC_PASSWORD = "synthetic-district-password"

# Routes that are not pages a person reads; measured elsewhere or not at all.
SKIP = {
    "static": "a file served from disk (nginx serves it in production)",
    "bootstrap.static": "a file served from disk (nginx serves it in production)",
    "site.favicon": "a file served from disk",
    "site.healthz": "the load balancer's probe; the app's floor is /bench/bare",
    "enrolment.roster_export": "an export (no format asked answers 404); exports are timed on their own",
    "reports.enrolments_export": "an export; timed on its own (CSV/XLSX figures)",
    "partners.agreement_export": "an export of every agreement, not a page",
    "certificates.course_zip": "a ZIP of a course's certificates built on request, not a page",
    "progress.my_record_pdf": "a PDF rendered on request, not a page",
    "progress.worker_record_pdf": "a PDF rendered on request, not a page",
    "reports.quarterly_pdf": "a stored PDF download",
    "reports.quarterly_xlsx": "a stored XLSX download",
    "auth.password_reset": "needs a one-time reset link (the route walk expects 404 without one)",
    "attendance.checkin_qr": "a QR image that changes every few seconds; the check-in POST is measured instead",
    "attendance.checkin_live": "the check-in screen's polling fragment; the check-in POST is measured instead",
}
NO_PAGE = "no role gets a page from it in the route walk's world (every status is a redirect, 403 or 404)"
# URL parameters whose object the synthetic district does not hold: every route needing one is skipped.
GAPS = {
    "agreement_id": "the synthetic district holds no agreements",
    "base_id": "the synthetic district holds no practice bases",
    "award_id": "the synthetic district holds no competitions",
    "competition_id": "the synthetic district holds no competitions",
    "criterion_id": "the synthetic district holds no competitions",
    "module_id": "the synthetic district holds no competitions",
    "round_id": "the synthetic district holds no competitions",
    "sheet_id": "the synthetic district holds no competitions",
    "team_id": "the synthetic district holds no competitions",
    "claim_id": "the synthetic district holds no subsidy claims",
    "scheme_id": "the synthetic district holds no subsidy schemes",
    "upload_id": "the synthetic district holds no subsidy claims",
    "certificate_id": "the synthetic district issues no certificates",
    "code": "the synthetic district issues no certificates",
    "evidence_id": "the synthetic district stores no evidence files",
    "job_id": "the synthetic district holds no background jobs",
    "material_id": "the synthetic district holds no course materials",
    "report_id": "the synthetic district holds no quarterly reports",
}
# Parameters every district has (constants) and those looked up in it (resolve()).
CONSTANTS = {"slug": "zhuji", "kind": "training", "filename": "css/academy.css", "what": "file", "target": "closed",
             "to": "published", "work": "rebuild_tallies"}
LOOKED_UP = {"course_id", "session_id", "enrolment_id", "user_id", "unit_id", "partner_id", "rule_id", "plan_id",
             "record_id", "token"}
# For a GAP parameter, the table whose first row stands in when a district does hold one.
GAP_TABLES = {"agreement_id": "agreements", "base_id": "practice_bases", "award_id": "competition_awards",
              "competition_id": "competitions", "criterion_id": "competition_criteria",
              "module_id": "competition_modules", "round_id": "competition_rounds",
              "sheet_id": "competition_score_sheets", "team_id": "competition_teams", "claim_id": "claims",
              "scheme_id": "claim_schemes", "upload_id": "claim_uploads", "certificate_id": "certificates",
              "evidence_id": "evidence_files", "job_id": "jobs", "material_id": "materials",
              "report_id": "quarterly_reports"}


API_PREFIX = "/api/"


def plan(rules, params: dict) -> tuple[list[dict], dict]:
    """(the page-roles to measure as {name, endpoint, role, rule}, {endpoint: reason skipped}) for the app's
    rules (werkzeug Rule objects) and the parameters found (None: not found)."""
    pages, skipped = [], {}
    for rule in sorted(rules, key=lambda r: (r.endpoint, r.rule)):
        if rule.rule.startswith(API_PREFIX):  # the JSON API: bearer tokens, not the pages' sign-in
            continue
        method, expected = ROUTES[rule.endpoint]
        if method != "GET":
            continue
        if rule.endpoint in SKIP:
            skipped[rule.endpoint] = SKIP[rule.endpoint]
            continue
        if 200 not in expected:
            skipped[rule.endpoint] = NO_PAGE
            continue
        missing = [name for name in sorted(rule.arguments) if params.get(name) is None]
        if missing:
            skipped[rule.endpoint] = "; ".join(sorted({GAPS.get(name, f"no {name} found") for name in missing}))
            continue
        for role, status in zip(ROLES, expected):
            if status == 200:
                pages.append({"name": f"{rule.endpoint}@{role}", "endpoint": rule.endpoint, "role": role,
                              "rule": rule})
    return pages, skipped


def resolve(db, create_user) -> tuple[dict, dict]:
    """(URL parameters, {role: (phone, password)}) from the synthetic district: the bench worker's enrolment in
    a course with an instructor, that instructor, a street administrator of the worker's subdistrict."""
    from sqlalchemy import select

    from academy.auth.models import Role, User
    from academy.jobs.reminders import stop_token
    from academy.orgs.models import OrgUnit

    t = db.metadata.tables
    first = lambda table, *where: db.session.scalar(  # noqa: E731
        select(t[table].c.id).where(*where).order_by(t[table].c.id).limit(1))
    worker = db.session.scalar(select(User).where(User.phone == WORKER[0]))
    e, ci = t["enrolments"], t["course_instructors"]
    row = db.session.execute(
        select(e.c.id, e.c.course_id, ci.c.user_id).join(ci, ci.c.course_id == e.c.course_id)
        .where(e.c.worker_id == worker.id).order_by(e.c.status.in_(("enrolled", "waitlisted", "pending")).desc(),
                                                    e.c.id.desc()).limit(1)).first()
    instructor_phone = db.session.scalar(select(User.phone).where(User.id == row.user_id))
    profile = t["worker_profiles"]
    unit_id, street_id = db.session.execute(select(profile.c.work_unit_id, profile.c.subdistrict_id)
                                            .where(profile.c.user_id == worker.id)).first()
    if db.session.scalar(select(User.id).where(User.phone == STREET_ADMIN[0])) is None:
        create_user(role=Role.STREET_ADMIN, phone=STREET_ADMIN[0], name="基准街道管理员", password=STREET_ADMIN[1],
                    street=db.session.get(OrgUnit, street_id))
        db.session.commit()
    params = dict(CONSTANTS, course_id=row.course_id, enrolment_id=row.id, user_id=worker.id, unit_id=unit_id,
                  session_id=first("course_sessions", t["course_sessions"].c.course_id == row.course_id),
                  partner_id=first("partners"), rule_id=first("continuing_education_rules"), plan_id=first("plans"),
                  record_id=first("external_records", t["external_records"].c.worker_id == worker.id)
                  or first("external_records"),
                  token=stop_token(worker.id, "session_tomorrow"))
    for name, table in GAP_TABLES.items():
        params[name] = first(table)
    if params["certificate_id"]:
        params["code"] = db.session.scalar(select(t["certificates"].c.verification_code)
                                           .where(t["certificates"].c.id == params["certificate_id"]))
    accounts = {"worker": WORKER, "admin": ADMIN, "street_admin": STREET_ADMIN,
                "instructor": (instructor_phone, SYNTHETIC_PASSWORD)}
    return params, accounts


def main() -> int:
    """Print {pages: [{name, role, path, sql, status}], skipped, accounts} for the database DATABASE_URL names;
    with --count, each page's SQL statements and status, counted in-process (second request of two)."""
    from flask import url_for

    from academy import create_app
    from academy.auth.operations import create_user
    from academy.core.querycount import count_queries
    from academy.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        params, accounts = resolve(db, create_user)
        engine = db.engine
    pages, skipped = plan(app.url_map.iter_rules(), params)
    clients = {}
    out = []
    for page in pages:
        rule = page.pop("rule")
        with app.test_request_context():
            path = url_for(rule.endpoint, **{name: params[name] for name in rule.arguments})
        page.update(path=path, account=accounts.get(page["role"]))
        if "--count" in sys.argv:
            client = clients.get(page["role"])
            if client is None:
                client = clients[page["role"]] = app.test_client()
                if page["role"] != "anonymous":
                    client.post("/login", data={"phone": accounts[page["role"]][0],
                                                "password": accounts[page["role"]][1]})
            client.get(path)
            with count_queries(engine) as counter:
                page["status"] = client.get(path).status_code
            page["sql"] = counter.count
        out.append(page)
    print(json.dumps({"pages": out, "skipped": skipped, "accounts": accounts}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
