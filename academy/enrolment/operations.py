"""Every change of an enrolment's status — a worker enrolling or withdrawing, staff enrolling, approving,
rejecting or withdrawing, a seat passed to the first worker waiting, a class-list import — made here,
each with its event and notice, by a few Core statements on the session's connection. What enrolling
gives is decided by academy.enrolment.rules.

Seats are counted on the course row and taken with one conditional UPDATE (`seats_taken <
capacity`), so concurrent requests can never take more seats than exist; the schema's CHECK
(seats_taken <= capacity) and UNIQUE (course, worker) back it up. An enrolment changes only from the
status it was read in: a request that lost the race to another gets StaleDataError, and its whole
transaction (its seat too) is rolled back. The rows the statements change are noted for the summary
tables and page caches before they change (academy.core.derived.note).
"""
from functools import lru_cache

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.orm.exc import StaleDataError

from academy.audit.operations import record
from academy.core.database import upsert
from academy.core.derived import note
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.personalcache import note_workers
from academy.courses.models import Course
from academy.courses.signals import capacity_raised, course_cancelled, people_held
from academy.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentEvent, EnrolmentStatus
from academy.enrolment.rules import (
    ALREADY_ENROLLED, FULL, check_withdrawal, mine_and_completed, placement, waitlist_position,
)
from academy.extensions import db
from academy.notifications.models import Notification
from academy.notifications.operations import notification_row, notify

S = EnrolmentStatus
NOTICES = {S.ENROLLED: "enrolled", S.PENDING: "pending", S.WAITLISTED: "waitlisted"}
_MINE = (Enrolment.id, Enrolment.course_id, Enrolment.status)


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
    """One conditional UPDATE of the course's seat count (an ORM Course or the facts of a course);
    True when it changed."""
    db.session.flush()  # on the connection, past the session: what the session holds (a new capacity) first
    note(db.session, Course, ids={course.id}, columns=("seats_taken",))  # the seats left, on the public pages
    result = db.session.connection().execute(statement, {"course_id": course.id})
    expire_loaded(Course, course.id, ["seats_taken"])
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


# --- the one way an enrolment changes ------------------------------------------------------------

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


def _change(enrolment, course, to_status: EnrolmentStatus, *, actor, notice: str | None, reason: str | None = None,
            why: str | None = None, **params) -> None:
    """Move the enrolment (anything with id, worker_id and status) from the status it was read in, with
    its event (`why`, else `reason`) and the worker's notice; StaleDataError when another request moved
    it meanwhile. What the session holds of the row is written first."""
    db.session.flush()
    enrolment_id, worker_id, from_status = enrolment.id, enrolment.worker_id, enrolment.status
    note(db.session, Enrolment, owners={worker_id}, columns=("status",))
    queued_at = now_utc() if to_status == S.WAITLISTED else None
    moved = db.session.connection().execute(_status_statement(), {
        "enrolment_id": enrolment_id, "from_status": from_status, "to_status": to_status,
        "queued_at": queued_at}).rowcount
    if moved != 1:
        raise StaleDataError("the enrolment changed meanwhile")
    expire_loaded(Enrolment, enrolment_id, ["status", "queued_at", "updated_at"])
    _record(enrolment_id, worker_id, course, from_status, to_status, actor=actor, notice=notice,
            queued_at=queued_at, reason=reason, why=why, **params)


def _insert(course, worker_id: int, to_status: EnrolmentStatus, *, actor, notice: str) -> int | None:
    """A new enrolment with its event and notice; None when the worker got one in this course a moment
    earlier in another request."""
    note(db.session, Enrolment, owners={worker_id}, columns=("status",))
    queued_at = now_utc() if to_status == S.WAITLISTED else None
    connection = db.session.connection()
    inserted = connection.execute(_new_enrolment_statement(connection.dialect.name), {
        "course_id": course.id, "worker_id": worker_id, "status": to_status, "queued_at": queued_at}).first()
    if inserted is not None:
        _record(inserted.id, worker_id, course, None, to_status, actor=actor, notice=notice, queued_at=queued_at)
    return inserted.id if inserted is not None else None


def _record(enrolment_id, worker_id, course, from_status, to_status, *, actor, notice, queued_at, reason=None,
            why=None, **params) -> None:
    connection = db.session.connection()
    connection.execute(insert(EnrolmentEvent.__table__), {
        "enrolment_id": enrolment_id, "actor_id": getattr(actor, "id", None), "from_status": from_status,
        "to_status": to_status, "reason": why or reason})
    if from_status == S.WAITLISTED:
        places_move(course.id)
    if notice:
        params["reason"] = reason or ""
        if to_status == S.WAITLISTED:
            params["position"] = waitlist_position(_Row(enrolment_id, course.id, to_status, queued_at))
        connection.execute(insert(Notification.__table__), notification_row(
            worker_id, notice, link=course_link(course), course=course.title, **params))


class _Row:
    def __init__(self, id, course_id, status, queued_at):  # noqa: A002 (the column's name)
        self.id, self.course_id, self.status, self.queued_at = id, course_id, status, queued_at


def places_move(course_id: int) -> None:
    """Someone left the course's waitlist: everyone still waiting sees their place move."""
    note_workers(db.session, query=select(Enrolment.worker_id).where(
        Enrolment.course_id == course_id, Enrolment.status == S.WAITLISTED))


def course_link(course) -> str | None:
    try:
        return url_for("courses.course_detail", course_id=course.id)
    except RuntimeError:  # outside a request (CLI, background work)
        return None


# --- what people do ----------------------------------------------------------------------------

def place(course, worker, *, actor=None, now=None, by_staff: bool = False) -> tuple[int, EnrolmentStatus]:
    """Enrol a worker: a seat, an approval request or a waitlist place (rules.placement); staff skip the
    window and approval. Returns the enrolment's id and status; OperationError says why not."""
    actor = actor or worker
    existing, completed = mine_and_completed(course.id, worker.id, columns=_MINE)
    target = placement(course, worker, existing, completed, now, by_staff=by_staff, seat_free=True)
    if target == S.ENROLLED and not take_seat(course):  # lost the last seat to another request
        target = placement(course, worker, existing, completed, now, by_staff=by_staff, seat_free=False)
    if existing is not None:
        _change(_Existing(existing, worker.id), course, target, actor=actor, notice=NOTICES[target])
        enrolment_id = existing.id
    else:
        enrolment_id = _insert(course, worker.id, target, actor=actor, notice=NOTICES[target])
        if enrolment_id is None:
            if target == S.ENROLLED:
                release_seat(course)
            raise OperationError(ALREADY_ENROLLED)
    if by_staff:
        record("enrolment.staff_enrol", db.session.get(Enrolment, enrolment_id), actor=actor, course=course.code,
               status=target.value)
    return enrolment_id, target


class _Existing:
    def __init__(self, row, worker_id):
        self.id, self.status, self.worker_id = row.id, row.status, worker_id


def enrol(course, worker, **options) -> Enrolment:
    """place(), giving the enrolment itself (staff pages and scripts)."""
    enrolment_id, _status = place(course, worker, **options)
    return db.session.get(Enrolment, enrolment_id)


def approve(enrolment: Enrolment, *, actor) -> None:
    if enrolment.status != S.PENDING:
        raise OperationError(_l("Only a request awaiting approval can be approved."))
    course = enrolment.course
    if take_seat(course):
        _change(enrolment, course, S.ENROLLED, actor=actor, notice="approved")
    elif course.waitlist_enabled:
        _change(enrolment, course, S.WAITLISTED, actor=actor, notice="waitlisted")
    else:
        raise OperationError(FULL)
    record("enrolment.approve", enrolment, actor=actor, course=course.code)


def reject(enrolment: Enrolment, *, actor, reason: str) -> None:
    if not (reason or "").strip():
        raise OperationError(_l("Give the reason for not approving."), field="reason")
    if enrolment.status not in ACTIVE_STATUSES:
        raise OperationError(_l("This enrolment is no longer active."))
    held_seat, course = enrolment.status == S.ENROLLED, enrolment.course
    _change(enrolment, course, S.REJECTED, actor=actor, reason=reason.strip(), notice="rejected")
    record("enrolment.reject", enrolment, actor=actor, course=course.code, reason=reason.strip())
    if held_seat:
        pass_seat_on(course, actor=actor)


def withdraw(enrolment, *, actor, reason: str | None = None, now=None, starts: dict | None = None) -> None:
    """The worker before the course starts, an administrator at any time (with a reason)."""
    check_withdrawal(enrolment, actor, reason, now, starts)
    held_seat, course = enrolment.status == S.ENROLLED, enrolment.course
    _change(enrolment, course, S.WITHDRAWN, actor=actor, reason=(reason or "").strip() or None, notice="withdrawn")
    if actor.id != enrolment.worker_id:
        record("enrolment.withdraw", enrolment, actor=actor, course=course.code, reason=reason)
    if held_seat:
        pass_seat_on(course, actor=actor)


def record_result(enrolment, course, completes: bool, *, actor, reason: str | None, why: str | None = None) -> None:
    """A result decided, or decided again after a correction (`why`): completed (with the course's
    credit hours, which the caller has set) or not completed, with its event and the worker's notice."""
    to_status = S.COMPLETED if completes else S.NOT_COMPLETED
    if completes:
        _change(enrolment, course, to_status, actor=actor, notice="completed", why=why,
                hours=f"{course.credit_hours:g}")
    else:
        _change(enrolment, course, to_status, actor=actor, notice="not_completed", reason=reason, why=why)


# --- the waitlist --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _first_waiting_statement():
    """The first worker waiting, claimed with a row lock that a concurrent promotion skips over
    (PostgreSQL; SQLite already holds its one write lock)."""
    return (select(Enrolment.id, Enrolment.worker_id, Enrolment.status)
            .where(Enrolment.course_id == bindparam("course_id"), Enrolment.status == S.WAITLISTED)
            .order_by(Enrolment.queued_at, Enrolment.id).limit(1).with_for_update(skip_locked=True))


def _promote_first(course, actor) -> bool:
    """The seat just taken goes to the first worker waiting; False (and the seat back) when none waits."""
    candidate = db.session.connection().execute(_first_waiting_statement(), {"course_id": course.id}).first()
    if candidate is None:
        release_seat(course)
        return False
    _change(candidate, course, S.ENROLLED, actor=actor, notice="promoted", why="waitlist")
    return True


def fill_free_seats(course, *, actor=None) -> int:
    """Give free seats to the workers waiting, first come first served; how many were promoted."""
    promoted = 0
    while take_seat(course) and _promote_first(course, actor):
        promoted += 1
    return promoted


def pass_seat_on(course, *, actor=None) -> int:
    """A seat just given up goes straight to the first worker waiting, else back to the course (then any
    other free seat is filled too). One statement when nobody waits, the usual case."""
    if release_seat(course, unless_waiting=True):
        return 0
    if not _promote_first(course, actor):
        return 0
    return 1 + fill_free_seats(course, actor=actor)


@capacity_raised.connect
def _fill_raised_capacity(course: Course, actor=None) -> None:
    fill_free_seats(course, actor=actor)


@course_cancelled.connect
def notify_course_cancelled(course: Course, reason: str) -> int:
    """Tell every worker holding a place that the course is cancelled; their records stay."""
    workers = db.session.scalars(select(Enrolment.worker_id).where(
        Enrolment.course_id == course.id, Enrolment.status.in_(ACTIVE_STATUSES))).all()
    for worker_id in workers:
        notify(worker_id, "course_cancelled", link=course_link(course), course=course.title, reason=reason)
    return len(workers)


@people_held.connect
def _holds_enrolments(course: Course) -> bool:
    """Anyone enrolled, waiting, requesting or completed (withdrawn and rejected do not count)."""
    return db.session.scalar(select(Enrolment.id).where(
        Enrolment.course_id == course.id,
        Enrolment.status.in_(ACTIVE_STATUSES + (EnrolmentStatus.COMPLETED,))).limit(1)) is not None
