"""A worker enrolling themself in a course and withdrawing themself: the busiest writes of the district.

The operations in `operations` load and flush ORM objects, and the session's flush then works out
what the summary tables and the page caches must learn; for these two requests that machinery cost
more than the writes themselves (5.3 ms a request, in-process, at district scale). Here the same
rules (operations.decide, operations.check_withdrawal, the conditional seat UPDATEs, the status an
enrolment is changed from) run as a few Core statements on the session's connection, and what they
change is noted before the rows change (academy.core.derived.note), so the commit keeps the summary tables and the caches current exactly as the
flush-driven path does (tests/enrolment/test_selfservice.py compares the two). A seat handed to the
first worker waiting goes through operations.pass_seat_on.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from types import SimpleNamespace

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from academy.auth.models import Education, Qualification
from academy.core.database import upsert
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.derived import note
from academy.courses.models import Course, CourseSession, CourseStatus, course_prerequisites, course_subdistricts
from academy.enrolment import operations
from academy.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from academy.extensions import db
from academy.notifications.models import Notification
from academy.notifications.operations import notification_row

S = EnrolmentStatus


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
    """What the enrolment rules and the notices read of a course (operations accept it for a Course)."""

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

_PREREQUISITE = aliased(Course)
_COURSE_COLUMNS = (Course.id, Course.status, Course.title, Course.capacity, Course.seats_taken,
                   Course.waitlist_enabled, Course.approval_required, Course.enrol_opens_at, Course.enrol_closes_at,
                   Course.starts_on, Course.min_qualification, Course.min_education)
_MINE = (Enrolment.id, Enrolment.course_id, Enrolment.status)


@lru_cache(maxsize=1)
def _course_statement():
    """The course and its rules in one statement: a row per subdistrict x prerequisite (a few at most)."""
    return (select(*_COURSE_COLUMNS, course_subdistricts.c.org_unit_id, _PREREQUISITE.id, _PREREQUISITE.code,
                   _PREREQUISITE.title)
            .outerjoin(course_subdistricts, course_subdistricts.c.course_id == Course.id)
            .outerjoin(course_prerequisites, course_prerequisites.c.course_id == Course.id)
            .outerjoin(_PREREQUISITE, _PREREQUISITE.id == course_prerequisites.c.prerequisite_id)
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


# -- changing -----------------------------------------------------------------------------------------

def enrol(course: CourseFacts, worker, *, now: datetime | None = None) -> EnrolmentStatus:
    """The worker enrols themself: a seat, an approval request or a waitlist place (operations.decide)."""
    existing, completed = operations.mine_and_completed(course.id, worker.id, columns=_MINE)
    target, notice = operations.decide(course, worker, existing, completed, now)
    connection = db.session.connection()
    note(db.session, Enrolment, owners={worker.id}, columns=("status",))  # before the row changes
    if existing is not None:
        _change(connection, existing.id, worker.id, course, existing.status, target, notice)
        return target
    queued_at = now_utc() if target == S.WAITLISTED else None
    inserted = connection.execute(_new_enrolment_statement(connection.dialect.name), {
        "course_id": course.id, "worker_id": worker.id, "status": target, "queued_at": queued_at}).first()
    if inserted is None:  # the same worker enrolled a moment earlier in another request
        if target == S.ENROLLED:
            operations.release_seat(course)
        raise OperationError(operations.ALREADY_ENROLLED)
    _record(connection, inserted.id, worker.id, course, None, target, notice, queued_at)
    return target


def withdraw(enrolment: EnrolmentFacts, worker, *, reason: str | None = None, now: datetime | None = None) -> None:
    """The worker withdraws themself before the course starts; a seat they held goes on to the first
    worker waiting."""
    start = operations.course_start(enrolment.course, enrolment.first_session)
    operations.check_withdrawal(enrolment, worker, reason, now, starts={enrolment.course_id: start})
    note(db.session, Enrolment, owners={worker.id}, columns=("status",))
    _change(db.session.connection(), enrolment.id, worker.id, enrolment.course, enrolment.status, S.WITHDRAWN,
            "withdrawn", reason=(reason or "").strip() or None)
    if enrolment.status == S.ENROLLED:
        operations.pass_seat_on(enrolment.course, actor=worker)


@lru_cache(maxsize=None)
def _new_enrolment_statement(dialect_name: str):
    """INSERT the enrolment unless the worker has one in the course already (then no row comes back)."""
    return (upsert(dialect_name, Enrolment.__table__).on_conflict_do_nothing(index_elements=["course_id", "worker_id"])
            .returning(Enrolment.__table__.c.id))


@lru_cache(maxsize=1)
def _status_statement():
    table = Enrolment.__table__
    return (update(table).where(table.c.id == bindparam("enrolment_id"), table.c.status == bindparam("from_status"))
            .values(status=bindparam("to_status"), queued_at=bindparam("queued_at")))


def _change(connection, enrolment_id, worker_id, course, from_status, to_status, notice, reason=None) -> None:
    """Move the enrolment from the status it was read in; StaleDataError when another request moved it
    meanwhile (the view then says so), as the ORM's status guard does."""
    queued_at = now_utc() if to_status == S.WAITLISTED else None
    moved = connection.execute(_status_statement(), {
        "enrolment_id": enrolment_id, "from_status": from_status, "to_status": to_status, "queued_at": queued_at,
    }).rowcount
    if moved != 1:
        raise StaleDataError("the enrolment changed meanwhile")
    operations.expire_loaded(Enrolment, enrolment_id, ["status", "queued_at", "updated_at"])
    _record(connection, enrolment_id, worker_id, course, from_status, to_status, notice, queued_at, reason)


def _record(connection, enrolment_id, worker_id, course, from_status, to_status, notice, queued_at,
            reason=None) -> None:
    """The event, the notice, and the worker's pages to refresh at the commit (as operations._move)."""
    connection.execute(insert(EnrolmentEvent.__table__), {
        "enrolment_id": enrolment_id, "actor_id": worker_id, "from_status": from_status, "to_status": to_status,
        "reason": reason})
    params = {}
    if to_status == S.WAITLISTED:
        params["position"] = operations.waitlist_position(SimpleNamespace(
            id=enrolment_id, course_id=course.id, status=to_status, queued_at=queued_at))
    connection.execute(insert(Notification.__table__), notification_row(
        worker_id, notice, link=operations.course_link(course), course=course.title, reason=reason or "", **params))
    if from_status == S.WAITLISTED:
        operations.places_move(course.id)

