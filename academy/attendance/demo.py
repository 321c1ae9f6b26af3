"""Demo: a course whose first session starts ten minutes after the demo is loaded, so that its QR check-in
screen is open at once, with one worker already checked in and the others still to scan."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.attendance.checkin_operations import take_scan
from academy.attendance.models import ScanDirection
from academy.core.i18n import LOCAL_TZ
from academy.core.models import now_utc
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus, DeliveryMode
from academy.enrolment import operations as enrolment_ops
from academy.extensions import db
from academy.programmes.models import Programme

CODE = "DEMO-CLASSROOM-01"


def load_demo_classroom(instructor, admin, workers) -> None:
    if course_ops.find_course_by_code(CODE) is not None:
        return
    start = (now_utc() + timedelta(minutes=10)).replace(second=0, microsecond=0)
    day = start.astimezone(LOCAL_TZ).date()
    course = course_ops.create_course(
        actor=admin, programme=db.session.scalar(select(Programme).where(Programme.code == "YUYAN")), code=CODE,
        title="社区走访与入户沟通技巧", summary="课堂扫码签到、课件与课程评估示例", description="", mode=DeliveryMode.IN_PERSON,
        venue="东城区社会工作学院 201 教室", credit_hours=Decimal("0"), hours_from_sessions=True, capacity=30,
        waitlist_enabled=True, enrol_opens_at=None, enrol_closes_at=None, starts_on=day,
        ends_on=day + timedelta(days=1), approval_required=False, min_qualification=None, min_education=None,
        min_attendance_rate=80, pass_mark=None, instructors=[instructor], subdistricts=[], prerequisites=[],
        signout_scan=True,
    )
    for index in range(2):
        begins = start + timedelta(days=index)
        course_ops.save_session(course, None, actor=admin, starts_at=begins, ends_at=begins + timedelta(hours=2),
                                topic=f"入户沟通（第{index + 1}讲）", instructor=instructor)
    course.status = CourseStatus.PUBLISHED
    for worker in workers:
        enrolment_ops.enrol(course, worker, actor=admin, by_staff=True)
    db.session.flush()
    if workers:
        take_scan(course.sessions[0], workers[0], ScanDirection.IN)
