"""Messages to a person by e-mail (and SMS), in their language, written to the outbox. Some in-app
notifications matter enough to be mailed as well (EMAILED); reminders are mailed by the scheduler."""
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from academy.extensions import db
from academy.jobs.outbox import queue_email, queue_sms

# The in-app notifications that also go by e-mail to a user who gave an address.
EMAILED = {"course_cancelled", "record_rejected", "qualification_refused", "qualification_revoked", "job_done",
           "job_failed"}


def locale_of(user) -> str:
    return user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]


def absolute(link: str | None) -> str | None:
    if not link:
        return None
    return (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/") + link


def mail_user(user, kind: str, text_of, link: str | None = None, unsubscribe: str | None = None,
              sms_of=None) -> None:
    """Write the user's message to the outbox: `text_of()` (and `sms_of()`) are worded in the user's
    language; nothing is written for a user without an address (or a phone, for SMS)."""
    with force_locale(locale_of(user)):
        text = str(text_of())
        subject = _("Dongcheng District Social Work Academy: %(text)s", text=text)[:200]
        if user.email:
            # No request, no page context: the template alone (autoescaped), rendered in the user's language.
            html = current_app.jinja_env.get_template("jobs/email.html").render(
                text=text, link=absolute(link), unsubscribe=unsubscribe)
            body = "\n\n".join(part for part in (text, absolute(link),
                                                 unsubscribe and _("Stop these reminders: %(link)s", link=unsubscribe))
                               if part)
            queue_email(user.email, kind, subject, body, html, user_id=user.id)
        if sms_of is not None and user.phone:
            queue_sms(user.phone, kind, str(sms_of()), user_id=user.id)


def mail_notification(note, message) -> None:
    """An in-app notification of a kind in EMAILED goes by e-mail too, worded by `message(note)`."""
    from academy.auth.models import User

    if note.kind not in EMAILED:
        return
    user = db.session.get(User, note.user_id)
    if user is not None and user.email and user.active:
        mail_user(user, note.kind, lambda: message(note), note.link)
