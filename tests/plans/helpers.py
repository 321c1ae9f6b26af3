"""A small district with completed, failed and seated enrolments in 2025, for plans' actuals."""
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, and_, case, cast, distinct, extract, func, select

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.auth.enums import Qualification
from academy.auth.models import WorkerProfile
from academy.courses.models import Course
from academy.enrolment import operations as ops
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.plans import operations as plans
from academy.progress.models import CeStanding

A, B = "110101001000", "110101016000"  # 东华门街道, 天坛街道
YEAR = 2025


def run_course(make, code, workers, present, starts_on=date(YEAR, 3, 10), admin=None, instructor=None):
    """A two-session course of `code` in which `present` workers complete and the others do not."""
    admin, instructor = admin or make.create_admin(), instructor or make.create_instructor()
    course = make.create_course(code, starts_on=starts_on, sessions=2, instructors=[instructor])
    seats = [ops.enrol(course, worker, by_staff=True, actor=admin) for worker in workers]
    db.session.commit()
    for session in course.sessions:
        att.save_marks(session, {seat.id: (Mark.PRESENT if seat.worker in present else Mark.ABSENT)
                                 for seat in seats}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    return course


def small_district(make):
    """w1, w2 in A, w3 in B. ZHUJI: course 1 (w1, w3 complete; w2 does not), course 2 (w1 completes);
    QINGYUN: w2 completes; SHENGENG: w3 and w1 complete; a ZHUJI course in 2024 (w2 completes)."""
    admin, instructor = make.create_admin(), make.create_instructor()
    units = {street: make.create_unit(parent=make.subdistrict(street)) for street in (A, B)}
    w1, w2 = (make.create_worker(work_unit=units[A], qualification=Qualification.ASSISTANT,
                                 registration_date=date(2024, 6, 1)) for _ in range(2))
    w3 = make.create_worker(work_unit=units[B], qualification=Qualification.SOCIAL_WORKER,
                            registration_date=date(2024, 6, 1))
    run_course(make, "ZHUJI", [w1, w2, w3], [w1, w3], admin=admin, instructor=instructor)
    run_course(make, "ZHUJI", [w1], [w1], starts_on=date(YEAR, 9, 1), admin=admin, instructor=instructor)
    run_course(make, "QINGYUN", [w2], [w2], admin=admin, instructor=instructor)
    run_course(make, "SHENGENG", [w3, w1], [w3, w1], admin=admin, instructor=instructor)
    run_course(make, "ZHUJI", [w2], [w2], starts_on=date(YEAR - 1, 5, 1), admin=admin, instructor=instructor)
    return dict(admin=admin, instructor=instructor, workers=(w1, w2, w3), units=units)


def raw_actuals(programme_id: int, year: int, subdistrict_id: int | None = None) -> dict:
    """The same figures straight from the enrolments, by SQL aggregates (the definition)."""
    completed = Enrolment.status == EnrolmentStatus.COMPLETED
    seated = Enrolment.status.in_(SEATED_STATUSES)
    applicable = CeStanding.applicable.is_(True)
    query = (select(func.count(distinct(case((completed, Enrolment.worker_id)))),
                    func.sum(case((seated, 1), else_=0)), func.sum(case((completed, 1), else_=0)),
                    func.coalesce(func.sum(case((completed, Enrolment.credited_hours))), 0),
                    func.count(distinct(case((and_(seated, applicable), Enrolment.worker_id)))),
                    func.count(distinct(case((and_(seated, applicable, CeStanding.done >= CeStanding.required),
                                              Enrolment.worker_id)))))
             .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
             .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id)
             .outerjoin(CeStanding, CeStanding.worker_id == Enrolment.worker_id)
             .where(Course.programme_id == programme_id, cast(extract("year", Course.starts_on), Integer) == year))
    if subdistrict_id is not None:
        query = query.where(WorkerProfile.subdistrict_id == subdistrict_id)
    people, seats, done, hours, ce_applicable, ce_compliant = db.session.execute(query).one()
    return {"completed_workers": people, "seated": seats or 0, "completed": done or 0,
            "hours": Decimal(hours).quantize(Decimal("0.1")), "ce_applicable": ce_applicable,
            "ce_compliant": ce_compliant}


def plan(make, admin, code="ZHUJI", street=None, year=YEAR, weights=None, **figures):
    made = plans.create_plan(admin, year=year, programme=make.programme(code),
                             subdistrict=make.subdistrict(street) if street else None, figures=figures,
                             weights=weights)
    db.session.commit()
    return made
