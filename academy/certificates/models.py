"""Completion certificates (结业证书) of courses and programmes, publicly verifiable."""
import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, enum_column, now_utc
from academy.courses.models import Course
from academy.extensions import db
from academy.programmes.models import Programme


class CertificateKind(enum.StrEnum):
    COURSE = "course"
    PROGRAMME = "programme"

    @property
    def label(self):
        return {CertificateKind.COURSE: _l("Course completion certificate"),
                CertificateKind.PROGRAMME: _l("Programme completion certificate")}[self]


class Certificate(IdMixin, db.Model):
    __tablename__ = "certificates"
    __feeds__ = Feeds(owner="worker_id")
    __personal__ = Personal(subject="worker_id")

    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind, "certificate_kind"))
    # One certificate per thing achieved: "course:<enrolment id>" or "programme:<worker id>:<programme id>".
    scope_key: Mapped[str] = mapped_column(String(60), unique=True)
    serial: Mapped[str | None] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)  # a quarter's new ones
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    programme: Mapped[Programme] = relationship()
    course: Mapped[Course | None] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
