"""Courses posted in a programme, their dated sessions and their status history."""
import enum
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint, Column, Date, ForeignKey, Index, Numeric, String, Table, Text, false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.enums import Education, Qualification
from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.i18n import LOCAL_TZ
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.programmes.models import Programme


MONTH_PATTERN = r"(19|20)[0-9]{2}-(0[1-9]|1[0-2])"  # a catalogue month: YYYY-MM within reason


class DeliveryMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"

    @property
    def label(self):
        return {
            DeliveryMode.IN_PERSON: _l("In person"),
            DeliveryMode.ONLINE: _l("Online"),
            DeliveryMode.BLENDED: _l("Blended"),
        }[self]


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {
            CourseStatus.DRAFT: _l("Draft"),
            CourseStatus.PUBLISHED: _l("Published"),
            CourseStatus.CLOSED: _l("Enrolment closed"),
            CourseStatus.ARCHIVED: _l("Archived"),
            CourseStatus.CANCELLED: _l("Cancelled"),
        }[self]

    @property
    def badge(self) -> str:
        return {
            CourseStatus.DRAFT: "secondary",
            CourseStatus.PUBLISHED: "success",
            CourseStatus.CLOSED: "warning",
            CourseStatus.ARCHIVED: "light",
            CourseStatus.CANCELLED: "danger",
        }[self]


course_instructors = Table(
    "course_instructors",
    db.metadata,
    Column("course_id", ForeignKey("courses.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)

course_subdistricts = Table(
    "course_subdistricts",
    db.metadata,
    Column("course_id", ForeignKey("courses.id"), primary_key=True),
    Column("org_unit_id", ForeignKey("org_units.id"), primary_key=True, index=True),
)

course_prerequisites = Table(
    "course_prerequisites",
    db.metadata,
    Column("course_id", ForeignKey("courses.id"), primary_key=True),
    Column("prerequisite_id", ForeignKey("courses.id"), primary_key=True),
    CheckConstraint("course_id <> prerequisite_id", name="not_itself"),
)


class EnrolmentState(enum.Enum):
    OPEN = "open"
    UPCOMING = "upcoming"
    CLOSED = "closed"
    FINISHED = "finished"

    @property
    def label(self):
        return {"open": _l("Enrolment open"), "upcoming": _l("Enrolment not yet open"),
                "closed": _l("Enrolment closed"), "finished": _l("Finished")}[self.value]

    @property
    def badge(self) -> str:
        return {"open": "success", "upcoming": "info", "closed": "secondary", "finished": "light"}[self.value]


class Course(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "courses"
    __feeds__ = Feeds(public=True, summaries=("starts_on", "ends_on", "programme_id"),
                    summaries_via=("Enrolment", "course_id"))
    __personal__ = Personal()
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_within_capacity"),
        CheckConstraint("credit_hours >= 0", name="hours_not_negative"),
        CheckConstraint("min_attendance_rate BETWEEN 0 AND 100", name="attendance_rate_percent"),
        CheckConstraint("pass_mark IS NULL OR pass_mark BETWEEN 0 AND 100", name="pass_mark_percent"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("checkin_opens_before BETWEEN 0 AND 1440 AND checkin_closes_after BETWEEN 0 AND 1440",
                        name="checkin_window_minutes"),
        Index("ix_courses_status_starts_on", "status", "starts_on"),
    )

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[DeliveryMode] = mapped_column(enum_column(DeliveryMode, "delivery_mode"), index=True)
    venue: Mapped[str | None] = mapped_column(String(200))
    # An online or blended course's meeting (a Tencent Meeting link, number and password): shown only to its
    # enrolled workers and its staff, from MEETING_SHOWN_BEFORE_MINUTES before a session until its end.
    meeting_url: Mapped[str | None] = mapped_column(String(300))
    meeting_number: Mapped[str | None] = mapped_column(String(30))
    meeting_password: Mapped[str | None] = mapped_column(String(20))
    practice_base_id: Mapped[int | None] = mapped_column(ForeignKey("practice_bases.id"))
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal("0"))
    hours_from_sessions: Mapped[bool] = mapped_column(default=True)
    capacity: Mapped[int] = mapped_column(default=30)
    seats_taken: Mapped[int] = mapped_column(default=0)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    enrol_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrol_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starts_on: Mapped[date | None] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    approval_required: Mapped[bool] = mapped_column(default=False)
    min_qualification: Mapped[Qualification | None] = mapped_column(enum_column(Qualification, "min_qualification"))
    min_education: Mapped[Education | None] = mapped_column(enum_column(Education, "min_education"))
    min_attendance_rate: Mapped[int] = mapped_column(default=80)
    pass_mark: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    status: Mapped[CourseStatus] = mapped_column(
        enum_column(CourseStatus, "course_status"), default=CourseStatus.DRAFT, index=True
    )
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    results_finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # QR check-in (attendance/checkin.py): minutes before a session's start the scan opens and after it
    # closes; a sign-out scan at the end for courses that want full attendance.
    checkin_opens_before: Mapped[int] = mapped_column(default=30, server_default="30")
    checkin_closes_after: Mapped[int] = mapped_column(default=30, server_default="30")
    signout_scan: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The completion certificate is downloadable only once the worker has answered the course evaluation.
    evaluation_before_certificate: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    programme: Mapped[Programme] = relationship()
    practice_base: Mapped["PracticeBase | None"] = relationship("PracticeBase")  # noqa: F821
    instructors: Mapped[list[User]] = relationship(secondary=course_instructors, order_by=User.name)
    subdistricts: Mapped[list[OrgUnit]] = relationship(secondary=course_subdistricts, order_by=OrgUnit.code)
    prerequisites: Mapped[list["Course"]] = relationship(
        secondary=course_prerequisites,
        primaryjoin="Course.id == course_prerequisites.c.course_id",
        secondaryjoin="Course.id == course_prerequisites.c.prerequisite_id",
        order_by="Course.code",
    )
    sessions: Mapped[list["CourseSession"]] = relationship(
        back_populates="course", order_by="CourseSession.starts_at", cascade="all, delete-orphan"
    )
    events: Mapped[list["CourseEvent"]] = relationship(back_populates="course", order_by="CourseEvent.id")

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def enrolment_state(self, now: datetime | None = None) -> "EnrolmentState":
        """Where a published course stands for someone who would enrol, by the clock."""
        now = now or now_utc()
        if self.ends_on is not None and self.ends_on < now.astimezone(LOCAL_TZ).date():
            return EnrolmentState.FINISHED
        if self.status != CourseStatus.PUBLISHED or (self.enrol_closes_at and now >= self.enrol_closes_at):
            return EnrolmentState.CLOSED
        if self.enrol_opens_at and now < self.enrol_opens_at:
            return EnrolmentState.UPCOMING
        return EnrolmentState.OPEN

    @property
    def is_public(self) -> bool:
        """Visible to everyone (drafts only to the course's instructors and administrators)."""
        return self.status != CourseStatus.DRAFT

    def can_edit(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if user.role == Role.ADMIN:
            return True
        return user.role == Role.INSTRUCTOR and any(person.id == user.id for person in self.instructors)

    @property
    def has_meeting(self) -> bool:
        return bool(self.meeting_url or self.meeting_number)

    def session_to_join(self, now: datetime, before: timedelta) -> "CourseSession | None":
        """The session whose meeting is open to join at `now`: from `before` its start until its end."""
        return next((item for item in self.sessions if item.starts_at - before <= now <= item.ends_at), None)

    @property
    def is_changeable(self) -> bool:
        return self.status in (CourseStatus.DRAFT, CourseStatus.PUBLISHED, CourseStatus.CLOSED)

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class CourseSession(IdMixin, TimestampMixin, db.Model):
    """One dated class meeting (课次)."""

    __tablename__ = "course_sessions"
    __feeds__ = Feeds(public=True)
    __personal__ = Personal()
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str | None] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(200))
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    hours_from_duration: Mapped[bool] = mapped_column(default=True)

    course: Mapped[Course] = relationship(back_populates="sessions")
    instructor: Mapped[User | None] = relationship()

    @property
    def local_date(self) -> date:
        return self.starts_at.astimezone(LOCAL_TZ).date()


class CourseEvent(IdMixin, db.Model):
    """A status change of a course: who, when, from, to, why."""

    __tablename__ = "course_events"
    __feeds__ = Feeds()  # history, shown on no kept page
    __personal__ = Personal()

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[CourseStatus | None] = mapped_column(enum_column(CourseStatus, "from_status"))
    to_status: Mapped[CourseStatus] = mapped_column(enum_column(CourseStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)

    course: Mapped[Course] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

