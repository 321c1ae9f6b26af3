"""Enrolment rules: who may enrol, seats that never oversell, approval, the waitlist, withdrawal.

Seats are counted on the course row and taken with one conditional UPDATE
(`seats_taken < capacity`), so concurrent requests can never take more seats than exist; the schema's
CHECK (seats_taken <= capacity) and UNIQUE (course, worker) back it up.
"""
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from academy.audit.operations import record
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.derived import note
from academy.core.personalcache import note_workers
from academy.courses.eligibility import unmet_rules
from academy.courses.models import Course, CourseSession, CourseStatus
from academy.courses.operations import day_start_utc
from academy.courses.signals import capacity_raised, course_cancelled
from academy.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentEvent, EnrolmentStatus
from academy.extensions import db
from academy.notifications.operations import notify

S = EnrolmentStatus
ALREADY_ENROLLED = _l("Already enrolled in this course.")


# --- seats -------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _seat_statement(change: int, unless_waiting: bool = False):
    """Take (+1) or give back (-1) one seat of the course `course_id`, if one is free or taken; built once."""
    course_id = bindparam("course_id")
    condition = Course.seats_taken < Course.capacity if change > 0 else Course.seats_taken > 0
    if unless_waiting:
        condition = and_(condition, ~select(Enrolment.id).where(
            Enrolment.course_id == course_id, Enrolment.status == S.WAITLISTED).exists())
    return update(Course).where(Course.id == course_id, condition).values(seats_taken=Course.seats_taken + change)


def _count_seat(course, statement) -> bool:
    """One conditional UPDATE of the course's seat count (an ORM Course or the facts of selfservice);
    True when it changed."""
    db.session.flush()  # on the connection, past the session: what the session holds (a new capacity) first
    result = db.session.connection().execute(statement, {"course_id": course.id})
    expire_loaded(Course, course.id, ["seats_taken"])
    note(db.session, Course, ids={course.id}, columns=("seats_taken",))  # the seats left, on the public pages
    return result.rowcount == 1


def expire_loaded(model, row_id: int, attributes: list[str]) -> None:
    """After a Core UPDATE of this row: the session's object for it, if it holds one, reads them again."""
    loaded = db.session.identity_map.get(db.session.identity_key(model, row_id))
    if loaded is not None:
        db.session.expire(loaded, attributes)


def take_seat(course) -> bool:
    """Take one seat if one is free; True when taken. Safe under any concurrency."""
    return _count_seat(course, _seat_statement(1))


def release_seat(course, *, unless_waiting: bool = False) -> bool:
    """Give one seat back (True when given); `unless_waiting`: only if nobody waits for it."""
    return _count_seat(course, _seat_statement(-1, unless_waiting))


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


def places_move(course_id: int) -> None:
    """Someone left the course's waitlist: everyone still waiting sees their place move."""
    note_workers(db.session, query=select(Enrolment.worker_id).where(
        Enrolment.course_id == course_id, Enrolment.status == S.WAITLISTED))


def waitlist_position(enrolment: Enrolment) -> int | None:
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


def course_start(course: Course, first_session=_UNKNOWN) -> datetime | None:
    """When the course begins: its first session (looked up unless given; None: it has none), else
    midnight of its first day."""
    if first_session is _UNKNOWN:
        if "sessions" in course.__dict__:  # already loaded (pages): no query
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


@dataclass
class EnrolOption:
    """What the enrol button does for this user now, or why it cannot."""

    action: str | None  # "enrol", "request", "waitlist" or None
    reasons: list = field(default_factory=list)
    enrolment: Enrolment | None = None
    position: int | None = None


def enrol_option(course: Course, user, now: datetime | None = None) -> EnrolOption:
    now = now or now_utc()
    if not getattr(user, "is_authenticated", False):
        return EnrolOption(None, [_l("Sign in as a social worker to enrol.")])
    enrolment, completed = mine_and_completed(course.id, user.id)
    if enrolment is not None and enrolment.status in ACTIVE_STATUSES + (S.COMPLETED,):
        return EnrolOption(None, [], enrolment, waitlist_position(enrolment))
    reasons = _refusals(course, user, completed, now)
    if reasons:
        return EnrolOption(None, reasons, enrolment)
    if course.approval_required:
        return EnrolOption("request", [], enrolment)
    if course.seats_taken < course.capacity:
        return EnrolOption("enrol", [], enrolment)
    if course.waitlist_enabled:
        return EnrolOption("waitlist", [], enrolment)
    return EnrolOption(None, [_l("The course is full and keeps no waitlist.")], enrolment)


def _refusals(course: Course, worker, completed_ids: set[int], now: datetime, *, by_staff: bool = False) -> list:
    """Every reason this worker cannot enrol now, in words; staff may still enrol into a closed window."""
    staff_may = by_staff and course.status in (CourseStatus.PUBLISHED, CourseStatus.CLOSED)
    reasons = [] if staff_may else _closed_reasons(course, now)
    if worker.profile is None:
        reasons.append(_l("Only social workers can enrol in courses."))
    else:
        reasons.extend(unmet_rules(course, worker.profile, completed_ids))
    return reasons


def _closed_reasons(course: Course, now: datetime) -> list:
    if course.status == CourseStatus.CANCELLED:
        return [_l("The course is cancelled.")]
    if course.status != CourseStatus.PUBLISHED:
        return [_l("The course is not open for enrolment.")]
    if course.enrol_opens_at and now < course.enrol_opens_at:
        return [_l("Enrolment has not opened yet.")]
    if course.enrol_closes_at and now >= course.enrol_closes_at:
        return [_l("Enrolment has closed.")]
    return []


# --- changing ----------------------------------------------------------------------------------

def course_link(course: Course) -> str | None:
    try:
        return url_for("courses.course_detail", course_id=course.id)
    except RuntimeError:  # outside a request (CLI, background work)
        return None


def _move(enrolment: Enrolment, to_status: EnrolmentStatus, *, actor=None, reason=None, notice=None, **params):
    """Change the status, record the event, and tell the worker (`notice` names the message)."""
    from_status = enrolment.status
    if from_status == S.WAITLISTED:
        places_move(enrolment.course_id)
    # Set the new state before anything that may query (and so autoflush a new row).
    enrolment.status = to_status
    enrolment.queued_at = now_utc() if to_status == S.WAITLISTED else None
    db.session.add(EnrolmentEvent(  # added, not appended: appending would load every earlier event
        enrolment=enrolment, actor_id=actor.id if actor is not None else None, from_status=from_status,
        to_status=to_status, reason=reason,
    ))
    db.session.flush()
    if notice:
        if to_status == S.WAITLISTED:
            params["position"] = waitlist_position(enrolment)
        notify(enrolment.worker_id, notice, link=course_link(enrolment.course), course=enrolment.course.title,
               reason=reason or "", **params)


def _place(enrolment: Enrolment, course: Course, *, actor, via_approval: bool) -> None:
    """Give a seat when one is free, else the waitlist, else refuse."""
    if take_seat(course):
        _move(enrolment, S.ENROLLED, actor=actor, notice="approved" if via_approval else "enrolled")
    elif course.waitlist_enabled:
        _move(enrolment, S.WAITLISTED, actor=actor, notice="waitlisted")
    else:
        raise OperationError(_l("The course is full and keeps no waitlist."))


def enrol(course: Course, worker, *, actor=None, now: datetime | None = None, by_staff: bool = False) -> Enrolment:
    """Enrol a worker: a seat, an approval request or a waitlist place. Staff skip window and approval.

    On OperationError nothing is left half done except what the caller's rollback discards."""
    actor = actor or worker
    existing, completed = mine_and_completed(course.id, worker.id)
    target, notice = decide(course, worker, existing, completed, now, by_staff=by_staff)
    if existing is not None:  # re-enrolling: the status guard refuses it if another request got there first
        enrolment = existing
        _move(enrolment, target, actor=actor, notice=notice)
    else:
        enrolment = Enrolment(course=course, worker=worker)
        try:
            with db.session.begin_nested():
                db.session.add(enrolment)
                _move(enrolment, target, actor=actor, notice=notice)
        except IntegrityError:
            # The same worker enrolled a moment earlier in another request.
            if target == S.ENROLLED:
                release_seat(course)
            raise OperationError(ALREADY_ENROLLED) from None
    if by_staff:
        record("enrolment.staff_enrol", enrolment, actor=actor, course=course.code, status=target.value)
    return enrolment


def decide(course, worker, existing, completed: set[int], now: datetime | None = None, *,
           by_staff: bool = False) -> tuple[EnrolmentStatus, str]:
    """Whether this worker may enrol now (else OperationError saying why) and the status they get —
    taking the seat when they get one — with the notice that tells them. `existing`: their enrolment in
    the course, if any (anything with a status)."""
    if existing is not None and existing.status in ACTIVE_STATUSES + (S.COMPLETED,):
        raise OperationError(_l("Already enrolled: %(status)s.", status=existing.status.label))
    reasons = _refusals(course, worker, completed, now or now_utc(), by_staff=by_staff)
    if reasons:
        raise OperationError(" ".join(str(reason) for reason in reasons))
    if course.approval_required and not by_staff:
        return S.PENDING, "pending"
    if take_seat(course):
        return S.ENROLLED, "enrolled"
    if course.waitlist_enabled:
        return S.WAITLISTED, "waitlisted"
    raise OperationError(_l("The course is full and keeps no waitlist."))


def approve(enrolment: Enrolment, *, actor) -> None:
    if enrolment.status != S.PENDING:
        raise OperationError(_l("Only a request awaiting approval can be approved."))
    _place(enrolment, enrolment.course, actor=actor, via_approval=True)
    record("enrolment.approve", enrolment, actor=actor, course=enrolment.course.code)


def reject(enrolment: Enrolment, *, actor, reason: str) -> None:
    if not (reason or "").strip():
        raise OperationError(_l("Give the reason for not approving."), field="reason")
    if enrolment.status not in ACTIVE_STATUSES:
        raise OperationError(_l("This enrolment is no longer active."))
    held_seat = enrolment.status == S.ENROLLED
    _move(enrolment, S.REJECTED, actor=actor, reason=reason.strip(), notice="rejected")
    record("enrolment.reject", enrolment, actor=actor, course=enrolment.course.code, reason=reason.strip())
    if held_seat:
        pass_seat_on(enrolment.course, actor=actor)


def can_withdraw(enrolment: Enrolment, user, now: datetime | None = None, starts: dict | None = None) -> bool:
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


def withdraw(enrolment: Enrolment, *, actor, reason: str | None = None, now: datetime | None = None) -> None:
    """The worker before the course starts, an administrator at any time (with a reason)."""
    check_withdrawal(enrolment, actor, reason, now)
    held_seat = enrolment.status == S.ENROLLED
    _move(enrolment, S.WITHDRAWN, actor=actor, reason=(reason or "").strip() or None, notice="withdrawn")
    if actor.id != enrolment.worker_id:
        record("enrolment.withdraw", enrolment, actor=actor, course=enrolment.course.code, reason=reason)
    if held_seat:
        pass_seat_on(enrolment.course, actor=actor)


def _first_waiting(course: Course) -> Enrolment | None:
    """The first worker waiting, claimed with a row lock that a concurrent promotion skips over
    (PostgreSQL; SQLite already holds its one write lock)."""
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.status == S.WAITLISTED)
        .order_by(Enrolment.queued_at, Enrolment.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


def _promote(candidate: Enrolment, course: Course, actor) -> None:
    places_move(course.id)
    candidate.status, candidate.queued_at = S.ENROLLED, None
    db.session.add(EnrolmentEvent(
        enrolment=candidate, actor_id=actor.id if actor is not None else None, from_status=S.WAITLISTED,
        to_status=S.ENROLLED, reason="waitlist",
    ))
    notify(candidate.worker_id, "promoted", link=course_link(course), course=course.title)


def fill_free_seats(course: Course, *, actor=None) -> list[Enrolment]:
    """Give free seats to the workers waiting, first come first served, and tell each of them."""
    promoted = []
    while True:
        if not take_seat(course):
            return promoted
        candidate = _first_waiting(course)
        if candidate is None:
            release_seat(course)
            return promoted
        _promote(candidate, course, actor)
        promoted.append(candidate)


def pass_seat_on(course, *, actor=None) -> list[Enrolment]:
    """A seat just given up goes straight to the first worker waiting, else back to the course (then any
    other free seat is filled too). One statement when nobody waits, the usual case."""
    if release_seat(course, unless_waiting=True):
        return []
    candidate = _first_waiting(course)
    if candidate is None:
        release_seat(course)
        return []
    _promote(candidate, course, actor)
    return [candidate, *fill_free_seats(course, actor=actor)]


@capacity_raised.connect
def _fill_raised_capacity(course: Course, actor=None) -> None:
    fill_free_seats(course, actor=actor)


@course_cancelled.connect
def notify_course_cancelled(course: Course, reason: str) -> int:
    """Tell every worker holding a place that the course is cancelled; their records stay."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.status.in_(ACTIVE_STATUSES))
    ).all()
    for enrolment in enrolments:
        notify(enrolment.worker_id, "course_cancelled", link=course_link(course), course=course.title,
               reason=reason)
    return len(enrolments)
