"""Taking a worker's scan: the rule (checkin.py) decides, the marks go through the sheet's one write
(operations.write_marks), the scan is kept as a row of its own and audited."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, exists, func, select, true
from sqlalchemy.orm import aliased, joinedload

from academy.attendance import checkin
from academy.attendance.checkin import CheckinRefused, code_matches, local_time, window, window_refusal
from academy.attendance.models import AttendanceMark, AttendanceScan, Mark, ScanDirection
from academy.attendance.operations import ON_SHEET, write_marks
from academy.audit.operations import record
from academy.core import reasons
from academy.auth.models import User
from academy.core.permissions import Role
from academy.courses.models import Course, CourseSession, course_instructors
from academy.enrolment.models import Enrolment
from academy.extensions import db

IN, OUT = ScanDirection.IN, ScanDirection.OUT


class AlreadyScanned(CheckinRefused):
    """Not an error: the worker has scanned already ("已签到 09:02")."""


@dataclass(frozen=True)
class ScanState:
    enrolment: Enrolment | None
    checked_in: AttendanceScan | None
    signed_out: AttendanceScan | None
    mark: AttendanceMark | None


def _worker_in_session(select_from):
    """Joins, from `select_from` (a statement naming CourseSession), the worker's seat in the session's course,
    their scans of it and their mark in it (the bound parameter "worker_id")."""
    session_id = CourseSession.id
    scan_in, scan_out = aliased(AttendanceScan), aliased(AttendanceScan)
    seat = and_(Enrolment.course_id == CourseSession.course_id, Enrolment.worker_id == bindparam("worker_id"),
                Enrolment.status.in_(ON_SHEET))
    return (
        select_from.add_columns(Enrolment, scan_in, scan_out, AttendanceMark)
        .outerjoin(Enrolment, seat)
        .outerjoin(scan_in, and_(scan_in.session_id == session_id, scan_in.enrolment_id == Enrolment.id,
                                 scan_in.direction == IN))
        .outerjoin(scan_out, and_(scan_out.session_id == session_id, scan_out.enrolment_id == Enrolment.id,
                                  scan_out.direction == OUT))
        .outerjoin(AttendanceMark, and_(AttendanceMark.session_id == session_id,
                                        AttendanceMark.enrolment_id == Enrolment.id))
    )


@cache
def _scan_state_statement():
    """Built once: composing this four-table select with its aliases cost more than running it."""
    return _worker_in_session(select().select_from(CourseSession)).where(
        CourseSession.id == bindparam("session_id"))


@cache
def _session_and_state_statement():
    """The session with its course, and the worker's seat, scans and mark: what a scan reads, in one statement."""
    return (_worker_in_session(select(CourseSession))
            .where(CourseSession.id == bindparam("session_id")).options(joinedload(CourseSession.course)))


def scan_state(session: CourseSession, worker) -> ScanState:
    """The worker's seat in the session's course, their scans and their mark, in one statement."""
    row = db.session.execute(_scan_state_statement(), {"session_id": session.id, "worker_id": worker.id}).first()
    return ScanState(*row) if row is not None else ScanState(None, None, None, None)


def session_and_state(session_id: int, worker) -> tuple[CourseSession | None, ScanState]:
    """The session (with its course) and the worker's state in it, in one statement; (None, …) for no session."""
    row = db.session.execute(_session_and_state_statement(), {"session_id": session_id, "worker_id": worker.id}).first()
    if row is None:
        return None, ScanState(None, None, None, None)
    return row[0], ScanState(*row[1:])


def refusal(session: CourseSession, state: ScanState, direction: ScanDirection, now: datetime):
    """Why this worker's scan is not taken (AlreadyScanned when it was taken before), or None."""
    course = session.course
    if state.enrolment is None:
        return CheckinRefused(_l("You are not enrolled in this course."))
    if direction == IN and state.checked_in is not None:
        return AlreadyScanned(_l("Checked in at %(time)s.", time=local_time(state.checked_in.at)))
    if direction == OUT and state.signed_out is not None:
        return AlreadyScanned(_l("Signed out at %(time)s.", time=local_time(state.signed_out.at)))
    reason = window_refusal(session, course, direction, now)
    if reason is not None:
        return CheckinRefused(reason)
    if direction == IN and state.mark is not None:
        return CheckinRefused(_l("Your attendance for this session is already recorded: %(mark)s.",
                                 mark=state.mark.mark.label))
    if direction == OUT and state.checked_in is None:
        return CheckinRefused(_l("Check in first: there is no check-in to sign out from."))
    return None


def take_scan(session: CourseSession, worker, direction: ScanDirection, *, by_code: bool = False,
              state: ScanState | None = None) -> AttendanceScan:
    """Check the worker in (present) or out (left early when before the end); raises CheckinRefused. `state`
    is the worker's state in the session when the caller read it with the session (session_and_state)."""
    now = checkin.clock()
    if state is None:
        state = scan_state(session, worker)
    refused = refusal(session, state, direction, now)
    if refused is not None:
        raise refused
    scan = AttendanceScan(session_id=session.id, enrolment_id=state.enrolment.id, direction=direction, at=now,
                          by_code=by_code)
    db.session.add(scan)
    seated = {state.enrolment.id: state.mark}  # read with the seat: write_marks does not read them again
    if direction == IN:
        write_marks(session, {state.enrolment.id: Mark.PRESENT}, actor=worker, at=now, seated=seated)
    elif now < session.ends_at and state.mark is not None and state.mark.mark == Mark.PRESENT:
        write_marks(session, {state.enrolment.id: Mark.LEFT_EARLY}, actor=worker, at=now, seated=seated,
                    reason=reasons.coded("signed_out_early", time=local_time(now)))
    db.session.flush()
    record("attendance.scan", scan, actor=worker, session=session.id, direction=direction.value,
           by_code=by_code or None)
    return scan


reasons.define("signed_out_early", _l("Signed out at %(time)s, before the end of the session."))
reasons.define("no_sign_out", _l("No sign-out scan by %(time)s."))


def close_unsigned(now: datetime | None = None) -> int:
    """On courses with a sign-out scan (full attendance), each check-in left without its sign-out once the
    sign-out window has shut is closed, once: a present mark becomes left early with the reason as a code
    (through the sheet's one write, so a finalised result is decided again), audited as the scheduler's.
    The instructor may correct the mark afterwards; a closed check-in is never closed again.
    Returns how many check-ins were closed."""
    now = now or checkin.clock()
    signed_out = aliased(AttendanceScan)
    rows = db.session.execute(
        select(AttendanceScan, CourseSession, AttendanceMark, Enrolment.status)
        .join(CourseSession, CourseSession.id == AttendanceScan.session_id)
        .join(Enrolment, Enrolment.id == AttendanceScan.enrolment_id)
        .join(Course, Course.id == CourseSession.course_id)
        .outerjoin(AttendanceMark, and_(AttendanceMark.session_id == AttendanceScan.session_id,
                                        AttendanceMark.enrolment_id == AttendanceScan.enrolment_id))
        .where(Course.signout_scan.is_(True), AttendanceScan.direction == IN, AttendanceScan.closed_at.is_(None),
               CourseSession.ends_at < now,
               ~exists().where(signed_out.session_id == AttendanceScan.session_id,
                               signed_out.enrolment_id == AttendanceScan.enrolment_id, signed_out.direction == OUT))
        .options(joinedload(CourseSession.course))
        .order_by(AttendanceScan.id)
    ).all()
    closed = 0
    for scan, session, mark, status in rows:
        shut = window(session, session.course, OUT).closes
        if now <= shut:
            continue  # the worker may still sign out
        scan.closed_at = now
        if mark is not None and mark.mark == Mark.PRESENT and status in ON_SHEET:  # a withdrawn seat keeps its mark
            write_marks(session, {scan.enrolment_id: Mark.LEFT_EARLY}, actor=None, at=now,
                        reason=reasons.coded("no_sign_out", time=local_time(shut)))
        record("attendance.close_unsigned", scan, actor=None, session=session.id,
               mark=mark.mark.value if mark is not None else None)
        closed += 1
    db.session.flush()
    return closed


def session_for_code(worker, code: str) -> tuple[CourseSession, ScanDirection] | None:
    """The session and direction a typed code names, among the worker's sessions whose scan is open now."""
    now = checkin.clock()
    sessions = db.session.scalars(
        select(CourseSession).join(Course).join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.worker_id == worker.id, Enrolment.status.in_(ON_SHEET),
               CourseSession.starts_at <= now + timedelta(days=1), CourseSession.ends_at >= now - timedelta(days=1))
        .options(joinedload(CourseSession.course))
    ).all()
    for session in sessions:
        for direction in (IN, OUT):
            span = window(session, session.course, direction)
            if span.opens <= now <= span.closes and code_matches(code, session.id, direction):
                return session, direction
    return None


def live_count(course_id: int, session_id: int, user, *, latest: int = 5):
    """(checked in, seats, [(name, time)], allowed) for the projector in one statement; None when no such
    session. `allowed` is False unless the user teaches the course or administers."""
    seat, scanned_row = aliased(Enrolment), aliased(AttendanceScan)
    seats = (select(func.count()).select_from(seat)
             .where(seat.course_id == CourseSession.course_id, seat.status.in_(ON_SHEET))
             .correlate(CourseSession).scalar_subquery())
    scanned = (select(func.count()).select_from(scanned_row)
               .where(scanned_row.session_id == CourseSession.id, scanned_row.direction == IN)
               .correlate(CourseSession).scalar_subquery())
    teaches = exists().where(course_instructors.c.course_id == CourseSession.course_id,
                             course_instructors.c.user_id == user.id)
    rows = db.session.execute(
        select(CourseSession.id, seats, scanned, teaches if not _is_admin(user) else true(),
               User.name, AttendanceScan.at)
        .select_from(CourseSession)
        .outerjoin(AttendanceScan, and_(AttendanceScan.session_id == CourseSession.id, AttendanceScan.direction == IN))
        .outerjoin(Enrolment, Enrolment.id == AttendanceScan.enrolment_id)
        .outerjoin(User, User.id == Enrolment.worker_id)
        .where(CourseSession.id == session_id, CourseSession.course_id == course_id)
        .order_by(AttendanceScan.at.desc(), AttendanceScan.id.desc()).limit(latest)
    ).all()
    if not rows:
        return None
    first = rows[0]
    names = [(row[4], local_time(row[5])) for row in rows if row[4] is not None]
    return first[2], first[1], names, bool(first[3])


def _is_admin(user) -> bool:
    return user.role == Role.ADMIN


def scan_times(session_id: int) -> dict[int, dict[ScanDirection, datetime]]:
    """enrolment id -> {direction: time} of the session's scans, for the instructor's sheet."""
    times: dict[int, dict[ScanDirection, datetime]] = {}
    for enrolment_id, direction, at in db.session.execute(
            select(AttendanceScan.enrolment_id, AttendanceScan.direction, AttendanceScan.at)
            .where(AttendanceScan.session_id == session_id)):
        times.setdefault(enrolment_id, {})[direction] = at
    return times
