"""Data the journeys need on top of the demo set: pending requests and a finished, unfinalised course."""
from datetime import datetime, timedelta

from sqlalchemy import select

from academy.core.i18n import local_to_utc, local_today
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus
from academy.demo import DEMO_PASSWORD, load_demo
from academy.enrolment import operations as enrolment_ops
from academy.extensions import db
from academy.orgs.reference import seed_org_units
from academy.partners.reference import seed_partners
from academy.programmes.models import Programme
from academy.programmes.reference import seed_programmes
from academy.progress.reference import seed_rules


def seed_e2e() -> dict:
    seed_org_units(), seed_programmes(), seed_rules(), seed_partners()
    accounts = {user.phone: user for user, _ in load_demo()}
    admin, instructor = accounts["13800000001"], accounts["13800000003"]
    workers = [accounts["13800000005"], accounts["13800000006"], accounts["13800000007"]]
    programme = db.session.scalar(select(Programme).where(Programme.code == "TOUYAN"))
    today = local_today()
    approval = course_ops.create_course(
        actor=admin, programme=programme, code="E2E-APPROVAL", title="书记领导力专题研修（审核）", summary="需要审核",
        description="", mode="in_person", venue="学院", credit_hours=0, hours_from_sessions=True, capacity=10,
        waitlist_enabled=True, enrol_opens_at=local_to_utc(datetime.combine(today - timedelta(days=3), datetime.min.time())),
        enrol_closes_at=local_to_utc(datetime.combine(today + timedelta(days=20), datetime.min.time())),
        starts_on=today + timedelta(days=25), ends_on=today + timedelta(days=25), approval_required=True,
        min_qualification=None, min_education=None, min_attendance_rate=80, pass_mark=None, instructors=[instructor],
        subdistricts=[], prerequisites=[])
    start = datetime.combine(today + timedelta(days=25), datetime.min.time()).replace(hour=9)
    course_ops.save_session(approval, None, actor=admin, starts_at=local_to_utc(start),
                            ends_at=local_to_utc(start + timedelta(hours=3)), topic="专题研修")
    course_ops.change_status(approval, CourseStatus.PUBLISHED, actor=admin)
    for worker in workers:  # three pending requests: each run of the journey approves one
        enrolment_ops.enrol(approval, worker)

    finished_courses = {}
    for size in ("desktop", "phone"):
        finished_courses[size] = _finished_course(admin, instructor, programme, workers, today, size)
    from academy.auth.operations import create_user
    from academy.core.permissions import Role
    from academy.orgs.models import OrgUnit

    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.name_zh == "多福巷社区"))
    keyboard_workers = [create_user(role=Role.WORKER, phone=f"1370000010{index}", name=f"键盘{index}",
                                    password=DEMO_PASSWORD, work_unit=unit).phone for index in range(2)]
    db.session.commit()
    return {"password": DEMO_PASSWORD, "admin": "13800000001", "instructor": "13800000003",
            "worker": "13800000005", "finished_courses": finished_courses, "approval_course": approval.id,
            "finished_course": finished_courses["desktop"], "keyboard_workers": keyboard_workers,
            "workers": [w.phone for w in workers]}


def _finished_course(admin, instructor, programme, workers, today, size) -> int:
    finished = course_ops.create_course(
        actor=admin, programme=programme, code=f"E2E-FINISHED-{size.upper()}", title=f"已结课待考勤课程（{size}）",
        summary="", description="",
        mode="in_person", venue="学院", credit_hours=0, hours_from_sessions=True, capacity=10, waitlist_enabled=True,
        enrol_opens_at=None, enrol_closes_at=None, starts_on=today - timedelta(days=3),
        ends_on=today - timedelta(days=2), approval_required=False, min_qualification=None, min_education=None,
        min_attendance_rate=80, pass_mark=None, instructors=[instructor], subdistricts=[], prerequisites=[])
    for day in (3, 2):
        start = datetime.combine(today - timedelta(days=day), datetime.min.time()).replace(hour=14)
        course_ops.save_session(finished, None, actor=admin, starts_at=local_to_utc(start),
                                ends_at=local_to_utc(start + timedelta(hours=2)), topic=f"第{4 - day}讲")
    finished.status = CourseStatus.PUBLISHED
    for worker in workers:
        enrolment_ops.enrol(finished, worker, actor=admin, by_staff=True)
    return finished.id
