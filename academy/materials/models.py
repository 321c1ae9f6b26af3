"""Course materials (课件): files and links attached to a course or one of its sessions."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.filenames import clean_filename
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.courses.models import Course, CourseSession
from academy.extensions import db


class MaterialKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class MaterialStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {MaterialStatus.DRAFT: _l("Draft"), MaterialStatus.PUBLISHED: _l("Published"),
                MaterialStatus.WITHDRAWN: _l("Withdrawn")}[self]

    @property
    def badge(self) -> str:
        return {"draft": "secondary", "published": "success", "withdrawn": "light"}[self.value]


class Material(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "materials"
    __feeds__ = Feeds()  # shown on live pages only (enrolled workers and the course's staff)
    __personal__ = Personal()
    __table_args__ = (
        CheckConstraint("(kind = 'file' AND stored_name IS NOT NULL) OR (kind = 'link' AND url IS NOT NULL)",
                        name="file_or_link"),
        CheckConstraint("downloads >= 0", name="downloads_not_negative"),
    )

    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("course_sessions.id"), index=True)
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind, "material_kind"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[MaterialStatus] = mapped_column(enum_column(MaterialStatus, "material_status"),
                                                   default=MaterialStatus.DRAFT)
    url: Mapped[str | None] = mapped_column(String(500))
    stored_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    downloads: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    course: Mapped[Course] = relationship()
    session: Mapped[CourseSession | None] = relationship()

    @property
    def display_name(self) -> str:
        return clean_filename(self.original_name, default=self.stored_name or "file")


class MaterialEvent(IdMixin, db.Model):
    """A material's status change: who, when, from, to."""

    __tablename__ = "material_events"
    __feeds__ = Feeds()  # history, shown on no kept page
    __personal__ = Personal()

    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[MaterialStatus | None] = mapped_column(enum_column(MaterialStatus, "from_status"))
    to_status: Mapped[MaterialStatus] = mapped_column(enum_column(MaterialStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)
