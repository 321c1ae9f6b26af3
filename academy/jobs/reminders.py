"""Reminders, sent by the scheduler's tick (`flask --app wsgi academy reminders`, from cron; in-process
under `make run`). Each kind finds, from the rows as they are now, who is to be reminded of what; a
reminder is recorded (kind, object, period, user) as it is sent, so running the tick again sends nothing
twice, and something that changed meanwhile (a withdrawn enrolment, a cancelled course, a renewed
agreement, a reviewed record) is simply no longer found. The optional kinds can be turned off by the user."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Callable

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.auth.models import User
from academy.core.i18n import LOCAL_TZ
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.jobs.messages import mail_user
from academy.jobs.models import ReminderOptOut, SentReminder
from academy.notifications.operations import message, notify

EVENING = time(18, 0)  # a session's reminder goes the evening before, from 18:00 Asia/Shanghai
CLOSING_WITHIN = timedelta(hours=48)
AT_RISK_WITHIN = timedelta(days=180)
KINDS = {
    "session_tomorrow": _l("A session of my course tomorrow"),
    "enrolment_closing": _l("Enrolment closing while my request waits"),
    "ce_at_risk": _l("My continuing-education hours at risk (monthly)"),
    "agreement_expiring": _l("Agreements expiring in 90 and 30 days"),
    "verification_overdue": _l("Records waiting past their verification deadline"),
    "qualification_overdue": _l("Qualification certificates waiting past their verification deadline"),
    "claims_first_review_overdue": _l("Exam-subsidy claims waiting past the first-review deadline"),
}
OPTIONAL = ("session_tomorrow", "enrolment_closing", "ce_at_risk")  # the others are part of a duty


@dataclass
class Reminder:
    kind: str
    object_id: int
    period: str
    user: User
    params: dict
    link: str | None = None
    sms: Callable | None = None
    notice: str | None = None  # the notification's kind, when it is not "reminder_<kind>"


def _path(endpoint: str, **values) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _session_tomorrow(local_now: datetime):
    from academy.courses.models import Course, CourseSession, CourseStatus
    from academy.enrolment.models import Enrolment, EnrolmentStatus

    if local_now.time() < EVENING:
        return
    tomorrow = local_now.date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), LOCAL_TZ)
    rows = db.session.execute(
        select(CourseSession, Course, User).join(Course, Course.id == CourseSession.course_id)
        .join(Enrolment, Enrolment.course_id == Course.id).join(User, User.id == Enrolment.worker_id)
        .where(CourseSession.starts_at >= start, CourseSession.starts_at < start + timedelta(days=1),
               Course.status.in_((CourseStatus.PUBLISHED, CourseStatus.CLOSED)),
               Enrolment.status == EnrolmentStatus.ENROLLED, User.active.is_(True))
        .order_by(CourseSession.id, User.id)).all()
    for session, course, user in rows:
        at = session.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M")
        venue = session.venue or course.venue or ""
        online = not venue and bool(course.meeting_url or course.meeting_number)  # no room: the meeting it is
        params = ({"course": course.title, "time": at,
                   "minutes": current_app.config["MEETING_SHOWN_BEFORE_MINUTES"]} if online
                  else {"course": course.title, "time": at, "venue": venue})
        yield Reminder("session_tomorrow", session.id, tomorrow.isoformat(), user, params,
                       _path("courses.course_detail", course_id=course.id),
                       sms=lambda at=at, title=course.title: sms_text("session_tomorrow", title, time=at),
                       notice="reminder_session_tomorrow_online" if online else None)


def _enrolment_closing(local_now: datetime):
    from academy.courses.models import Course, CourseStatus
    from academy.enrolment.models import Enrolment, EnrolmentStatus

    now = local_now.astimezone(LOCAL_TZ)
    rows = db.session.execute(
        select(Enrolment, Course, User).join(Course, Course.id == Enrolment.course_id)
        .join(User, User.id == Enrolment.worker_id)
        .where(Course.status == CourseStatus.PUBLISHED, Course.enrol_closes_at > now,
               Course.enrol_closes_at <= now + CLOSING_WITHIN, User.active.is_(True),
               Enrolment.status.in_((EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED)))
        .order_by(Enrolment.id)).all()
    for enrolment, course, user in rows:
        closes = course.enrol_closes_at.astimezone(LOCAL_TZ)
        yield Reminder("enrolment_closing", enrolment.id, closes.date().isoformat(), user,
                       {"course": course.title, "when": closes.strftime("%Y-%m-%d %H:%M"),
                        "status": str(enrolment.status.label)},
                       _path("courses.course_detail", course_id=course.id))


def _ce_at_risk(local_now: datetime):
    from academy.progress.models import CeStanding

    today = local_now.date()
    rows = db.session.execute(
        select(CeStanding, User).join(User, User.id == CeStanding.worker_id)
        .where(CeStanding.applicable.is_(True), CeStanding.done < CeStanding.required,
               CeStanding.period_end <= today + AT_RISK_WITHIN, User.active.is_(True))
        .order_by(CeStanding.worker_id)).all()
    for standing, user in rows:
        yield Reminder("ce_at_risk", standing.worker_id, today.strftime("%Y-%m"), user,
                       {"done": f"{standing.done:f}", "required": f"{standing.required:f}",
                        "end": standing.period_end.isoformat()},
                       _path("progress.my_record"))


def _administrators():
    return db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))
                              .order_by(User.id)).all()


def _agreement_expiring(local_now: datetime):
    from academy.partners.models import Agreement

    today = local_now.date()
    agreements = db.session.scalars(
        select(Agreement).where(Agreement.terminated_on.is_(None), Agreement.effective_to >= today,
                                Agreement.effective_to <= today + timedelta(days=90))
        .order_by(Agreement.id)).all()
    admins = _administrators()
    for agreement in agreements:
        if agreement.successor is not None:  # renewed: nothing to remind
            continue
        days = (agreement.effective_to - today).days
        window = "30" if days <= 30 else "90"
        for admin in admins:
            yield Reminder("agreement_expiring", agreement.id, f"{window}d-{agreement.effective_to.isoformat()}", admin,
                           {"title": agreement.title, "date": agreement.effective_to.isoformat(), "days": days},
                           _path("partners.agreement_detail", agreement_id=agreement.id))


def _waiting_past_deadline(kind: str, model, waiting, local_now: datetime, params, link):
    """Rows of `model` still `waiting` past VERIFY_DEADLINE_DAYS: one reminder to each administrator."""
    waited = timedelta(days=current_app.config["VERIFY_DEADLINE_DAYS"])
    records = db.session.scalars(select(model).where(waiting, model.created_at < local_now - waited)
                                 .order_by(model.id)).all()
    admins = _administrators()
    for record in records:
        days = (local_now - record.created_at).days
        for admin in admins:
            yield Reminder(kind, record.id, "overdue", admin, {**params(record), "days": days}, link(record))


def _verification_overdue(local_now: datetime):
    from academy.progress.models import ExternalRecord, ReviewStatus

    return _waiting_past_deadline("verification_overdue", ExternalRecord,
                                  ExternalRecord.review_status == ReviewStatus.PENDING, local_now,
                                  lambda record: {"title": record.title}, lambda record: _path("progress.review_list"))


def first_working_day(year: int, month: int) -> date:
    """Monday to Friday (the statutory holidays and swapped working days are not known here)."""
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def start_monthly_reports(local_now: datetime) -> list:
    """On (or after, if the scheduler was down) the month's first working day, a progress report job for each
    administrator (the district's) and subdistrict administrator (their subdistrict's), once a month."""
    from academy.jobs.operations import create_job
    from academy.jobs.kinds import kind_of

    today = local_now.date()
    if kind_of("monthly_report") is None or today < first_working_day(today.year, today.month):
        return []
    month = today.strftime("%Y-%m")
    done = set(db.session.scalars(select(SentReminder.user_id).where(SentReminder.kind == "monthly_report",
                                                                     SentReminder.period == month)))
    users = db.session.scalars(select(User).where(User.role.in_((Role.ADMIN, Role.STREET_ADMIN)),
                                                  User.active.is_(True)).order_by(User.id)).all()
    jobs = []
    for user in users:
        if user.id in done or (user.role == Role.STREET_ADMIN and user.street_id is None):
            continue
        db.session.add(SentReminder(kind="monthly_report", object_id=0, period=month, user_id=user.id,
                                    sent_at=now_utc()))
        jobs.append(create_job(user, "monthly_report", {
            "year": today.year, "month": month,
            "subdistrict_id": user.street_id if user.role == Role.STREET_ADMIN else None}))
    db.session.flush()
    return jobs


def _qualification_overdue(local_now: datetime):
    from academy.qualifications.models import QualificationRecord, RecordStatus

    return _waiting_past_deadline(
        "qualification_overdue", QualificationRecord, QualificationRecord.status == RecordStatus.DECLARED,
        local_now, lambda record: {"number": record.certificate_no},
        lambda record: _path("qualifications.worker_records_page", user_id=record.worker_id))


def _claims_first_review_overdue(local_now: datetime):
    """Claims still in the first review after their scheme's first-review deadline: to the subdistrict
    administrators of the claim's subdistrict, who review it (once per claim and deadline)."""
    from academy.claims.models import Claim, ClaimState, Scheme

    claims = db.session.execute(
        select(Claim.id, Claim.subdistrict_id, Claim.certificate_no, Scheme.first_review_by, Scheme.title)
        .join(Scheme, Scheme.id == Claim.scheme_id)
        .where(Claim.state == ClaimState.FIRST_REVIEW, Scheme.first_review_by < local_now.date())
        .order_by(Claim.id)).all()
    if not claims:
        return
    reviewers = {}
    for user in db.session.scalars(select(User).where(User.role == Role.STREET_ADMIN, User.active.is_(True),
                                                      User.street_id.in_({row.subdistrict_id for row in claims}))):
        reviewers.setdefault(user.street_id, []).append(user)
    for claim_id, street, number, deadline, scheme in claims:
        for user in reviewers.get(street, []):
            yield Reminder("claims_first_review_overdue", claim_id, deadline.isoformat(), user,
                           {"scheme": scheme, "number": number, "deadline": deadline.isoformat()},
                           _path("claims.review", claim_id=claim_id))


FINDERS = (("session_tomorrow", _session_tomorrow), ("enrolment_closing", _enrolment_closing),
           ("ce_at_risk", _ce_at_risk), ("agreement_expiring", _agreement_expiring),
           ("verification_overdue", _verification_overdue), ("qualification_overdue", _qualification_overdue),
           ("claims_first_review_overdue", _claims_first_review_overdue))

SMS_TEMPLATES = {"session_tomorrow": "东城区社会工作学院提醒：明天{time}有课《{title}》，请准时参加。"}


def sms_text(kind: str, title: str, **values) -> str:
    """An SMS of at most 70 characters: the course title is shortened to fit."""
    template = SMS_TEMPLATES[kind]
    room = 70 - len(template.format(title="", **values))
    return template.format(title=title if len(title) <= room else title[:room - 1] + "…", **values)


def run_reminders(now: datetime | None = None) -> dict:
    """Send every reminder due at `now`; returns how many of each kind were sent."""
    local_now = (now or now_utc()).astimezone(LOCAL_TZ)
    counts = {}
    for kind, finder in FINDERS:
        sent = {(row.object_id, row.period, row.user_id) for row in db.session.execute(
            select(SentReminder.object_id, SentReminder.period, SentReminder.user_id).where(SentReminder.kind == kind))}
        opted_out = set(db.session.scalars(select(ReminderOptOut.user_id).where(ReminderOptOut.kind == kind))) \
            if kind in OPTIONAL else set()
        counts[kind] = 0
        for reminder in finder(local_now):
            key = (reminder.object_id, reminder.period, reminder.user.id)
            if key in sent or reminder.user.id in opted_out:
                continue
            sent.add(key)
            _send(reminder)
            counts[kind] += 1
    db.session.flush()
    return counts


def _send(reminder: Reminder) -> None:
    db.session.add(SentReminder(kind=reminder.kind, object_id=reminder.object_id, period=reminder.period,
                                user_id=reminder.user.id, sent_at=now_utc()))
    note = notify(reminder.user.id, reminder.notice or f"reminder_{reminder.kind}", link=reminder.link,
                  **reminder.params)
    unsubscribe = None
    if reminder.kind in OPTIONAL:
        unsubscribe = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/") + _path(
            "jobs.stop_reminders", token=stop_token(reminder.user.id, reminder.kind))
    mail_user(reminder.user, note.kind, lambda: message(note), reminder.link, unsubscribe=unsubscribe,
              sms_of=reminder.sms)


def opted_out_kinds(user_id: int) -> set:
    return set(db.session.scalars(select(ReminderOptOut.kind).where(ReminderOptOut.user_id == user_id)))


def set_opt_outs(user, kinds: set) -> None:
    """The optional kinds the user turned off (the others cannot be)."""
    kinds = set(kinds) & set(OPTIONAL)
    current = {row.kind: row for row in db.session.scalars(select(ReminderOptOut).where(
        ReminderOptOut.user_id == user.id))}
    for kind in kinds - set(current):
        db.session.add(ReminderOptOut(user_id=user.id, kind=kind, created_at=now_utc()))
    for kind in set(current) - kinds:
        db.session.delete(current[kind])
    db.session.flush()


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="stop-reminders")


def stop_token(user_id: int, kind: str) -> str:
    """The signed part of a reminder e-mail's one-click link: who, which kind."""
    return _signer().dumps([user_id, kind])


def read_stop_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = _signer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in OPTIONAL or not isinstance(user_id, int):
        return None
    return user_id, kind
