"""Every route in app.url_map, walked: classified in a role matrix, anonymous visitors sent to login
unless the route is public, CSRF on every state change, no state changed through GET.

A new route fails these tests until it is added to ROUTES with the status each role must get."""
import re

import pytest
from flask import url_for
from sqlalchemy import func, select

from academy.core.querycount import count_queries
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.security.world import build_world

ROLES = ("anonymous", "worker", "instructor", "street_admin", "admin")

# endpoint: (method used, expected status for anonymous, worker, instructor, street administrator, administrator)
# The worker owns the world's enrolment, record, evidence and certificate; the instructor teaches its course;
# the street administrator looks after the worker's subdistrict. POSTs carry an empty form.
ROUTES = {
    "attendance.attendance_sheet": ("GET", (302, 403, 200, 403, 200)),
    "attendance.course_results": ("GET", (302, 403, 200, 403, 200)),
    "attendance.my_enrolment": ("GET", (302, 200, 403, 403, 403)),
    "attendance.checkin_screen": ("GET", (302, 403, 200, 403, 200)),
    "attendance.checkin_qr": ("GET", (302, 403, 200, 403, 200)),
    "attendance.checkin_live": ("GET", (302, 403, 200, 403, 200)),
    "attendance.scan": ("GET", (302, 200, 403, 403, 403)),
    "attendance.scan_code": ("GET", (302, 200, 403, 403, 403)),
    "audit.event_list": ("GET", (302, 403, 403, 403, 200)),
    "evaluations.answer_form": ("GET", (302, 200, 403, 403, 403)),
    "evaluations.course_results": ("GET", (302, 403, 200, 403, 200)),
    "evaluations.my_results": ("GET", (302, 403, 200, 403, 403)),
    "evaluations.report": ("GET", (302, 403, 403, 403, 200)),
    "evaluations.template_edit": ("GET", (302, 403, 403, 403, 200)),
    "materials.manage": ("GET", (302, 403, 200, 403, 200)),
    "materials.add": ("GET", (302, 403, 200, 403, 200)),
    "materials.change_status": ("POST", (302, 403, 302, 403, 302)),
    "materials.edit": ("GET", (302, 403, 200, 403, 200)),
    "materials.course_materials": ("GET", (302, 200, 200, 404, 200)),
    "materials.download": ("POST", (302, 200, 200, 404, 200)),
    "auth.account": ("GET", (302, 200, 200, 200, 200)),
    "api_tokens.token_list": ("GET", (302, 200, 200, 200, 200)),
    "api_tokens.token_create": ("POST", (302, 400, 400, 400, 400)),  # the empty form is refused
    "api_tokens.token_revoke": ("POST", (302, 302, 404, 404, 404)),  # the worker's own token; nobody else's
    "api_tokens.client_list": ("GET", (302, 403, 403, 403, 200)),
    "api_tokens.client_create": ("POST", (302, 403, 403, 403, 400)),  # the empty form is refused
    "api_tokens.client_revoke": ("POST", (302, 403, 403, 403, 302)),
    "privacy.notice": ("GET", (200, 200, 200, 200, 200)),
    "privacy.mine": ("GET", (302, 200, 200, 200, 200)),
    "privacy.notice_consent": ("GET", (302, 200, 200, 200, 200)),
    "privacy.data_download": ("POST", (302, 200, 200, 200, 200)),  # one's own data, whoever one is
    "privacy.resident_id_withdraw": ("POST", (302, 302, 302, 302, 302)),  # none on file: said, and back
    "privacy.closure_request": ("POST", (302, 400, 403, 403, 403)),  # a worker's; the empty form is refused
    "privacy.closure_cancel": ("POST", (302, 404, 403, 403, 403)),  # the worker has no open request
    "privacy.closure_list": ("GET", (302, 403, 403, 403, 200)),
    "privacy.closure_decide": ("POST", (302, 403, 403, 403, 302)),  # no decision chosen: said, and back
    "auth.login": ("GET", (200, 302, 302, 302, 302)),
    "auth.logout": ("POST", (302, 302, 302, 302, 302)),
    "auth.sms_login": ("GET", (200, 302, 302, 302, 302)),
    "auth.sms_code": ("GET", (302, 302, 302, 302, 302)),  # without a number asked for: back to the first step
    "auth.password": ("GET", (302, 200, 200, 200, 200)),
    "auth.profile": ("GET", (302, 200, 302, 302, 302)),
    "auth.register": ("GET", (200, 302, 302, 302, 302)),
    "auth.user_create": ("GET", (302, 403, 403, 403, 200)),
    "auth.user_detail": ("GET", (302, 403, 403, 403, 200)),
    "auth.user_list": ("GET", (302, 403, 403, 403, 200)),
    "auth.user_reset_password": ("POST", (302, 403, 403, 403, 400)),
    "auth.reset_link_issue": ("POST", (302, 403, 403, 200, 200)),  # the world's worker is in the street's subdistrict
    "auth.password_reset": ("GET", (404, 404, 404, 404, 404)),  # the world holds no link
    "auth.user_set_active": ("POST", (302, 403, 403, 403, 302)),
    "auth.user_sign_out": ("POST", (302, 403, 403, 403, 302)),
    "auth.user_verify_qualification": ("POST", (302, 403, 403, 403, 302)),
    "bootstrap.static": ("GET", (200, 200, 200, 200, 200)),
    "certificates.certificate_list": ("GET", (302, 403, 403, 200, 200)),
    "certificates.course_zip": ("GET", (302, 403, 200, 403, 200)),
    "certificates.download": ("GET", (302, 200, 404, 200, 200)),
    "certificates.revoke": ("GET", (302, 403, 403, 403, 200)),
    "certificates.verify": ("GET", (200, 200, 200, 200, 200)),
    "certificates.verify_form": ("GET", (200, 200, 200, 200, 200)),
    "competitions.award_certificate": ("GET", (302, 200, 404, 404, 200)),
    "competitions.awards_give": ("POST", (302, 403, 403, 403, 302)),
    "competitions.award_revoke": ("POST", (302, 403, 403, 403, 302)),
    "competitions.case_library": ("GET", (200, 200, 200, 200, 200)),
    "competitions.competition_awards": ("GET", (302, 403, 403, 403, 200)),
    "competitions.talent_pool": ("GET", (302, 403, 403, 403, 200)),
    "competitions.tier_create": ("POST", (302, 403, 403, 403, 302)),
    "competitions.team_attachment": ("GET", (200, 200, 200, 200, 200)),
    "competitions.theory_import": ("GET", (302, 403, 403, 403, 200)),
    "competitions.theory_import_confirm": ("POST", (302, 403, 403, 403, 400)),
    "competitions.competition_create": ("GET", (302, 403, 403, 403, 200)),
    "competitions.competition_detail": ("GET", (302, 403, 403, 200, 200)),
    "competitions.competition_list": ("GET", (302, 403, 403, 200, 200)),
    "competitions.competition_status": ("POST", (302, 403, 403, 403, 302)),
    "competitions.conflict_declare": ("POST", (302, 404, 404, 404, 404)),
    "competitions.criterion_create": ("POST", (302, 403, 403, 403, 302)),
    "competitions.criterion_edit": ("GET", (302, 403, 403, 403, 200)),
    "competitions.judge_assign": ("POST", (302, 403, 403, 403, 302)),
    "competitions.judge_home": ("GET", (302, 200, 200, 200, 200)),
    "competitions.judge_round": ("GET", (302, 404, 404, 404, 404)),
    "competitions.member_standings": ("GET", (302, 404, 403, 403, 403)),
    "competitions.module_create": ("POST", (302, 403, 403, 403, 302)),
    "competitions.module_edit": ("GET", (302, 403, 403, 403, 200)),
    "competitions.my_competitions": ("GET", (302, 200, 403, 403, 403)),
    "competitions.round_create": ("POST", (302, 403, 403, 403, 302)),
    "competitions.round_publish": ("POST", (302, 403, 403, 403, 302)),
    "competitions.round_standings": ("GET", (302, 403, 403, 200, 200)),
    "competitions.score_sheet": ("GET", (302, 404, 404, 404, 404)),
    "competitions.sheet_detail": ("GET", (302, 403, 403, 403, 200)),
    "competitions.sheet_reopen": ("POST", (302, 403, 403, 403, 302)),
    "competitions.team_list": ("GET", (302, 403, 403, 200, 200)),
    "competitions.team_withdraw": ("POST", (302, 403, 403, 302, 302)),
    "competitions.team_register": ("GET", (302, 403, 403, 200, 200)),
    "competitions.theory_scores": ("GET", (302, 403, 403, 403, 200)),
    "courses.catalogue": ("GET", (200, 200, 200, 200, 200)),
    "site.favicon": ("GET", (200, 200, 200, 200, 200)),
    "courses.course_cancel": ("GET", (302, 403, 200, 403, 200)),
    "courses.course_create": ("GET", (302, 403, 200, 403, 200)),
    "courses.course_detail": ("GET", (200, 200, 200, 200, 200)),
    "courses.course_duplicate": ("GET", (302, 403, 200, 403, 200)),
    "courses.course_edit": ("GET", (302, 403, 200, 403, 200)),
    "courses.course_manage": ("GET", (302, 403, 200, 403, 200)),
    "courses.course_status": ("POST", (302, 403, 302, 403, 302)),
    "courses.my_courses": ("GET", (302, 403, 200, 403, 200)),
    "courses.session_create": ("GET", (302, 403, 200, 403, 200)),
    "courses.session_edit": ("GET", (302, 403, 200, 403, 200)),
    "courses.session_remove": ("POST", (302, 403, 200, 403, 200)),  # an empty form asks first
    "enrolment.approvals": ("GET", (302, 403, 200, 403, 200)),
    "enrolment.course_approvals": ("GET", (302, 403, 200, 403, 200)),
    "enrolment.course_roster": ("GET", (302, 403, 200, 403, 200)),
    "enrolment.enrol": ("POST", (302, 302, 403, 403, 403)),
    "enrolment.import_template": ("GET", (302, 403, 403, 403, 200)),
    "enrolment.roster_export": ("GET", (302, 403, 404, 403, 404)),  # no format asked: nothing to export
    "enrolment.sign_in_sheet": ("GET", (302, 403, 200, 403, 200)),
    "enrolment.import_refused": ("GET", (302, 403, 403, 403, 404)),  # the world keeps no refused rows
    "enrolment.import_confirm": ("POST", (302, 403, 403, 403, 400)),
    "enrolment.import_upload": ("GET", (302, 403, 403, 403, 200)),
    "enrolment.my_learning": ("GET", (302, 200, 403, 403, 403)),
    "enrolment.reject": ("GET", (302, 403, 200, 403, 200)),
    "enrolment.withdraw": ("GET", (302, 200, 403, 403, 200)),
    "notifications.mark_read": ("POST", (302, 302, 302, 302, 302)),
    "notifications.notification_list": ("GET", (302, 200, 200, 200, 200)),
    "orgs.unit_edit": ("GET", (302, 403, 403, 403, 200)),
    "orgs.unit_list": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_create": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_detail": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_document": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_edit": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_export": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_list": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_renew": ("GET", (302, 403, 403, 403, 200)),
    "partners.agreement_terminate": ("GET", (302, 403, 403, 403, 200)),
    "partners.base_create": ("GET", (302, 403, 403, 403, 200)),
    "partners.base_edit": ("GET", (302, 403, 403, 403, 200)),
    "partners.base_list": ("GET", (302, 403, 200, 403, 200)),
    "partners.partner_create": ("GET", (302, 403, 403, 403, 200)),
    "partners.partner_detail": ("GET", (200, 200, 200, 200, 200)),
    "partners.partner_edit": ("GET", (302, 403, 403, 403, 200)),
    "partners.partner_list": ("GET", (200, 200, 200, 200, 200)),
    "programmes.programme_detail": ("GET", (200, 200, 200, 200, 200)),
    "programmes.programme_edit": ("GET", (302, 403, 403, 403, 200)),
    "programmes.programme_list": ("GET", (200, 200, 200, 200, 200)),
    "progress.evidence_download": ("GET", (302, 200, 404, 200, 200)),
    "progress.my_record": ("GET", (302, 200, 403, 403, 403)),
    "progress.my_record_print": ("GET", (302, 200, 403, 403, 403)),
    "progress.my_record_pdf": ("GET", (302, 200, 403, 403, 403)),
    "progress.record_create": ("GET", (302, 200, 403, 403, 403)),
    "progress.record_edit": ("GET", (302, 200, 403, 403, 403)),
    "progress.record_withdraw": ("POST", (302, 302, 403, 403, 403)),
    "progress.review": ("POST", (302, 403, 403, 403, 302)),
    "progress.review_list": ("GET", (302, 403, 403, 403, 200)),
    "progress.rule_edit": ("GET", (302, 403, 403, 403, 200)),
    "progress.rule_list": ("GET", (302, 403, 403, 403, 200)),
    "progress.worker_record": ("GET", (302, 403, 403, 200, 200)),
    "progress.worker_record_print": ("GET", (302, 403, 403, 200, 200)),
    "progress.worker_record_pdf": ("GET", (302, 403, 403, 200, 200)),
    "plans.plan_create": ("GET", (302, 403, 403, 403, 200)),
    "plans.plan_detail": ("GET", (302, 403, 403, 403, 200)),
    "plans.plan_list": ("GET", (302, 403, 403, 403, 200)),
    "reports.quarterly": ("GET", (302, 403, 403, 403, 200)),
    "reports.quarterly_pdf": ("GET", (302, 403, 403, 403, 200)),
    "reports.quarterly_xlsx": ("GET", (302, 403, 403, 403, 200)),
    "qualifications.ceremony": ("GET", (302, 403, 403, 200, 200)),
    "qualifications.ceremony_notify": ("POST", (302, 403, 403, 403, 302)),
    "qualifications.counts": ("GET", (302, 403, 403, 200, 200)),
    "qualifications.decide": ("POST", (302, 403, 403, 302, 302)),
    "qualifications.import_confirm": ("POST", (302, 403, 403, 403, 400)),
    "qualifications.import_upload": ("GET", (302, 403, 403, 403, 200)),
    "qualifications.declare": ("GET", (302, 200, 403, 403, 403)),
    "qualifications.my_records": ("GET", (302, 200, 403, 403, 403)),
    "qualifications.registry": ("GET", (302, 403, 403, 200, 200)),
    "qualifications.worker_records_page": ("GET", (302, 403, 403, 200, 200)),
    "reports.annual_return": ("GET", (302, 403, 403, 200, 200)),
    "reports.annual_return_job": ("POST", (302, 403, 403, 302, 302)),
    "reports.enrolments_export_job": ("POST", (302, 403, 403, 302, 302)),
    "certificates.course_zip_job": ("POST", (302, 403, 302, 403, 302)),
    "jobs.job_list": ("GET", (302, 403, 403, 403, 200)),
    "jobs.my_downloads": ("GET", (302, 200, 200, 200, 200)),
    "jobs.job_page": ("GET", (302, 404, 404, 200, 200)),
    "jobs.job_status": ("GET", (302, 404, 404, 200, 200)),
    "jobs.download": ("GET", (302, 404, 404, 200, 200)),
    "jobs.retry": ("POST", (302, 404, 404, 302, 302)),
    "jobs.queue_maintenance": ("POST", (302, 403, 403, 403, 302)),
    "jobs.reminder_settings": ("GET", (302, 200, 200, 200, 200)),
    "jobs.stop_reminders": ("GET", (200, 200, 200, 200, 200)),
    "reports.dashboard": ("GET", (302, 403, 403, 200, 200)),
    "reports.enrolments_export": ("GET", (302, 403, 403, 200, 200)),
    "reports.progress": ("GET", (302, 403, 403, 200, 200)),
    "reports.workers": ("GET", (302, 403, 403, 200, 200)),
    "reports.workers_full_export": ("POST", (302, 403, 403, 403, 400)),
    "site.healthz": ("GET", (200, 200, 200, 200, 200)),
    "site.home": ("GET", (200, 200, 200, 200, 200)),
    "site.language": ("POST", (302, 302, 302, 302, 302)),
    "static": ("GET", (200, 200, 200, 200, 200)),
    "claims.my_claims": ("GET", (302, 200, 403, 403, 403)),
    "claims.claim_start": ("GET", (302, 200, 403, 403, 403)),
    "claims.my_claim": ("GET", (302, 200, 403, 403, 403)),
    "claims.application_form": ("GET", (302, 200, 403, 403, 403)),
    "claims.claim_details": ("POST", (302, 400, 403, 403, 403)),
    "claims.claim_upload": ("POST", (302, 400, 403, 403, 403)),
    "claims.claim_submit": ("POST", (302, 302, 403, 403, 403)),
    "claims.upload_file": ("GET", (302, 200, 403, 200, 200)),
    "claims.queue": ("GET", (302, 403, 403, 200, 200)),
    "claims.bulk_forward": ("POST", (302, 403, 403, 302, 302)),
    "claims.review": ("GET", (302, 403, 403, 200, 200)),
    "claims.decide": ("POST", (302, 403, 403, 302, 302)),
    "claims.scheme_list": ("GET", (302, 403, 403, 403, 200)),
    "claims.scheme_create": ("GET", (302, 403, 403, 403, 200)),
    "claims.scheme_detail": ("GET", (302, 403, 403, 403, 200)),
    "claims.scheme_edit": ("GET", (302, 403, 403, 403, 200)),
    "claims.publish": ("POST", (302, 403, 403, 403, 302)),
    "claims.pay": ("POST", (302, 403, 403, 403, 302)),
    "claims.resolve": ("POST", (302, 403, 403, 403, 302)),
    "claims.notice_page": ("GET", (200, 200, 200, 200, 200)),
    "claims.ledger": ("GET", (302, 403, 403, 403, 200)),
    "claims.ledger_job": ("POST", (302, 403, 403, 403, 302)),
    "claims.ledger_full": ("POST", (302, 403, 403, 403, 400)),
    "claims.statistics": ("GET", (302, 403, 403, 403, 200)),

}

PUBLIC = {
    "static", "bootstrap.static", "site.home", "site.healthz", "site.favicon", "site.language", "auth.login",
    "auth.register", "auth.password_reset", "auth.sms_login", "auth.sms_code",
    "programmes.programme_list", "programmes.programme_detail", "courses.catalogue", "courses.course_detail",
    "partners.partner_list", "partners.partner_detail", "certificates.verify_form", "certificates.verify",
    "jobs.stop_reminders", "privacy.notice",
}
PUBLIC |= {"claims.notice_page"}
PUBLIC.add("competitions.case_library")
PUBLIC.add("competitions.team_attachment")  # a winning project's document its team allowed to publish


def rules(app):
    """Every route of the pages; the JSON API's own walk is tests/api/test_api_walk.py (bearer tokens, no
    cookies, problem details)."""
    api = app.config["API_PREFIX"] + "/"
    return sorted((rule for rule in app.url_map.iter_rules() if not rule.rule.startswith(api)),
                  key=lambda rule: rule.endpoint)


def url(app, rule, world):
    params = {name: world["params"][name] for name in rule.arguments}
    if rule.endpoint == "bootstrap.static":
        params["filename"] = "css/bootstrap.min.css"
    with app.test_request_context():
        return url_for(rule.endpoint, **params)


def signed_in(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"phone": world["users"][role].phone, "password": DEFAULT_PASSWORD,
                                               "csrf_token": token.group(1) if token else ""})
        assert response.status_code == 302
    return client


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in rules(app)}
    assert endpoints - set(ROUTES) == set(), "classify these routes in ROUTES"
    assert set(ROUTES) - endpoints == set(), "these routes no longer exist"


def test_role_matrix(app, make):
    world = build_world(make)
    failures = []
    for rule in rules(app):
        method, expected = ROUTES[rule.endpoint]
        for role, status in zip(ROLES, expected):
            if method == "POST":
                world = build_world(make)  # a POST may change the world; start each from a fresh one
            response = signed_in(app, world, role).open(url(app, rule, world), method=method)
            if response.status_code != status:
                failures.append(f"{rule.endpoint} as {role}: {response.status_code}, expected {status}")
    assert failures == []


def test_anonymous_visitors_are_sent_to_login_except_on_public_routes(app, make):
    world = build_world(make)
    client = app.test_client()
    for rule in rules(app):
        if rule.endpoint in PUBLIC:
            continue
        method = ROUTES[rule.endpoint][0]
        response = client.open(url(app, rule, world), method=method)
        assert response.status_code == 302, rule.endpoint
        assert response.headers["Location"].startswith("/login?next="), rule.endpoint


@pytest.mark.usefixtures("csrf_enabled")
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(app, make):
    world = build_world(make)
    admin = signed_in(app, world, "admin")
    page = admin.get("/account").get_data(as_text=True)
    assert re.search(r'name="csrf_token"', page)
    posts = [rule for rule in rules(app) if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}]
    assert len(posts) > 30
    for rule in posts:
        target = url(app, rule, world)
        missing = admin.post(target, data={})
        wrong = admin.post(target, data={"csrf_token": "forged-token"})
        assert (missing.status_code, wrong.status_code) == (400, 400), rule.endpoint


def table_counts():
    tables = db.metadata.sorted_tables
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in tables}


def test_no_state_changes_through_get(app, make):
    world = build_world(make)
    clients = {role: signed_in(app, world, role) for role in ROLES}
    before = table_counts()
    with count_queries(db.engine) as counter:  # nor any write at all: GET reads may run without a transaction
        for rule in rules(app):
            if "GET" not in rule.methods:
                continue
            for client in clients.values():
                client.get(url(app, rule, world))
    db.session.expire_all()
    assert table_counts() == before
    writes = [sql for sql in counter.statements if sql.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert counter.count > 100 and writes == []


def test_no_route_answers_with_a_server_error(app, make):
    world = build_world(make)
    for rule in rules(app):
        method = ROUTES[rule.endpoint][0]
        for role in ROLES:
            response = signed_in(app, world, role).open(url(app, rule, world), method=method)
            assert response.status_code < 500, (rule.endpoint, role)
            if method == "POST":
                world = build_world(make)
