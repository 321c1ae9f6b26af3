"""Every e-mail and SMS is written to the outbox first, in the transaction that caused it, and sent
afterwards by background work: a dead channel never fails the request, and a message waits (with
growing pauses: 1, 2, 4 ... minutes, at most 6 hours) until its channel is back, then goes once."""
import logging
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from academy.jobs.operations import write_lock
from academy.core.models import now_utc
from academy.extensions import db
from academy.jobs import channels
from academy.jobs.models import OutboxMessage, OutboxStatus
from academy.jobs.queue import backend_name, submit

log = logging.getLogger(__name__)
MAX_PAUSE = timedelta(hours=6)
PENDING = "outbox_pending"


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session) -> None:
    """Messages a transaction wrote are sent once it committed, in the background (with "sync" jobs, by
    the next scheduler tick or an explicit deliver_due)."""
    if session.info.pop(PENDING, False) and has_app_context() and backend_name() != "sync":
        send_soon()


def queue_email(address: str, kind: str, subject: str, text: str, html: str | None = None,
                user_id: int | None = None) -> OutboxMessage:
    message = OutboxMessage(channel="email", address=address, kind=kind, subject=subject[:200], body_text=text,
                            body_html=html, user_id=user_id, status=OutboxStatus.QUEUED, attempts=0,
                            next_attempt_at=now_utc(), created_at=now_utc())
    db.session.add(message)
    db.session().info[PENDING] = True
    return message


def queue_sms(phone: str, kind: str, text: str, user_id: int | None = None) -> OutboxMessage:
    if len(text) > channels.SMS_MAX_CHARACTERS:
        raise ValueError(f"an SMS of {len(text)} characters (at most {channels.SMS_MAX_CHARACTERS})")
    message = OutboxMessage(channel="sms", address=phone, kind=kind, body_text=text, user_id=user_id,
                            status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now_utc(), created_at=now_utc())
    db.session.add(message)
    db.session().info[PENDING] = True
    return message


def send_soon() -> None:
    """After the caller's commit: deliver what is due, in the background."""
    try:
        submit(deliver_due)
    except Exception:  # the messages stay in the outbox; the next run sends them
        log.exception("could not start the outbox delivery")


def pause_after(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_PAUSE)


def deliver_due(now: datetime | None = None, limit: int = 200) -> int:
    """Send the messages whose time has come; each is claimed first (queued → sending), so two runs
    never send one message twice. Returns how many were sent."""
    now = now or now_utc()
    session = db.session
    due = session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.QUEUED,
                                                         OutboxMessage.next_attempt_at <= now)
                          .order_by(OutboxMessage.id).limit(limit)).all()
    session.commit()
    sent = 0
    for message_id in due:
        sent += _deliver_one(message_id, now)
    return sent


def _deliver_one(message_id: int, now: datetime) -> int:
    session = db.session
    write_lock(session)
    claimed = session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                          OutboxMessage.status == OutboxStatus.QUEUED)
                              .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1,
                                      next_attempt_at=now_utc())
                              .execution_options(synchronize_session=False)).rowcount
    session.commit()
    if not claimed:
        return 0
    message = session.get(OutboxMessage, message_id)
    session.refresh(message)
    error = None
    try:
        if message.channel == "email":
            channels.send_email(message.address, message.subject or "", message.body_text, message.body_html,
                                headers=_headers(message))
        else:
            channels.send_sms(message.address, message.body_text)
    except Exception as problem:  # the channel is down or refused: try again later
        error = f"{problem.__class__.__name__}: {problem}"[:2000]
        log.warning("outbox message %s not sent (attempt %s): %s", message_id, message.attempts, error)
    write_lock(session)
    if error is None:
        values = {"status": OutboxStatus.SENT, "sent_at": now_utc(), "last_error": None}
    elif message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        values = {"status": OutboxStatus.FAILED, "last_error": error}
    else:
        values = {"status": OutboxStatus.QUEUED, "last_error": error,
                  "next_attempt_at": now + pause_after(message.attempts)}
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
                    .execution_options(synchronize_session=False))
    session.commit()
    return 1 if error is None else 0


def _headers(message: OutboxMessage) -> dict:
    return {}


def requeue_stuck(older_than: timedelta = timedelta(minutes=30)) -> int:
    """Messages left "sending" (claimed more than `older_than` ago) by a process that died go back to the
    queue: such a message is sent at least once; it may go twice only if the process died after the server
    accepted it and before the status was written."""
    return db.session.execute(update(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENDING,
                                                          OutboxMessage.next_attempt_at < now_utc() - older_than)
                              .values(status=OutboxStatus.QUEUED)
                              .execution_options(synchronize_session=False)).rowcount
