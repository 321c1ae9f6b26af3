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



def _pending(user, *, include_all: bool, subdistrict_id: int | None = None, waiting_before=None,
             course_text: str | None = None, course_id: int | None = None) -> list:
    """The conditions on pending requests this user reviews, narrowed by the queue's filters."""
    conditions = [Enrolment.status == EnrolmentStatus.PENDING]
    if not include_all:
        conditions.append(Enrolment.course_id.in_(
            select(course_instructors.c.course_id).where(course_instructors.c.user_id == user.id)))
    if course_id is not None:
        conditions.append(Enrolment.course_id == course_id)
    if subdistrict_id is not None:
        conditions.append(Enrolment.worker_id.in_(
            select(WorkerProfile.user_id).where(WorkerProfile.subdistrict_id == subdistrict_id)))
    if waiting_before is not None:
        conditions.append(Enrolment.updated_at <= waiting_before)
    if course_text:
        conditions.append(Enrolment.course_id.in_(select(Course.id).where(or_(
            Course.code.icontains(course_text, autoescape=True), Course.title.icontains(course_text, autoescape=True)))))
    return conditions


def approval_groups(user, *, include_all: bool, **filters):
    """The courses with pending requests, one row each: (course, pending count, waiting since), the
    longest waiting first. One statement whatever the number of requests."""
    waiting_since = func.min(Enrolment.updated_at)
    counts = (select(Enrolment.course_id, func.count(Enrolment.id).label("pending"),
                     waiting_since.label("since"))
              .where(*_pending(user, include_all=include_all, **filters))
              .group_by(Enrolment.course_id).subquery())
    return (select(Course, counts.c.pending, counts.c.since)
            .join(counts, counts.c.course_id == Course.id)
            .order_by(counts.c.since, Course.id))


def approval_queue(user, *, include_all: bool, course_id: int, **filters):
    """One course's pending requests in the order they came, with what the page shows of each worker."""
    return (
        select(Enrolment)
        .where(*_pending(user, include_all=include_all, course_id=course_id, **filters))
        .options(joinedload(Enrolment.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit))
        .order_by(Enrolment.updated_at, Enrolment.id)
    )


def roster_query(course_id: int):
    """A course's enrolments by status, then in the order they queued, with the workers the roster shows."""
    return (
        select(Enrolment)
        .where(Enrolment.course_id == course_id)
        .options(joinedload(Enrolment.worker).joinedload(User.profile).joinedload(WorkerProfile.work_unit))
        .order_by(Enrolment.status, Enrolment.queued_at, Enrolment.id)
    )


def roster(course_id: int) -> list[Enrolment]:
    return db.session.scalars(roster_query(course_id)).all()
