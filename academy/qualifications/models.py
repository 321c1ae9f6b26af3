"""The qualification registry: each worker's national social-work certificates, their review, and
the events that changed them. A worker's current level (WorkerProfile.qualification) is derived
from the highest verified record (academy.qualifications.operations.derive_profile)."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, case, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.enums import Qualification
from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db
from academy.progress.models import EvidenceFile

FIRST_EXAM_YEAR = 2008  # the national exam has run yearly since 2008
LEVELS = (Qualification.ASSISTANT, Qualification.SOCIAL_WORKER, Qualification.SENIOR)


class RecordStatus(enum.StrEnum):
    DECLARED = "declared"
    VERIFIED = "verified"
    REFUSED = "refused"
    REVOKED = "revoked"

    @property
    def label(self):
        return {
            RecordStatus.DECLARED: _l("Awaiting verification"),
            RecordStatus.VERIFIED: _l("Verified"),
            RecordStatus.REFUSED: _l("Refused"),
            RecordStatus.REVOKED: _l("Revoked"),
        }[self]

    @property
    def badge(self) -> str:
        return {"declared": "info", "verified": "success", "refused": "secondary", "revoked": "danger"}[self.value]


class QualificationRecord(IdMixin, TimestampMixin, db.Model):
    """One certificate: assistant and intermediate by exam (exam year), senior by exam and review
    (review year). Certificate numbers are unique across the district among records not refused."""

    __tablename__ = "qualification_records"
    __table_args__ = (
        CheckConstraint("level <> 'none'", name="level_is_a_certificate"),
        CheckConstraint(f"exam_year >= {FIRST_EXAM_YEAR}", name="exam_year_from_first_exam"),
        CheckConstraint("status <> 'refused' OR status_reason IS NOT NULL", name="refusal_has_reason"),
        # A refused record keeps its number in the history without blocking the real holder's.
        Index("uq_qualification_records_certificate_no", "certificate_no", unique=True,
              sqlite_where=text("status <> 'refused'"), postgresql_where=text("status <> 'refused'")),
        Index("ix_qualification_records_status_year", "status", "exam_year"),
    )
    # The worker's own registry and learning record pages show it; so do the registry's counts.
    __feeds__ = Feeds(owner="worker_id", families=("reports",),
                      tallies={"registry": ("status", "level", "exam_year", "worker_id")})
    __personal__ = Personal(subject="worker_id")

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    level: Mapped[Qualification] = mapped_column(enum_column(Qualification, "level"))
    certificate_no: Mapped[str] = mapped_column(String(40))
    exam_year: Mapped[int]  # the review year (评审年度) for a senior record
    issued_on: Mapped[date | None] = mapped_column(Date)
    issuing_authority: Mapped[str] = mapped_column(String(120))
    scan_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    status: Mapped[RecordStatus] = mapped_column(enum_column(RecordStatus, "status"), default=RecordStatus.DECLARED)
    status_reason: Mapped[str | None] = mapped_column(Text)
    # An administrator's reason for verifying a senior record without an intermediate one.
    override_reason: Mapped[str | None] = mapped_column(Text)
    imported: Mapped[bool] = mapped_column(default=False)
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    scan: Mapped[EvidenceFile | None] = relationship()
    events: Mapped[list["QualificationEvent"]] = relationship(
        back_populates="record", order_by="QualificationEvent.id")

    @property
    def is_open(self) -> bool:
        return self.status == RecordStatus.DECLARED


def pending_first(status):
    """0 for a record awaiting verification, else 1: the registry's first sort key, in literals rather than
    bound parameters, as an index on an expression serves only that same expression."""
    return case((status == literal_column(f"'{RecordStatus.DECLARED.value}'"), literal_column("0")),
                else_=literal_column("1"))


# The registry's order (queries.registry_query): a page is read from it, not sorted from every record.
Index("ix_qualification_records_registry_order", pending_first(QualificationRecord.status),
      QualificationRecord.exam_year.desc(), QualificationRecord.id.desc())


class QualificationEvent(IdMixin, db.Model):
    """Every change of a record's status: who, when, from, to, why. Only ever added."""

    __tablename__ = "qualification_events"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("record_id", "QualificationRecord"))

    record_id: Mapped[int] = mapped_column(ForeignKey("qualification_records.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[RecordStatus | None] = mapped_column(enum_column(RecordStatus, "from_status"))
    to_status: Mapped[RecordStatus] = mapped_column(enum_column(RecordStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)

    record: Mapped[QualificationRecord] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class HolderTally(db.Model):
    """Active workers by subdistrict and their highest verified level ('none' without one): the
    registry's holders, ranks and shares. Kept by academy.qualifications.tallies."""

    __tablename__ = "qualification_holder_tallies"
    __feeds__ = Feeds()  # derived

    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    level: Mapped[str] = mapped_column(String(13), primary_key=True)
    workers: Mapped[int] = mapped_column(default=0)


class CertificateTally(db.Model):
    """Verified certificates by exam (or review) year, level and the holder's subdistrict: the new
    certificates per year and the cumulative totals. Kept by academy.qualifications.tallies."""

    __tablename__ = "qualification_certificate_tallies"
    __feeds__ = Feeds()  # derived

    exam_year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    level: Mapped[str] = mapped_column(String(13), primary_key=True)
    subdistrict_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    certificates: Mapped[int] = mapped_column(default=0)
