"""Course rules: create, edit, sessions and hours, publishing, status changes, duplication."""
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select

from academy.audit.operations import record
from academy.core.errors import OperationError
from academy.core.i18n import LOCAL_TZ, local_today
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.courses.models import Course, CourseEvent, CourseSession, CourseStatus, course_instructors
from academy.courses.signals import capacity_raised, course_cancelled, has_records, holds_people
from academy.extensions import db

COURSE_FIELDS = (
    "programme", "code", "title", "summary", "description", "mode", "venue", "meeting_url", "meeting_number",
    "meeting_password", "practice_base", "credit_hours",
    "hours_from_sessions", "capacity", "waitlist_enabled", "enrol_opens_at", "enrol_closes_at", "starts_on",
    "ends_on", "approval_required", "min_qualification", "min_education", "min_attendance_rate", "pass_mark",
    "instructors", "subdistricts", "prerequisites", "checkin_opens_before", "checkin_closes_after", "signout_scan",
    "evaluation_before_certificate",
)

TRANSITIONS = {
    CourseStatus.DRAFT: {CourseStatus.PUBLISHED, CourseStatus.CANCELLED},
    CourseStatus.PUBLISHED: {CourseStatus.CLOSED, CourseStatus.CANCELLED},
    CourseStatus.CLOSED: {CourseStatus.PUBLISHED, CourseStatus.ARCHIVED, CourseStatus.CANCELLED},
    CourseStatus.ARCHIVED: set(),
    CourseStatus.CANCELLED: set(),
}


def find_course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code.strip().upper()))


def duration_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """Credit hours of a session from its length, in whole half hours (a 2 h 20 min class is 2.0)."""
    half_hours = Decimal((ends_at - starts_at).total_seconds()) / Decimal(1800)
    return half_hours.to_integral_value(rounding=ROUND_FLOOR) / 2


def day_start_utc(day: date) -> datetime:
    """Midnight, Beijing time, at the start of `day`, in UTC."""
    return datetime.combine(day, datetime.min.time(), LOCAL_TZ).astimezone(timezone.utc)


def _refresh_hours(course: Course) -> None:
    if course.hours_from_sessions:
        course.credit_hours = sum((item.hours for item in course.sessions), Decimal("0"))


def _apply(course: Course, values: dict) -> None:
    unknown = set(values) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"not course fields: {sorted(unknown)}")
    if values.get("capacity", course.capacity) < (course.seats_taken or 0):
        raise OperationError(
            _l("%(count)d seats are already taken; the capacity cannot be lower.", count=course.seats_taken),
            field="capacity",
        )
    if course.id is not None and any(item.id == course.id for item in values.get("prerequisites", ())):
        raise OperationError(_l("A course cannot be its own prerequisite."), field="prerequisite_codes")
    with db.session.no_autoflush:
        for name, value in values.items():
            setattr(course, name, value)
        course.code = course.code.strip().upper()
        _refresh_hours(course)


def create_course(*, actor, **values) -> Course:
    if find_course_by_code(values["code"]) is not None:
        raise OperationError(_l("Another course already uses this code."), field="code")
    if values.get("approval_required") is None:
        values["approval_required"] = values["programme"].approval_required
    course = Course(status=CourseStatus.DRAFT, created_by_id=actor.id, seats_taken=0)
    _apply(course, values)
    if actor.role == "instructor" and actor not in course.instructors:
        course.instructors.append(actor)
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseEvent(course=course, actor_id=actor.id, from_status=None, to_status=CourseStatus.DRAFT))
    record("course.create", course, actor=actor, code=course.code)
    db.session.flush()
    return course


# -- dates in the past: an administrator's decision ----------------------------------------------
# Attendance recorded for a past session, then finalised, credits hours and issues certificates; so
# placing a session in the past, or moving a course that people are enrolled in into the past, is
# for an administrator, and audited (issue 27, finding 11).

def is_administrator(actor) -> bool:
    return getattr(actor, "role", None) == Role.ADMIN


def dates_moved_into_past(course: Course, values: dict, today: date) -> dict:
    """{field: [old, new]} of the course dates this change moves to a day before today."""
    moved = {}
    for name in ("starts_on", "ends_on"):
        old, new = getattr(course, name), values.get(name, getattr(course, name))
        if new != old and new is not None and new < today:
            moved[name] = [old.isoformat() if old else None, new.isoformat()]
    return moved


def update_course(course: Course, *, actor, today: date | None = None, **values) -> None:
    if not course.is_changeable:
        raise OperationError(_l("An archived or cancelled course can no longer be changed."))
    if "code" in values:
        other = find_course_by_code(values["code"])
        if other is not None and other.id != course.id:
            raise OperationError(_l("Another course already uses this code."), field="code")
    backdated = dates_moved_into_past(course, values, today or local_today())
    if backdated and course.id is not None and holds_people(course):
        if not is_administrator(actor):
            raise OperationError(_l("People are enrolled in this course: only an administrator can move its "
                                    "dates into the past."), field=next(iter(backdated)))
        record("course.backdate", course, actor=actor, **backdated)
    old_capacity = course.capacity
    _apply(course, values)
    record("course.update", course, actor=actor)
    db.session.flush()
    if course.capacity > old_capacity:
        capacity_raised.send(course, actor=actor)


def _check_session(course: Course, session: CourseSession | None, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise OperationError(_l("A session must end after it starts."), field="end_time")
    day = starts_at.astimezone(LOCAL_TZ).date()
    if (course.starts_on and day < course.starts_on) or (course.ends_on and day > course.ends_on):
        raise OperationError(_l("The session falls outside the course dates."), field="day")
    overlapping = select(CourseSession).where(CourseSession.course_id == course.id, CourseSession.starts_at < ends_at,
                                              CourseSession.ends_at > starts_at)
    if session is not None and session.id is not None:
        overlapping = overlapping.where(CourseSession.id != session.id)
    other = db.session.scalars(overlapping.order_by(CourseSession.starts_at).limit(1)).first()
    if other is not None:  # its hours would count twice
        start, end = other.starts_at.astimezone(LOCAL_TZ), other.ends_at.astimezone(LOCAL_TZ)
        raise OperationError(_l("This session overlaps the session of %(day)s %(start)s–%(end)s.",
                                day=start.date().isoformat(), start=start.strftime("%H:%M"), end=end.strftime("%H:%M")),
                             field="start_time")


def instructor_clashes(course: Course, session: CourseSession) -> list[CourseSession]:
    """Sessions of other courses at the same time that this session's instructor (or, without one, one
    of the course's instructors) also teaches: a warning, not a refusal."""
    teachers = {session.instructor_id} if session.instructor_id else {person.id for person in course.instructors}
    if not teachers:
        return []
    teaching = CourseSession.course_id.in_(select(course_instructors.c.course_id).where(
        course_instructors.c.user_id.in_(teachers)))
    return db.session.scalars(select(CourseSession).join(Course).where(
        CourseSession.course_id != course.id, Course.status.not_in((CourseStatus.CANCELLED, CourseStatus.ARCHIVED)),
        CourseSession.starts_at < session.ends_at, CourseSession.ends_at > session.starts_at,
        or_(CourseSession.instructor_id.in_(teachers), and_(CourseSession.instructor_id.is_(None), teaching)))
        .order_by(CourseSession.starts_at).limit(5)).all()


def save_session(course: Course, session: CourseSession | None, *, actor, starts_at, ends_at, topic,
                 venue=None, instructor=None, hours: Decimal | None = None) -> CourseSession:
    """Add a session (session=None) or change one; the course's hours follow its sessions."""
    if not course.is_changeable:
        raise OperationError(_l("An archived or cancelled course can no longer be changed."))
    _check_session(course, session, starts_at, ends_at)
    placed_in_past = starts_at < now_utc() and (session is None or session.starts_at != starts_at)
    if placed_in_past and not is_administrator(actor):
        raise OperationError(_l("Only an administrator can add a session in the past or move one there."),
                             field="day")
    if placed_in_past:
        record("course.session_backdate", course, actor=actor, session=session.id if session else None,
               starts_at=starts_at.isoformat(), was=session.starts_at.isoformat() if session else None)
    if session is None:
        session = CourseSession(course=course)
        db.session.add(session)
    session.starts_at, session.ends_at = starts_at, ends_at
    session.topic, session.venue, session.instructor = topic, venue, instructor
    session.hours_from_duration = hours is None
    session.hours = duration_hours(starts_at, ends_at) if hours is None else hours
    db.session.flush()
    db.session.refresh(course, ["sessions"])
    _refresh_hours(course)
    record("course.session_save", course, actor=actor, session=session.id, topic=topic)
    db.session.flush()
    return session


def remove_session(course: Course, session: CourseSession, *, actor) -> None:
    if not course.is_changeable:
        raise OperationError(_l("An archived or cancelled course can no longer be changed."))
    if session.id is not None and has_records(session):
        raise OperationError(_l("Attendance was kept for this session, so it stays: correct the marks instead."))
    # The audit entry keeps what was removed.
    record("course.session_remove", course, actor=actor, session=session.id, topic=session.topic,
           starts_at=session.starts_at.isoformat(), hours=str(session.hours))
    course.sessions.remove(session)
    db.session.flush()
    _refresh_hours(course)
    db.session.flush()


def publish_problems(course: Course) -> list:
    """Why the course cannot be published yet, in words; empty when it can."""
    problems = []
    if course.status != CourseStatus.DRAFT and course.status != CourseStatus.CLOSED:
        problems.append(_l("Only a draft (or a closed course being reopened) can be published."))
    if not course.sessions:
        problems.append(_l("Add at least one session."))
    if course.capacity < 1:
        problems.append(_l("Set a capacity of at least one seat."))
    if course.credit_hours <= 0:
        problems.append(_l("The course must carry more than zero credit hours."))
    if course.enrol_opens_at is None or course.enrol_closes_at is None:
        problems.append(_l("Set when enrolment opens and closes."))
    elif course.sessions and course.enrol_closes_at > course.sessions[0].starts_at:
        problems.append(_l("Enrolment must close before the first session starts."))
    elif course.enrol_opens_at >= course.enrol_closes_at:
        problems.append(_l("Enrolment must open before it closes."))
    return problems


def change_status(course: Course, to_status: CourseStatus, *, actor, reason: str | None = None) -> None:
    if to_status not in TRANSITIONS[course.status]:
        raise OperationError(
            _l("A course that is %(current)s cannot become %(target)s.",
               current=course.status.label, target=to_status.label)
        )
    if to_status == CourseStatus.PUBLISHED:
        problems = publish_problems(course)
        if problems:
            raise OperationError(" ".join(str(problem) for problem in problems))
    if to_status == CourseStatus.CANCELLED:
        if not (reason or "").strip():
            raise OperationError(_l("Give the reason for cancelling."), field="reason")
        course.cancel_reason = reason.strip()
    db.session.add(
        CourseEvent(course=course, actor_id=actor.id, from_status=course.status, to_status=to_status,
                    reason=reason or None)
    )
    record("course.status", course, actor=actor, **{"from": course.status.value, "to": to_status.value})
    course.status = to_status
    db.session.flush()
    if to_status == CourseStatus.CANCELLED:
        course_cancelled.send(course, reason=course.cancel_reason)


def shift(value, days: int):
    return value + timedelta(days=days) if value is not None else None


def duplicate_course(course: Course, *, actor, code: str, starts_on: date) -> Course:
    """A new draft for the next intake: every date moved by the same number of days."""
    if find_course_by_code(code) is not None:
        raise OperationError(_l("Another course already uses this code."), field="code")
    if course.starts_on is None:
        raise OperationError(_l("Set the original course's start date before duplicating it."))
    days = (starts_on - course.starts_on).days
    past = [item for item in course.sessions if shift(item.starts_at, days) < now_utc()]
    if past and not is_administrator(actor):
        raise OperationError(_l("Only an administrator can add a session in the past or move one there."),
                             field="starts_on")
    copy = create_course(
        actor=actor,
        **{name: getattr(course, name) for name in COURSE_FIELDS if name not in (
            "code", "enrol_opens_at", "enrol_closes_at", "starts_on", "ends_on", "instructors", "subdistricts",
            "prerequisites")},
        code=code,
        enrol_opens_at=shift(course.enrol_opens_at, days),
        enrol_closes_at=shift(course.enrol_closes_at, days),
        starts_on=starts_on,
        ends_on=shift(course.ends_on, days),
        instructors=list(course.instructors),
        subdistricts=list(course.subdistricts),
        prerequisites=list(course.prerequisites),
    )
    for item in course.sessions:
        copy.sessions.append(CourseSession(
            starts_at=shift(item.starts_at, days), ends_at=shift(item.ends_at, days), venue=item.venue,
            topic=item.topic, instructor=item.instructor, hours=item.hours,
            hours_from_duration=item.hours_from_duration,
        ))
    _refresh_hours(copy)
    record("course.duplicate", copy, actor=actor, source=course.code, sessions_in_past=len(past) or None)
    db.session.flush()
    return copy
