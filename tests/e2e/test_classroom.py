"""The classroom in Chromium: the projector's check-in screen and a phone's scan, a material downloaded by an
enrolled worker and refused to another, an evaluation whose results appear at the fifth answer; and
every new page at a phone's 390 px."""
import re
from datetime import datetime, timedelta
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from academy.attendance import operations as attendance_ops
from academy.attendance.checkin import make_token
from academy.attendance.models import AttendanceMark, Mark, ScanDirection
from academy.auth.models import User
from academy.core.i18n import local_to_utc, local_today
from academy.core.permissions import Role
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus
from academy.enrolment import operations as enrolment_ops
from academy.enrolment.models import Enrolment
from academy.evaluations import operations as evaluations
from academy.extensions import db
from academy.materials.models import Material
from academy.programmes.models import Programme
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, no_horizontal_scroll, sign_in

CLASSROOM = "DEMO-CLASSROOM-01"


def context(browser, live_server, viewport, bypass_csp=False):
    made = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True, base_url=live_server["url"],
                               bypass_csp=bypass_csp)  # only to inject axe-core
    made.set_default_timeout(15000)
    return made, made.new_page()


def classroom(live_server) -> dict:
    app = live_server["app"]
    with app.app_context():
        course = course_ops.find_course_by_code(CLASSROOM)
        session = course.sessions[0]
        worker = db.session.scalar(select(User).where(User.phone == "13800000006"))
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                              Enrolment.worker_id == worker.id))
        with app.test_request_context(base_url=live_server["url"]):
            scan_url = f"/checkin/{session.id}?t={make_token(session.id, ScanDirection.IN)}"
        handout = db.session.scalar(select(Material).where(Material.course_id == course.id,
                                                           Material.title == "入户沟通讲义"))
        evaluated = course_ops.find_course_by_code("DEMO-LINGYAN-PAST")  # 13800000006 has yet to answer
        return dict(course=course.id, session=session.id, worker=worker.name, enrolment=enrolment.id,
                    scan_url=scan_url, handout=handout.id, evaluated=evaluated.id)


def test_a_phone_scan_updates_the_projector_and_the_instructors_sheet(browser, live_server):
    room = classroom(live_server)
    password = live_server["accounts"]["password"]
    projector_context, projector = context(browser, live_server, DESKTOP)
    phone_context, phone = context(browser, live_server, PHONE)
    try:
        sign_in(projector, live_server["accounts"]["instructor"], password)
        projector.goto(f"/teach/courses/{room['course']}/sessions/{room['session']}/checkin")
        expect(projector.locator("#checkin-qr-path")).to_have_attribute("d", re.compile(r"^M\d"))
        count = projector.locator("#checkin-count")
        expect(count).to_contain_text("已签到 1 /")

        phone.goto(room["scan_url"])  # what the camera opens: signing in first, then back to the scan
        phone.get_by_label("手机号").fill("13800000006")
        phone.get_by_label("密码").fill(password)
        phone.get_by_role("button", name="登录").click()
        phone.get_by_role("button", name="签到").click()
        expect(phone.get_by_text("已签到").first).to_be_visible()
        assert no_horizontal_scroll(phone)

        expect(count).to_contain_text("已签到 2 /", timeout=10000)  # the screen polls every 3 seconds
        expect(projector.locator("#checkin-names")).to_contain_text(room["worker"])
        projector.goto(f"/teach/courses/{room['course']}/sessions/{room['session']}/attendance")
        expect(projector.locator(f'input[name="mark_{room["enrolment"]}"][value="present"]')).to_be_checked()
    finally:
        projector_context.close()
        phone_context.close()
    with live_server["app"].app_context():
        mark = db.session.scalar(select(AttendanceMark).where(AttendanceMark.enrolment_id == room["enrolment"]))
        assert mark.mark == Mark.PRESENT


def test_an_enrolled_worker_downloads_a_material_and_another_account_gets_a_404(browser, live_server):
    room = classroom(live_server)
    password = live_server["accounts"]["password"]
    made, page = context(browser, live_server, PHONE)
    try:
        sign_in(page, "13800000007", password)
        page.goto("/learning")
        page.locator(f'a[href="/courses/{room["course"]}/materials"]').click()
        with page.expect_download() as download:
            page.get_by_role("button", name="入户沟通讲义").click()
        assert open(download.value.path(), "rb").read().startswith(b"%PDF")
        assert no_horizontal_scroll(page)
    finally:
        made.close()
    made, page = context(browser, live_server, PHONE)
    try:
        sign_in(page, "13800000004", password)  # an instructor of other courses
        response = page.goto(f"/courses/{room['course']}/materials")
        assert response.status == 404
    finally:
        made.close()


def finished_course_with_four_answers(live_server) -> int:
    """A course that ended yesterday, attended by five workers, four of whom have answered."""
    with live_server["app"].app_context():
        admin = db.session.scalar(select(User).where(User.phone == "13800000001"))
        instructor = db.session.scalar(select(User).where(User.phone == "13800000003"))
        last = db.session.scalar(select(User).where(User.phone == "13800000007"))
        others = db.session.scalars(select(User).where(User.role == Role.WORKER, User.id != last.id)
                                    .order_by(User.id.desc()).limit(4)).all()
        day = local_today() - timedelta(days=1)
        code = f"E2E-EVAL-{datetime.now().strftime('%H%M%S%f')}"
        course = course_ops.create_course(
            actor=admin, programme=db.session.scalar(select(Programme).where(Programme.code == "YUXIN")), code=code,
            title="评估演示课程", summary="", description="", mode="in_person", venue="学院", credit_hours=Decimal("0"),
            hours_from_sessions=True, capacity=10, waitlist_enabled=False, enrol_opens_at=None, enrol_closes_at=None,
            starts_on=day, ends_on=day, approval_required=False, min_qualification=None, min_education=None,
            min_attendance_rate=80, pass_mark=None, instructors=[instructor], subdistricts=[], prerequisites=[])
        start = local_to_utc(datetime.combine(day, datetime.min.time()).replace(hour=9))
        course_ops.save_session(course, None, actor=admin, starts_at=start, ends_at=start + timedelta(hours=2),
                                topic="评估")
        course.status = CourseStatus.PUBLISHED
        enrolments = [enrolment_ops.enrol(course, worker, actor=admin, by_staff=True) for worker in [last, *others]]
        attendance_ops.save_marks(course.sessions[0], {e.id: Mark.PRESENT for e in enrolments}, actor=instructor)
        attendance_ops.finalise(course, actor=instructor)
        for worker in others:
            evaluations.answer(course, worker, scores={"content": 4, "instructor": 4, "organisation": 4,
                                                       "usefulness": 4}, comment=None)
        db.session.commit()
        return course.id


def test_the_results_appear_to_the_instructor_at_the_fifth_answer(browser, live_server):
    course_id = finished_course_with_four_answers(live_server)
    password = live_server["accounts"]["password"]
    teacher_context, teacher = context(browser, live_server, DESKTOP)
    phone_context, phone = context(browser, live_server, PHONE)
    try:
        sign_in(teacher, live_server["accounts"]["instructor"], password)
        teacher.goto(f"/teach/courses/{course_id}/evaluation")
        expect(teacher.get_by_text("至少 5 名学员作答后才显示结果")).to_be_visible()

        sign_in(phone, "13800000007", password)
        phone.goto("/learning")
        expect(phone.locator(f'a[href="/learning/evaluations/{course_id}"]')).to_be_visible()  # the banner
        phone.goto(f"/learning/evaluations/{course_id}")
        for legend in ("课程内容是否充实、准确？", "讲师的讲授是否清楚、有启发？", "课程组织（时间、场地、通知）是否妥当？",
                       "所学内容对您的工作是否有用？"):
            phone.get_by_role("group", name=legend).get_by_label("5").check()
        phone.get_by_label("意见和建议（选填）").fill("很有收获")
        phone.get_by_role("button", name="提交评估").click()
        expect(phone.get_by_text("谢谢！您的评估已提交。")).to_be_visible()
        assert no_horizontal_scroll(phone)

        teacher.reload()
        expect(teacher.get_by_text("共 5 份答卷")).to_be_visible()
        expect(teacher.get_by_text("4.20").first).to_be_visible()
        expect(teacher.get_by_text("很有收获")).to_be_visible()
    finally:
        teacher_context.close()
        phone_context.close()


def test_the_new_pages_fit_a_phone_and_pass_axe(browser, live_server):
    room = classroom(live_server)
    password = live_server["accounts"]["password"]
    pages = {
        "13800000005": ["/checkin", f"/checkin/{room['session']}", f"/courses/{room['course']}/materials", "/learning"],
        "13800000006": [f"/learning/evaluations/{room['evaluated']}"],
        "13800000003": [f"/teach/courses/{room['course']}/sessions/{room['session']}/checkin",
                        f"/teach/courses/{room['course']}/sessions/{room['session']}/checkin?direction=out",
                        f"/teach/courses/{room['course']}/materials", f"/teach/courses/{room['course']}/materials/new/file",
                        f"/teach/courses/{room['course']}/materials/new/link",
                        f"/teach/courses/{room['course']}/materials/{room['handout']}/edit",
                        f"/teach/courses/{room['course']}/evaluation", "/teach/evaluations"],
        "13800000001": ["/admin", "/admin/evaluations", "/admin/evaluations/questionnaire"],
    }
    for phone_number, paths in pages.items():
        made, page = context(browser, live_server, PHONE, bypass_csp=True)
        try:
            sign_in(page, phone_number, password)
            for path in paths:
                assert page.goto(path).status == 200, path
                assert no_horizontal_scroll(page), path
                assert axe_violations(page) == [], path
        finally:
            made.close()
