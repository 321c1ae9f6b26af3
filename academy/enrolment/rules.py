"""What enrolling does, decided in one place for the course page, a worker's own enrolment, staff and
the class-list import: a seat, an approval request, a waitlist place, or every reason it cannot; and
who may withdraw when. Reading only: the changes are made by academy.enrolment.operations.

Courses and enrolments here are anything with their attributes: ORM rows, or the facts that
academy.enrolment.facts reads for the busiest requests.
"""
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, or_, select

from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.courses.eligibility import unmet_rules
from academy.courses.models import Course, CourseSession, CourseStatus
from academy.courses.operations import day_start_utc
from academy.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from academy.extensions import db

S = EnrolmentStatus
HELD = ACTIVE_STATUSES + (S.COMPLETED,)
ALREADY_ENROLLED = _l("Already enrolled in this course.")
FULL = _l("The course is full and keeps no waitlist.")


class NotPlaced(OperationError):
    """Enrolling refused: `kind` is "held" (already enrolled), "ineligible" (with every reason) or "full"."""

    def __init__(self, kind: str, reasons: list):
        super().__init__(" ".join(str(reason) for reason in reasons))
        self.kind, self.reasons = kind, reasons


def placement(course, worker, existing, completed: set[int], now: datetime | None = None, *,
              by_staff: bool = False, seat_free: bool | None = None) -> EnrolmentStatus:
    """The status enrolling gives this worker now, else OperationError naming every reason it cannot.
    `existing`: their enrolment in the course, if any; `seat_free`: whether a seat is free (default: the
    course's count; the operation then takes it with a conditional UPDATE and asks again if it lost).
    Staff skip the enrolment window and approval (not a closed or cancelled course)."""
    if existing is not None and existing.status in HELD:
        raise NotPlaced("held", [_l("Already enrolled: %(status)s.", status=existing.status.label)])
    reasons = refusals(course, worker, completed, now or now_utc(), by_staff=by_staff)
    if reasons:
        raise NotPlaced("ineligible", reasons)
    return _seat_or_queue(course, by_staff, seat_free)


def _seat_or_queue(course, by_staff: bool, seat_free: bool | None) -> EnrolmentStatus:
    if course.approval_required and not by_staff:
        return S.PENDING
    if course.seats_taken < course.capacity if seat_free is None else seat_free:
        return S.ENROLLED
    if course.waitlist_enabled:
        return S.WAITLISTED
    raise NotPlaced("full", [FULL])


def refusals(course, worker, completed_ids: set[int], now: datetime, *, by_staff: bool = False) -> list:
    """Every reason this worker cannot enrol now, in words; staff may still enrol into a closed window."""
    staff_may = by_staff and course.status in (CourseStatus.PUBLISHED, CourseStatus.CLOSED)
    reasons = [] if staff_may else _closed_reasons(course, now)
    if worker.profile is None:
        reasons.append(_l("Only social workers can enrol in courses."))
    else:
        reasons.extend(unmet_rules(course, worker.profile, completed_ids))
    return reasons


def _closed_reasons(course, now: datetime) -> list:
    if course.status == CourseStatus.CANCELLED:
        return [_l("The course is cancelled.")]
    if course.status != CourseStatus.PUBLISHED:
        return [_l("The course is not open for enrolment.")]
    if course.enrol_opens_at and now < course.enrol_opens_at:
        return [_l("Enrolment has not opened yet.")]
    if course.enrol_closes_at and now >= course.enrol_closes_at:
        return [_l("Enrolment has closed.")]
    return []


@dataclass
class EnrolOption:
    """What the enrol button does for this user now, or why it cannot."""

    action: str | None  # "enrol", "request", "waitlist" or None
    reasons: list = field(default_factory=list)
    enrolment: Enrolment | None = None
    position: int | None = None


ACTIONS = {S.ENROLLED: "enrol", S.PENDING: "request", S.WAITLISTED: "waitlist"}


def enrol_option(course: Course, user, now: datetime | None = None) -> EnrolOption:
    if not getattr(user, "is_authenticated", False):
        return EnrolOption(None, [_l("Sign in as a social worker to enrol.")])
    enrolment, completed = mine_and_completed(course.id, user.id)
    if enrolment is not None and enrolment.status in HELD:
        return EnrolOption(None, [], enrolment, waitlist_position(enrolment))
    reasons = refusals(course, user, completed, now or now_utc())
    if reasons:
        return EnrolOption(None, reasons, enrolment)
    try:
        return EnrolOption(ACTIONS[_seat_or_queue(course, False, None)], [], enrolment)
    except OperationError as full:
        return EnrolOption(None, [full.message], enrolment)


# --- reading -----------------------------------------------------------------------------------

def mine_and_completed(course_id: int, worker_id: int, *, columns=None) -> tuple:
    """In one query: the worker's enrolment in this course (None: never enrolled) and the ids of the
    courses they completed (the prerequisites they meet); Enrolment objects, or rows of `columns`."""
    query, params = _mine_statement(columns or (Enrolment,)), {"course_id": course_id, "worker_id": worker_id}
    mine = db.session.connection().execute(query, params).all() if columns else db.session.scalars(query, params).all()
    return (next((e for e in mine if e.course_id == course_id), None),
            {e.course_id for e in mine if e.status == S.COMPLETED})


@lru_cache(maxsize=None)
def _mine_statement(columns: tuple):
    return select(*columns).where(Enrolment.worker_id == bindparam("worker_id"), or_(
        Enrolment.course_id == bindparam("course_id"), Enrolment.status == S.COMPLETED))


def waitlist_position(enrolment) -> int | None:
    """1 for the first worker waiting."""
    if enrolment.status != S.WAITLISTED:
        return None
    ahead = db.session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.course_id == enrolment.course_id,
            Enrolment.status == S.WAITLISTED,
            or_(Enrolment.queued_at < enrolment.queued_at,
                and_(Enrolment.queued_at == enrolment.queued_at, Enrolment.id < enrolment.id)),
        )
    )
    return ahead + 1


_UNKNOWN = object()


def course_start(course, first_session=_UNKNOWN) -> datetime | None:
    """When the course begins: its first session (looked up unless given; None: it has none), else
    midnight of its first day."""
    if first_session is _UNKNOWN:
        if "sessions" in getattr(course, "__dict__", {}):  # already loaded (pages): no query
            first_session = course.sessions[0].starts_at if course.sessions else None
        else:  # one small query rather than loading every session
            first_session = db.session.scalar(
                select(func.min(CourseSession.starts_at)).where(CourseSession.course_id == course.id))
    if first_session is not None:
        return first_session
    return day_start_utc(course.starts_on) if course.starts_on else None


def course_starts(enrolments: list[Enrolment]) -> dict:
    """course_start of each still-active enrolment's course, in one query: {course id: start}."""
    active = {e.course_id: e.course for e in enrolments if e.status in ACTIVE_STATUSES}
    if not active:
        return {}
    firsts = dict(db.session.execute(
        select(CourseSession.course_id, func.min(CourseSession.starts_at))
        .where(CourseSession.course_id.in_(active)).group_by(CourseSession.course_id)).all())
    return {course_id: course_start(course, firsts.get(course_id)) for course_id, course in active.items()}


def can_withdraw(enrolment, user, now: datetime | None = None, starts: dict | None = None) -> bool:
    """`starts`, when given, holds each course's start (course_starts) for lists of enrolments."""
    if enrolment.status not in ACTIVE_STATUSES:
        return False
    if user.role == "admin":
        return True
    if starts is not None and enrolment.course_id in starts:
        start = starts[enrolment.course_id]
    else:
        start = course_start(enrolment.course)
    return user.id == enrolment.worker_id and (start is None or (now or now_utc()) < start)


def check_withdrawal(enrolment, actor, reason: str | None, now: datetime | None = None,
                     starts: dict | None = None) -> None:
    """OperationError saying why this actor may not withdraw this enrolment now (see can_withdraw)."""
    if not can_withdraw(enrolment, actor, now, starts):
        if enrolment.status not in ACTIVE_STATUSES:
            raise OperationError(_l("This enrolment is no longer active."))
        raise OperationError(_l("The course has started: ask the academy to withdraw you."))
    if actor.id != enrolment.worker_id and not (reason or "").strip():
        raise OperationError(_l("Give the reason for the withdrawal."), field="reason")
