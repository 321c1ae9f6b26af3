"""Sending and reading notifications."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from academy.core.models import now_utc
from academy.core.reasons import readable
from academy.extensions import db
from academy.notifications.models import Notification

# kind -> sentence; parameters come from Notification.params.
MESSAGES = {
    "enrolled": _l("You are enrolled in %(course)s."),
    "pending": _l("Your request to join %(course)s is waiting for approval."),
    "waitlisted": _l("%(course)s is full: you are number %(position)s on the waitlist."),
    "promoted": _l("A seat became free in %(course)s: you are now enrolled."),
    "approved": _l("Your request to join %(course)s is approved."),
    "rejected": _l("Your request to join %(course)s was not approved: %(reason)s"),
    "withdrawn": _l("You are withdrawn from %(course)s."),
    "course_cancelled": _l("%(course)s is cancelled: %(reason)s"),
    "completed": _l("You completed %(course)s: %(hours)s credit hours are in your learning record."),
    "not_completed": _l("You did not complete %(course)s: %(reason)s"),
    "record_verified": _l("Your record \"%(title)s\" is verified."),
    "record_rejected": _l("Your record \"%(title)s\" was not accepted: %(reason)s"),
    "qualification_verified": _l("Your qualification certificate %(number)s is verified."),
    "qualification_refused": _l("Your qualification certificate %(number)s was refused: %(reason)s"),
    "qualification_ceremony": _l("You are on the list of the newly certified of %(year)s. The certificates are "
                                 "handed out: %(details)s"),
    "job_done": _l("%(work)s is ready to download (for 7 days)."),
    "job_failed": _l("%(work)s failed: open it to see why and try again."),
    "reminder_session_tomorrow": _l("Reminder: %(course)s meets tomorrow at %(time)s. %(venue)s"),
    "reminder_session_tomorrow_online": _l("Reminder: %(course)s meets online tomorrow at %(time)s; the meeting "
                                           "link is on the course page from %(minutes)s minutes before."),
    "reminder_enrolment_closing": _l("Enrolment for %(course)s closes on %(when)s; your request is still: %(status)s."),
    "reminder_ce_at_risk": _l("Your continuing-education hours: %(done)s of %(required)s, due by %(end)s."),
    "reminder_agreement_expiring": _l("The agreement \"%(title)s\" expires on %(date)s (in %(days)s days)."),
    "reminder_qualification_overdue": _l("The qualification certificate %(number)s has waited %(days)s days for "
                                         "verification."),
    "reminder_claims_first_review_overdue": _l("The exam-subsidy claim %(number)s (%(scheme)s) still waits for "
                                               "its first review, due by %(deadline)s."),
    "reminder_verification_overdue": _l("The record \"%(title)s\" has waited %(days)s days for verification."),
    "qualification_revoked": _l("Your qualification certificate %(number)s was revoked: %(reason)s"),
    "claim_submitted": _l("Your exam-subsidy claim (%(scheme)s) is submitted and waits for the first review."),
    "claim_progress": _l("Your exam-subsidy claim (%(scheme)s) passed a review step and moves on."),
    "claim_returned": _l("Your exam-subsidy claim (%(scheme)s) is returned for correction: %(reason)s"),
    "claim_rejected": _l("Your exam-subsidy claim (%(scheme)s) is rejected: %(reason)s"),
    "claim_in_notice": _l("Your exam-subsidy claim (%(scheme)s) is in public notice."),
    "claim_reopened": _l("An objection to your exam-subsidy claim (%(scheme)s) was upheld; it returns to the "
                         "final review: %(reason)s"),
    "claim_approved": _l("Your exam-subsidy claim (%(scheme)s) is approved for payment."),
    "claim_paid": _l("Your exam-subsidy claim (%(scheme)s) is paid."),
    "competition_results": _l("The results of %(round)s of %(competition)s are published: your team %(team)s is "
                              "placed %(rank)s. %(next)s"),
    "competition_award": _l("You won the %(award)s of %(competition)s: your award certificate is on your "
                            "competitions page."),
    "closure_refused": _l("Your account was not closed: %(reason)s"),
    "evaluation_invited": _l("Please evaluate %(course)s: four questions and a comment, about a minute."),
}


# kind -> the sentence when the notice carries a reason (it is then named as one).
WITH_REASON = {
    "withdrawn": _l("You are withdrawn from %(course)s. Reason: %(reason)s"),
}


def notification_row(user_id: int, kind: str, link: str | None = None, **params) -> dict:
    """The columns of a notification (for Core INSERTs too)."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind}")
    return {"user_id": user_id, "kind": kind, "params": params, "link": link}


def notify(user_id: int, kind: str, link: str | None = None, **params) -> Notification:
    """An in-app notification; the kinds that matter most go by e-mail too (through the outbox)."""
    from academy.jobs.messages import mail_notification

    note = Notification(**notification_row(user_id, kind, link, **params))
    db.session.add(note)
    mail_notification(note, message)
    return note


def message(note: Notification) -> str:
    params = {key: readable(value) if value is not None else "" for key, value in note.params.items()}
    sentence = WITH_REASON[note.kind] if params.get("reason") and note.kind in WITH_REASON else MESSAGES[note.kind]
    return str(sentence) % params if params else str(sentence)


def unread_count_column(user_id_column):
    """A scalar subquery counting a user's unread notifications, to load with the user."""
    return (select(func.count(Notification.id))
            .where(Notification.user_id == user_id_column, Notification.read_at.is_(None))
            .scalar_subquery())


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now_utc())
    )
    return result.rowcount
