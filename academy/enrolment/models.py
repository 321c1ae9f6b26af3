"""Enrolments of workers in courses and their status history."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.courses.models import Course
from academy.extensions import db


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def label(self):
        return STATUS_LABELS[self]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self]


STATUS_LABELS = {
    EnrolmentStatus.PENDING: _l("Awaiting approval"),
    EnrolmentStatus.ENROLLED: _l("Enrolled"),
    EnrolmentStatus.WAITLISTED: _l("On the waitlist"),
    EnrolmentStatus.REJECTED: _l("Not approved"),
    EnrolmentStatus.WITHDRAWN: _l("Withdrawn"),
    EnrolmentStatus.COMPLETED: _l("Completed"),
    EnrolmentStatus.NOT_COMPLETED: _l("Not completed"),
}
STATUS_BADGES = {
    EnrolmentStatus.PENDING: "info",
    EnrolmentStatus.ENROLLED: "success",
    EnrolmentStatus.WAITLISTED: "warning",
    EnrolmentStatus.REJECTED: "secondary",
    EnrolmentStatus.WITHDRAWN: "secondary",
    EnrolmentStatus.COMPLETED: "primary",
    EnrolmentStatus.NOT_COMPLETED: "dark",
}

# Statuses that hold a place in the course (a seat, a request or a waitlist place).
ACTIVE_STATUSES = (EnrolmentStatus.PENDING, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)
# Statuses that occupy one of the course's seats.
SEATED_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


class Enrolment(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "enrolments"
    __feeds__ = Feeds(owner="worker_id", summaries=("status", "credited_hours", "course_id", "worker_id"))
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        UniqueConstraint("course_id", "worker_id"),
        Index("ix_enrolments_course_id_status_queued_at", "course_id", "status", "queued_at"),
    )

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(enum_column(EnrolmentStatus, "enrolment_status"), index=True)
    # When the worker joined the waitlist: the queue is ordered by this, then by id.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the course's results are finalised.
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    attendance_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    credited_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome_reason: Mapped[str | None] = mapped_column(Text)

    course: Mapped[Course] = relationship()
    worker: Mapped[User] = relationship()
    events: Mapped[list["EnrolmentEvent"]] = relationship(back_populates="enrolment", order_by="EnrolmentEvent.id")

    # An enrolment changes only from the status it was read in: every UPDATE says WHERE status = <the status
    # read>, and one that another request changed meanwhile fails (StaleDataError) instead of being
    # overwritten; two tabs re-enrolling at once take one seat, not two.
    __mapper_args__ = {"version_id_col": status, "version_id_generator": False}


class EnrolmentEvent(IdMixin, db.Model):
    """A status change of an enrolment: who, when, from, to, why."""

    __tablename__ = "enrolment_events"
    __feeds__ = Feeds()  # history, shown on no kept page
    __personal__ = Personal(through=("enrolment_id", "Enrolment"))

    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[EnrolmentStatus | None] = mapped_column(enum_column(EnrolmentStatus, "from_status"))
    to_status: Mapped[EnrolmentStatus] = mapped_column(enum_column(EnrolmentStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)

    enrolment: Mapped[Enrolment] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
