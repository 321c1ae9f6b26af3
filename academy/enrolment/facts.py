"""What a worker's own enrolment and withdrawal read of a course and of an enrolment, in one statement
each: the busiest requests of the district, for which loading ORM objects cost more than the writes.
The facts carry the attributes the rules (academy.enrolment.rules) and the one write path
(academy.enrolment.operations) read of a course or an enrolment.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from academy.auth.models import Education, Qualification
from academy.courses.models import Course, CourseSession, CourseStatus, course_prerequisites, course_subdistricts
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db



@dataclass(frozen=True)
class Unit:
    id: int


@dataclass(frozen=True)
class Prerequisite:
    id: int
    code: str
    title: str


@dataclass
class CourseFacts:
    """What the enrolment rules and the notices read of a course (in place of a Course)."""

    id: int
    status: CourseStatus
    title: str
    capacity: int
    seats_taken: int
    waitlist_enabled: bool
    approval_required: bool
    enrol_opens_at: datetime | None
    enrol_closes_at: datetime | None
    starts_on: date | None
    min_qualification: Qualification | None
    min_education: Education | None
    subdistricts: list = field(default_factory=list)
    prerequisites: list = field(default_factory=list)


@dataclass
class EnrolmentFacts:
    """An enrolment with its course's title and start, as withdrawing reads it."""

    id: int
    worker_id: int
    course_id: int
    status: EnrolmentStatus
    course: CourseFacts
    first_session: datetime | None


# -- reading ------------------------------------------------------------------------------------------

_COURSE_COLUMNS = (Course.id, Course.status, Course.title, Course.capacity, Course.seats_taken,
                   Course.waitlist_enabled, Course.approval_required, Course.enrol_opens_at, Course.enrol_closes_at,
                   Course.starts_on, Course.min_qualification, Course.min_education)


@lru_cache(maxsize=1)
def _course_statement():
    """The course and its rules in one statement: a row per subdistrict x prerequisite (a few at most). The
    alias is made here, not shared by the module: an alias's columns are worked out at first use, and two
    threads doing that at once on one alias failed a request (tests/test_architecture.py)."""
    prerequisite = aliased(Course)
    return (select(*_COURSE_COLUMNS, course_subdistricts.c.org_unit_id, prerequisite.id, prerequisite.code,
                   prerequisite.title)
            .outerjoin(course_subdistricts, course_subdistricts.c.course_id == Course.id)
            .outerjoin(course_prerequisites, course_prerequisites.c.course_id == Course.id)
            .outerjoin(prerequisite, prerequisite.id == course_prerequisites.c.prerequisite_id)
            .where(Course.id == bindparam("course_id")))


def course_facts(course_id: int) -> CourseFacts | None:
    """The course as a worker may enrol in it; None when it does not exist or is a draft (not public)."""
    rows = db.session.connection().execute(_course_statement(), {"course_id": course_id}).all()
    if not rows or rows[0].status == CourseStatus.DRAFT:
        return None
    course = CourseFacts(*rows[0][:len(_COURSE_COLUMNS)])
    units, prerequisites = {}, {}
    for *_, unit_id, prerequisite_id, code, title in rows:
        if unit_id is not None:
            units[unit_id] = Unit(unit_id)
        if prerequisite_id is not None:
            prerequisites[prerequisite_id] = Prerequisite(prerequisite_id, code, title)
    course.subdistricts = list(units.values())
    course.prerequisites = sorted(prerequisites.values(), key=lambda prerequisite: prerequisite.code)
    return course


@lru_cache(maxsize=1)
def _enrolment_statement():
    first_session = (select(func.min(CourseSession.starts_at)).where(CourseSession.course_id == Enrolment.course_id)
                     .scalar_subquery())
    return (select(Enrolment.id, Enrolment.worker_id, Enrolment.course_id, Enrolment.status, *_COURSE_COLUMNS,
                   first_session)
            .join(Course, Course.id == Enrolment.course_id).where(Enrolment.id == bindparam("enrolment_id")))


def own_enrolment(enrolment_id: int, worker_id: int) -> EnrolmentFacts | None:
    """The worker's own enrolment with what withdrawing needs; None when missing or someone else's."""
    row = db.session.connection().execute(_enrolment_statement(), {"enrolment_id": enrolment_id}).first()
    if row is None or row.worker_id != worker_id:
        return None
    return EnrolmentFacts(*row[:4], course=CourseFacts(*row[4:-1]), first_session=row[-1])
