"""Work that outlives a request: jobs (who asked for what, its progress and its file), their status
events, the outbox of e-mail and SMS messages, and the reminders already sent."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User

from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self):
        return {JobStatus.QUEUED: _l("Waiting"), JobStatus.RUNNING: _l("Running"), JobStatus.DONE: _l("Ready"),
                JobStatus.FAILED: _l("Failed")}[self]

    @property
    def badge(self) -> str:
        return {"queued": "secondary", "running": "info", "done": "success", "failed": "danger"}[self.value]


class Job(IdMixin, db.Model):
    """One piece of long work a user started; its file (if any) is kept outside static/ under a generated
    name until `expires_at`."""

    __tablename__ = "jobs"
    __feeds__ = Feeds()  # shown on no kept page
    __personal__ = Personal(subject="user_id")
    __table_args__ = (Index("ix_jobs_user_id_created_at", "user_id", "created_at"),
                      Index("ix_jobs_status_created_at", "status", "created_at"))

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int | None]
    attempts: Mapped[int] = mapped_column(default=0)
    result_file: Mapped[str | None] = mapped_column(String(80))  # generated name in JOBS_DIR
    result_name: Mapped[str | None] = mapped_column(String(200))  # the name the user downloads it as
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # its file was removed by the cleanup

    user: Mapped[User | None] = relationship()

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))


class JobEvent(IdMixin, db.Model):
    __tablename__ = "job_events"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("job_id", "Job"))

    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt


class OutboxMessage(IdMixin, db.Model):
    """An e-mail or SMS, written before it is sent and sent by a job, with retries and backoff."""

    __tablename__ = "outbox_messages"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="user_id", erase=("address",))
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(enum_column(OutboxStatus, "outbox_status"),
                                                 default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SentReminder(IdMixin, db.Model):
    """A reminder of one kind, about one object, for one period, to one user: sent once."""

    __tablename__ = "sent_reminders"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="user_id")
    __table_args__ = (UniqueConstraint("kind", "object_id", "period", "user_id",
                                       name="uq_sent_reminders_kind_object_id_period_user_id"),)

    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    period: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class ReminderOptOut(IdMixin, db.Model):
    """A user does not want reminders of an optional kind."""

    __tablename__ = "reminder_opt_outs"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="user_id")
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_reminder_opt_outs_user_id_kind"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
