"""Demo: a course that ended last week with every attendee asked to evaluate it; five have answered (so
its instructor sees the results), one demo worker (赵丽娜, 13800000006) has not (the banner on her learning
page and a certificate held until she answers), and the finished ethics course waits below five answers."""
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.attendance import operations as attendance_ops
from academy.attendance.models import Mark
from academy.auth.models import User
from academy.core.i18n import local_to_utc, local_today
from academy.core.permissions import Role
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus, DeliveryMode
from academy.enrolment import operations as enrolment_ops
from academy.evaluations import operations
from academy.evaluations.models import DIMENSIONS
from academy.extensions import db
from academy.programmes.models import Programme

CODE = "DEMO-LINGYAN-PAST"
ANSWERS = [
    ((5, 5, 4, 5), "案例贴近社区实际，回去就能用。"),
    ((4, 5, 4, 4), "希望多留一些小组讨论的时间。"),
    ((5, 4, 3, 5), "教室有点挤，下次可以换大一点的场地。"),
    ((4, 4, 4, 3), None),
    ((5, 5, 5, 5), "讲师很有经验，收获很大。"),
]


def load_demo_evaluations(instructor, admin, waiting_worker) -> None:
    if course_ops.find_course_by_code(CODE) is not None:
        return
    workers = db.session.scalars(select(User).where(User.role == Role.WORKER, User.id != waiting_worker.id)
                                 .order_by(User.id).limit(len(ANSWERS))).all()
    starts_on = local_today() - timedelta(days=9)
    course = course_ops.create_course(
        actor=admin, programme=db.session.scalar(select(Programme).where(Programme.code == "LINGYAN")), code=CODE,
        title="社区议事协商实务", summary="议事会的组织与主持", description="", mode=DeliveryMode.IN_PERSON,
        venue="东城区社会工作学院", credit_hours=Decimal("0"), hours_from_sessions=True, capacity=30,
        waitlist_enabled=True, enrol_opens_at=None, enrol_closes_at=None, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=1), approval_required=False, min_qualification=None, min_education=None,
        min_attendance_rate=80, pass_mark=None, instructors=[instructor], subdistricts=[], prerequisites=[],
        evaluation_before_certificate=True,
    )
    for day in range(2):
        start = local_to_utc(datetime.combine(starts_on + timedelta(days=day), datetime.min.time()).replace(hour=9))
        course_ops.save_session(course, None, actor=admin, starts_at=start, ends_at=start + timedelta(hours=3),
                                topic=f"议事协商（第{day + 1}讲）", instructor=instructor)
    course.status = CourseStatus.PUBLISHED
    enrolments = [enrolment_ops.enrol(course, worker, actor=admin, by_staff=True)
                  for worker in [waiting_worker, *workers]]
    for session in course.sessions:
        attendance_ops.save_marks(session, {e.id: Mark.PRESENT for e in enrolments}, actor=instructor)
    attendance_ops.finalise(course, actor=instructor)  # asks everyone who attended
    for worker, (scores, comment) in zip(workers, ANSWERS):
        operations.answer(course, worker, scores=dict(zip(DIMENSIONS, scores)), comment=comment)
    past = course_ops.find_course_by_code("DEMO-ZHUJI-PAST")
    if past is not None:
        operations.invite(past)
