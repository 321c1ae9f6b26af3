"""Who may see a course's materials, and the lists they see."""
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from academy.courses.models import Course, CourseSession
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.materials.models import Material, MaterialStatus

SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


def is_enrolled(course_id: int, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(exists().where(
        Enrolment.course_id == course_id, Enrolment.worker_id == user.id, Enrolment.status.in_(SEATED)))))


def may_see(course: Course, user) -> bool:
    """The course's staff (its instructors and administrators) and its enrolled workers."""
    return course.can_edit(user) or is_enrolled(course.id, user)


def materials_query(course: Course, *, staff: bool):
    """Course-wide materials first, then each session's in its order; workers see the published only."""
    query = (select(Material).outerjoin(CourseSession, CourseSession.id == Material.session_id)
             .where(Material.course_id == course.id).options(joinedload(Material.session))
             .order_by(CourseSession.starts_at.is_not(None), CourseSession.starts_at, Material.position, Material.id))
    if not staff:
        query = query.where(Material.status == MaterialStatus.PUBLISHED)
    return query
