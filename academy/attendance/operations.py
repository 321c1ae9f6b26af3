"""Keeping attendance, corrections, and finalising a course's results (completion and credit hours)."""
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from academy.attendance.models import ATTENDED, AttendanceChange, AttendanceMark, Mark
from academy.audit.operations import record
from academy.certificates.operations import issue_for_completion, revoke_for_result
from academy.core import reasons
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.courses.models import Course, CourseSession
from academy.courses.signals import session_recorded
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.enrolment.operations import record_result
from academy.evaluations.operations import invite as invite_evaluations
from academy.extensions import db
from academy.progress.standing import refresh_standing

S = EnrolmentStatus
ON_SHEET = (S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED)
DECIDED = (S.COMPLETED, S.NOT_COMPLETED)


def sheet_enrolments(course: Course) -> list[Enrolment]:
    """The workers an attendance sheet lists: everyone holding a seat."""
    return db.session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.status.in_(ON_SHEET))
        .options(joinedload(Enrolment.worker)).order_by(Enrolment.id)
    ).all()


def marks_of(session: CourseSession) -> dict[int, AttendanceMark]:
    return {m.enrolment_id: m for m in db.session.scalars(
        select(AttendanceMark).where(AttendanceMark.session_id == session.id))}


def save_marks(session: CourseSession, marks: dict[int, Mark], *, actor, reason: str | None = None,
               now: datetime | None = None) -> int:
    """Mark each listed worker for the session; a changed mark is a correction with its history, and a
    correction of a result already decided has the course's rule decide it again (redecide).
    Returns the number of marks created or changed."""
    if (now or now_utc()) < session.starts_at:
        raise OperationError(_l("Attendance can be kept once the session has started."))
    return write_marks(session, marks, actor=actor, reason=reason)


def write_marks(session: CourseSession, marks: dict[int, Mark], *, actor, reason: str | None = None,
                at: datetime | None = None, seated: dict[int, AttendanceMark | None] | None = None) -> int:
    """The one write of attendance marks, for the sheet (save_marks) and the scans (checkin_operations);
    `actor` None is the scheduler (checkin_operations.close_unsigned). `seated` is the listed workers' current
    marks (None: none yet) when the caller has read them with their seats in this session's course (a scan
    reads both in its one statement), so that they are not read twice."""
    actor_id = getattr(actor, "id", None)
    listed = list(marks)  # only the listed workers are read: a scan reads one, not the whole course
    if seated is not None and set(seated) >= set(listed):
        existing = {enrolment_id: mark for enrolment_id, mark in seated.items() if mark is not None}
    else:
        allowed = set(db.session.scalars(select(Enrolment.id).where(
            Enrolment.course_id == session.course_id, Enrolment.status.in_(ON_SHEET), Enrolment.id.in_(listed))))
        if set(marks) - allowed:
            raise OperationError(_l("Some of these workers are not enrolled in the course."))
        existing = {m.enrolment_id: m for m in db.session.scalars(select(AttendanceMark).where(
            AttendanceMark.session_id == session.id, AttendanceMark.enrolment_id.in_(listed)))}
    changed, corrected = 0, []
    for enrolment_id, mark in marks.items():
        current = existing.get(enrolment_id)
        if current is None:
            db.session.add(AttendanceMark(session_id=session.id, enrolment_id=enrolment_id, mark=mark,
                                          marked_by_id=actor_id, marked_at=at or now_utc()))
            changed += 1
        elif current.mark != mark:
            db.session.add(AttendanceChange(mark_id=current.id, actor_id=actor_id, from_mark=current.mark,
                                            to_mark=mark, reason=reason or None))
            record("attendance.correct", current, actor=actor, **{"from": current.mark.value, "to": mark.value})
            current.mark, current.marked_by_id, current.marked_at = mark, actor_id, at or now_utc()
            changed += 1
            corrected.append(enrolment_id)
    db.session.flush()
    decided = {e.id: e for e in sheet_enrolments(session.course) if e.status in DECIDED} if corrected else {}
    for enrolment_id in corrected:
        if enrolment_id in decided:
            redecide(decided[enrolment_id], actor=actor, why=reason)
    return changed


def attended_hours(course: Course) -> dict[int, Decimal]:
    """Hours each seated worker attended, summed in SQL."""
    rows = db.session.execute(
        select(AttendanceMark.enrolment_id,
               func.sum(case((AttendanceMark.mark.in_(ATTENDED), CourseSession.hours), else_=0)))
        .join(CourseSession, CourseSession.id == AttendanceMark.session_id)
        .where(CourseSession.course_id == course.id)
        .group_by(AttendanceMark.enrolment_id)
    )
    return {enrolment_id: Decimal(hours or 0) for enrolment_id, hours in rows}


def rate_percent(attended: Decimal, total: Decimal) -> Decimal:
    if total <= 0:
        return Decimal("0")
    return (attended * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def unmarked_sessions(course: Course) -> list[CourseSession]:
    marked = set(db.session.scalars(
        select(AttendanceMark.session_id).join(CourseSession).where(CourseSession.course_id == course.id).distinct()))
    return [item for item in course.sessions if item.id not in marked]


reasons.define("attendance_below", _l("Attendance %(rate)s%% is below the required %(required)s%%."))
reasons.define("no_mark", _l("No mark was given."))
reasons.define("mark_below", _l("The mark %(score)s is below the pass mark %(pass_mark)s."))
reasons.define("attendance_corrected", _l("Attendance corrected: %(reason)s"))
reasons.define("attendance_corrected_plain", _l("Attendance corrected."))


@session_recorded.connect
def _session_has_marks(session: CourseSession) -> bool:
    """A session with attendance marks keeps them: it is not removed from under them."""
    return db.session.scalar(select(AttendanceMark.id).where(AttendanceMark.session_id == session.id).limit(1)) is not None


def judge(course: Course, attended: Decimal, score: Decimal | None):
    """(completes?, reason) by the course's rule; exact at the threshold completes. The reason is stored
    as data (academy.core.reasons) and read in the reader's language."""
    total = sum((item.hours for item in course.sessions), Decimal("0"))
    if total <= 0 or attended * 100 < course.min_attendance_rate * total:
        return False, reasons.coded("attendance_below", rate=rate_percent(attended, total),
                                    required=course.min_attendance_rate)
    if course.pass_mark is not None:
        if score is None:
            return False, reasons.coded("no_mark")
        if score < course.pass_mark:
            return False, reasons.coded("mark_below", score=score, pass_mark=course.pass_mark)
    return True, None


def redecide(enrolment: Enrolment, *, actor, why: str | None) -> bool:
    """After a correction of its attendance, the course's rule decides a finalised result again: the
    rate and reason follow; a change of outcome credits or removes the hours, issues or revokes the
    certificates, refreshes the worker's continuing-education standing and tells the worker (the
    summary tables follow the rows). True when the outcome changed; audited either way."""
    course = enrolment.course
    total = sum((item.hours for item in course.sessions), Decimal("0"))
    attended = attended_hours(course).get(enrolment.id, Decimal("0"))
    completes, reason = judge(course, attended, enrolment.score)
    was = enrolment.status
    enrolment.attendance_rate, enrolment.outcome_reason = rate_percent(attended, total), reason
    why = reasons.coded("attendance_corrected", reason=why) if why else reasons.coded("attendance_corrected_plain")
    changed = completes != (was == S.COMPLETED)
    if changed:
        enrolment.credited_hours = course.credit_hours if completes else Decimal("0")
        record_result(enrolment, course, completes, actor=actor, reason=reason, why=why)
        if completes:
            issue_for_completion(enrolment, actor=actor)
        else:
            revoke_for_result(enrolment, actor=actor, reason=why)
        refresh_standing(enrolment.worker_id)
    record("result.redecide", enrolment, actor=actor, course=course.code, rate=str(enrolment.attendance_rate),
           **{"from": was.value, "to": (S.COMPLETED if completes else S.NOT_COMPLETED).value})
    db.session.flush()
    return changed


def finalise_problems(course: Course, now: datetime | None = None, missing=None) -> list:
    """Why results cannot be finalised yet; `missing` is the unmarked sessions when already known."""
    problems = []
    if not course.sessions:
        problems.append(_l("The course has no sessions."))
    elif (now or now_utc()) < course.sessions[-1].ends_at:
        problems.append(_l("Results can be finalised once the last session has ended."))
    missing = unmarked_sessions(course) if missing is None else missing
    if missing:
        problems.append(_l("Keep attendance for every session first (%(count)d without marks).", count=len(missing)))
    return problems


def finalise(course: Course, *, actor, scores: dict[int, Decimal | None] | None = None,
             now: datetime | None = None) -> list[Enrolment]:
    """Decide every enrolled worker's result once; finalising again changes nobody already decided."""
    problems = finalise_problems(course, now)
    if problems:
        raise OperationError(" ".join(str(p) for p in problems))
    scores = scores or {}
    hours = attended_hours(course)
    total = sum((item.hours for item in course.sessions), Decimal("0"))
    decided = []
    for enrolment in sheet_enrolments(course):
        if enrolment.status != S.ENROLLED:
            continue  # already finalised: no second credit
        attended = hours.get(enrolment.id, Decimal("0"))
        completes, reason = judge(course, attended, scores.get(enrolment.id))
        enrolment.score = scores.get(enrolment.id)
        enrolment.attendance_rate = rate_percent(attended, total)
        enrolment.finalised_at = now or now_utc()
        enrolment.outcome_reason = reason
        enrolment.credited_hours = course.credit_hours if completes else Decimal("0")
        record_result(enrolment, course, completes, actor=actor, reason=reason)
        if completes:
            issue_for_completion(enrolment, actor=actor)
        refresh_standing(enrolment.worker_id)
        decided.append(enrolment)
    course.results_finalised_at = course.results_finalised_at or now or now_utc()
    record("course.finalise", course, actor=actor, decided=len(decided))
    invite_evaluations(course, now)  # everyone who attended is asked to evaluate the course, once
    db.session.flush()
    return decided
