"""The learning record's own data: records from outside the academy with their evidence, and the
continuing-education rules."""
import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.enums import Education, Qualification
from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.core.filenames import clean_filename
from academy.extensions import db


class LabelledEnum(enum.StrEnum):
    @property
    def label(self):
        return LABELS[self]


class RecordKind(LabelledEnum):
    DEGREE = "degree"
    TRAINING = "training"
    RESEARCH = "research"


class ReviewStatus(LabelledEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # by the worker, while it awaited verification


class DegreeStatus(LabelledEnum):
    STUDYING = "studying"
    GRADUATED = "graduated"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


class ResearchKind(LabelledEnum):
    RESEARCH_PROJECT = "research_project"
    CASE_STUDY = "case_study"
    PAPER = "paper"
    INNOVATION_PROJECT = "innovation_project"
    PRACTICE_PLACEMENT = "practice_placement"


LABELS = {
    RecordKind.DEGREE: _l("Degree study"),
    RecordKind.TRAINING: _l("External training"),
    RecordKind.RESEARCH: _l("Research or practice project"),
    ReviewStatus.PENDING: _l("Awaiting verification"),
    ReviewStatus.VERIFIED: _l("Verified"),
    ReviewStatus.REJECTED: _l("Not accepted"),
    ReviewStatus.WITHDRAWN: _l("Withdrawn by you"),
    DegreeStatus.STUDYING: _l("Studying"),
    DegreeStatus.GRADUATED: _l("Graduated"),
    DegreeStatus.SUSPENDED: _l("Suspended"),
    DegreeStatus.WITHDRAWN: _l("Withdrawn from study"),
    ResearchKind.RESEARCH_PROJECT: _l("Research project"),
    ResearchKind.CASE_STUDY: _l("Case study"),
    ResearchKind.PAPER: _l("Paper"),
    ResearchKind.INNOVATION_PROJECT: _l("Innovation project"),
    ResearchKind.PRACTICE_PLACEMENT: _l("Practice placement"),
}


class EvidenceFile(IdMixin, db.Model):
    """An uploaded proof (PDF, JPG or PNG), stored under a generated name outside static/."""

    __tablename__ = "evidence_files"
    __feeds__ = Feeds(owner="owner_id")
    __personal__ = Personal(subject="owner_id")

    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    @property
    def display_name(self) -> str:
        """The uploader's name for the file, as shown and offered for download: cleaned again, for files
        kept before names were cleaned on upload."""
        return clean_filename(self.original_name, default=self.stored_name)


class ExternalRecord(IdMixin, TimestampMixin, db.Model):
    """A degree, a training or a research/practice project from outside the academy's courses.
    Only verified records count."""

    __tablename__ = "external_records"
    __feeds__ = Feeds(owner="worker_id")
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        CheckConstraint("ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
    )

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[RecordKind] = mapped_column(enum_column(RecordKind, "record_kind"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)
    practice_base_id: Mapped[int | None] = mapped_column(ForeignKey("practice_bases.id"))
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    # degree study
    major: Mapped[str | None] = mapped_column(String(120))
    level_from: Mapped[Education | None] = mapped_column(enum_column(Education, "level_from"))
    level_to: Mapped[Education | None] = mapped_column(enum_column(Education, "level_to"))
    credits_earned: Mapped[int | None]
    credits_required: Mapped[int | None]
    expected_end_on: Mapped[date | None] = mapped_column(Date)
    degree_status: Mapped[DegreeStatus | None] = mapped_column(enum_column(DegreeStatus, "degree_status"))
    social_work_degree: Mapped[bool] = mapped_column(default=False)
    # research or practice
    research_kind: Mapped[ResearchKind | None] = mapped_column(enum_column(ResearchKind, "research_kind"))
    role: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(Text)
    # review
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, "review_status"), default=ReviewStatus.PENDING, index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reason: Mapped[str | None] = mapped_column(Text)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    evidence: Mapped[EvidenceFile | None] = relationship()
    partner: Mapped["Partner | None"] = relationship("Partner")  # noqa: F821 (partners builds on progress)
    practice_base: Mapped["PracticeBase | None"] = relationship("PracticeBase")  # noqa: F821


class ContinuingEducationRule(IdMixin, TimestampMixin, db.Model):
    """Hours a registered social worker needs per registration period (民发〔2009〕123号, art. 7).
    Local rules differ, so administrators change these rows, not code."""

    __tablename__ = "continuing_education_rules"
    __feeds__ = Feeds(everyone=True)
    __table_args__ = (
        CheckConstraint("period_years >= 1", name="period_positive"),
        CheckConstraint("required_hours >= 0 AND degree_hours >= 0", name="hours_not_negative"),
        CheckConstraint("window_months >= 0", name="window_not_negative"),
    )

    qualification: Mapped[Qualification] = mapped_column(enum_column(Qualification, "qualification"), unique=True)
    period_years: Mapped[int] = mapped_column(default=3)
    required_hours: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    degree_hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), default=Decimal("90"))
    window_months: Mapped[int] = mapped_column(default=3)
    counts_research: Mapped[bool] = mapped_column(default=False)


class CeStanding(db.Model):
    """Each worker's continuing-education hours in the current registration period, kept current by
    the operations that change them, so reports count compliance with one GROUP BY."""

    __tablename__ = "ce_standings"
    __feeds__ = Feeds(owner="worker_id", summaries=("applicable", "done", "required"))
    __personal__ = Personal(subject="worker_id")

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    applicable: Mapped[bool] = mapped_column(default=False, index=True)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    required: Mapped[Decimal] = mapped_column(Numeric(6, 1), default=Decimal("0"))
    done: Mapped[Decimal] = mapped_column(Numeric(7, 1), default=Decimal("0"))
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
