"""Read helpers: my learning, the approval queue, a course's roster."""
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from academy.auth.models import User, WorkerProfile
from academy.courses.models import Course, course_instructors
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db


def waitlist_positions_for(enrolments: list[Enrolment]) -> dict[int, int]:
    """Waitlist position of each waitlisted enrolment in the list, in one query."""
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITLISTED]
    if not waiting:
        return {}
    other = aliased(Enrolment)
    rows = db.session.execute(
        select(Enrolment.id, func.count(other.id))
        .join(other, and_(
            other.course_id == Enrolment.course_id,
            other.status == EnrolmentStatus.WAITLISTED,
            or_(other.queued_at < Enrolment.queued_at,
                and_(other.queued_at == Enrolment.queued_at, other.id <= Enrolment.id)),
        ))
        .where(Enrolment.id.in_([e.id for e in waiting]))
        .group_by(Enrolment.id)
    )
    return {enrolment_id: count for enrolment_id, count in rows}


def my_enrolments(worker_id: int) -> list[Enrolment]:
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.worker_id == worker_id)
        .options(joinedload(Enrolment.course).joinedload(Course.programme))
        .order_by(Enrolment.updated_at.desc())
    ).unique().all()



def approval_queue(user, *, include_all: bool):
    query = (
        select(Enrolment)
        .where(Enrolment.status == EnrolmentStatus.PENDING)
        .options(
            joinedload(Enrolment.course),
            joinedload(Enrolment.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit),
        )
        .order_by(Enrolment.created_at, Enrolment.id)
    )
    if not include_all:
        query = query.join(course_instructors, course_instructors.c.course_id == Enrolment.course_id).where(
            course_instructors.c.user_id == user.id
        )
    return query


def roster(course_id: int) -> list[Enrolment]:
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == course_id)
        .options(joinedload(Enrolment.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit))
        .order_by(Enrolment.status, Enrolment.queued_at, Enrolment.id)
    ).all()
