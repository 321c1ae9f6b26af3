"""The judge role across every route: a judge reaches the judging pages of the rounds they are
assigned to and their own account, and nothing an administrator, instructor or worker has."""
from tests.security.test_route_walk import PUBLIC, ROUTES, rules, signed_in, url
from tests.security.world import build_world

# Where a judge's answer differs from the instructor's column of the route walk.
JUDGE = {
    "competitions.judge_round": 200,  # the world's judge is assigned to the world's round
    "competitions.conflict_declare": 302,
    "competitions.score_sheet": 200,  # on the case-analysis module (see below)
    "certificates.course_zip": 403, "certificates.course_zip_job": 403, "courses.course_cancel": 403,
    "courses.course_create": 403,
    "courses.course_duplicate": 403, "courses.course_edit": 403, "courses.course_manage": 403,
    "courses.course_status": 403, "courses.my_courses": 403, "courses.session_create": 403,
    "courses.session_edit": 403, "courses.session_remove": 403, "enrolment.approvals": 403,
    "enrolment.course_approvals": 403,
    "enrolment.course_roster": 403, "enrolment.reject": 403, "attendance.attendance_sheet": 403,
    "attendance.course_results": 403, "partners.base_list": 403, "enrolment.roster_export": 403,
    "enrolment.sign_in_sheet": 403, "attendance.checkin_live": 403, "attendance.checkin_qr": 403,
    "attendance.checkin_screen": 403, "evaluations.course_results": 403, "evaluations.my_results": 403,
    "materials.add": 403, "materials.change_status": 403, "materials.edit": 403, "materials.manage": 403,
    "materials.course_materials": 404, "materials.download": 404,  # the course's own people only
}


def expected(endpoint):
    return JUDGE.get(endpoint, ROUTES[endpoint][1][2])


def _judge_world(make):
    from sqlalchemy import select

    from academy.competitions.models import JudgeAssignment, Module
    from academy.competitions.enums import ModuleKind
    from academy.extensions import db

    world = build_world(make)
    assignment = db.session.scalar(select(JudgeAssignment).where(JudgeAssignment.round_id == world["params"]["round_id"]))
    world["users"]["judge"] = assignment.judge
    case = db.session.scalar(select(Module).where(Module.round_id == assignment.round_id,
                                                  Module.kind == ModuleKind.CASE_ANALYSIS))
    world["case_module_id"] = case.id
    return world


def _url(app, rule, world):
    if rule.endpoint == "competitions.score_sheet":
        world = dict(world, params=dict(world["params"], module_id=world["case_module_id"]))
    return url(app, rule, world)


def test_the_judge_role_matrix(app, make):
    world = _judge_world(make)
    failures = []
    for rule in rules(app):
        method = ROUTES[rule.endpoint][0]
        if method == "POST":
            world = _judge_world(make)
        response = signed_in(app, world, "judge").open(_url(app, rule, world), method=method)
        if response.status_code != expected(rule.endpoint):
            failures.append(f"{rule.endpoint}: {response.status_code}, expected {expected(rule.endpoint)}")
    assert failures == [], "\n".join(failures)


def test_a_judge_reaches_public_pages_like_anyone(app, make):
    world = _judge_world(make)
    client = signed_in(app, world, "judge")
    for rule in rules(app):
        method, statuses = ROUTES[rule.endpoint]
        if rule.endpoint in PUBLIC and method == "GET" and rule.endpoint != "auth.password_reset":
            # as a signed-in worker does: the page, or sent on where a signed-in person has no business
            assert client.get(url(app, rule, world)).status_code == statuses[1], rule.endpoint
