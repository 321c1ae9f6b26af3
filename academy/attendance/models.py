"""Attendance marks (考勤) per session and worker, with every correction kept."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, enum_column, now_utc
from academy.courses.models import CourseSession
from academy.enrolment.models import Enrolment
from academy.extensions import db


class Mark(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self):
        return MARK_LABELS[self]

    @property
    def attended(self) -> bool:
        """Late arrival and early leave still count as attending; absence and excused leave do not."""
        return self in ATTENDED


MARK_LABELS = {
    Mark.PRESENT: _l("Present"),
    Mark.LATE: _l("Late"),
    Mark.LEFT_EARLY: _l("Left early"),
    Mark.ABSENT: _l("Absent"),
    Mark.EXCUSED: _l("Excused leave"),
}
ATTENDED = (Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY)


class AttendanceMark(IdMixin, db.Model):
    __tablename__ = "attendance_marks"
    __feeds__ = Feeds(owner_through=("enrolment_id", "Enrolment"))
    __personal__ = Personal(through=("enrolment_id", "Enrolment"))
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    mark: Mapped[Mark] = mapped_column(enum_column(Mark, "mark"))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    session: Mapped[CourseSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()


class AttendanceChange(IdMixin, db.Model):
    """A correction of a mark: who, when, from, to, why."""

    __tablename__ = "attendance_changes"
    __feeds__ = Feeds()  # history, shown on no kept page
    __personal__ = Personal(through=("mark_id", "AttendanceMark"))

    mark_id: Mapped[int] = mapped_column(ForeignKey("attendance_marks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_mark: Mapped[Mark] = mapped_column(enum_column(Mark, "from_mark"))
    to_mark: Mapped[Mark] = mapped_column(enum_column(Mark, "to_mark"))
    reason: Mapped[str | None] = mapped_column(Text)


class ScanDirection(enum.StrEnum):
    IN = "in"
    OUT = "out"


class AttendanceScan(IdMixin, db.Model):
    """A worker's check-in or sign-out scan of a session (扫码签到): one of each per session and worker."""

    __tablename__ = "attendance_scans"
    __feeds__ = Feeds(owner_through=("enrolment_id", "Enrolment"))
    __personal__ = Personal(through=("enrolment_id", "Enrolment"))
    __table_args__ = (UniqueConstraint("session_id", "enrolment_id", "direction"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("course_sessions.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id"), index=True)
    direction: Mapped[ScanDirection] = mapped_column(enum_column(ScanDirection, "scan_direction"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    by_code: Mapped[bool] = mapped_column(default=False)  # typed the 6-digit code rather than scanning
    # A check-in left without its sign-out, closed by the scheduler once the sign-out window shut
    # (checkin_operations.close_unsigned): it is closed once, whatever the instructor corrects after.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
