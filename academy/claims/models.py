"""Exam-subsidy claims (考试奖补): a scheme per exam year, the workers' claims on it, their three-level
review (初审—复核—终审), the public notice (公示) with its objections, and the payment batches.

A claim copies the terms it was submitted under (amount, required materials), so changing or closing
a scheme never rewrites a submitted claim. Every change of a claim's state is a ClaimEvent."""
import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.enums import Qualification
from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.progress.models import EvidenceFile


class Material(enum.StrEnum):
    APPLICATION_FORM = "application_form"  # 申请表, signed
    CERTIFICATE = "certificate"  # 职业水平证书
    IDENTITY = "identity"  # 身份证明
    REVIEW_PASS = "review_pass"  # 评审通过证明 (senior)

    @property
    def label(self):
        return {
            Material.APPLICATION_FORM: _l("Signed application form"),
            Material.CERTIFICATE: _l("Qualification certificate"),
            Material.IDENTITY: _l("Proof of identity"),
            Material.REVIEW_PASS: _l("Review-pass certificate"),
        }[self]


BASIC_MATERIALS = [Material.APPLICATION_FORM.value, Material.CERTIFICATE.value, Material.IDENTITY.value]
DEFAULT_MATERIALS = {
    Qualification.ASSISTANT.value: BASIC_MATERIALS,
    Qualification.SOCIAL_WORKER.value: BASIC_MATERIALS,
    Qualification.SENIOR.value: BASIC_MATERIALS + [Material.REVIEW_PASS.value],
}


class ClaimState(enum.StrEnum):
    DRAFT = "draft"
    FIRST_REVIEW = "first_review"  # submitted: waits for the subdistrict (初审)
    SECOND_REVIEW = "second_review"  # the academy (复核)
    FINAL_REVIEW = "final_review"  # the district (终审)
    FINAL_APPROVED = "final_approved"  # passed 终审, waits for the notice
    IN_NOTICE = "in_notice"  # 公示
    APPROVED = "approved"  # approved for payment
    PAID = "paid"
    RETURNED = "returned"  # 退回补正: the worker corrects and resubmits
    REJECTED = "rejected"

    @property
    def label(self):
        return STATE_LABELS[self]

    @property
    def badge(self) -> str:
        return {"draft": "secondary", "returned": "warning", "rejected": "danger", "paid": "success",
                "approved": "success", "in_notice": "info"}.get(self.value, "primary")


STATE_LABELS = {
    ClaimState.DRAFT: _l("Draft"),
    ClaimState.FIRST_REVIEW: _l("First review (subdistrict)"),
    ClaimState.SECOND_REVIEW: _l("Second review (academy)"),
    ClaimState.FINAL_REVIEW: _l("Final review (district)"),
    ClaimState.FINAL_APPROVED: _l("Passed final review, awaiting notice"),
    ClaimState.IN_NOTICE: _l("In public notice"),
    ClaimState.APPROVED: _l("Approved for payment"),
    ClaimState.PAID: _l("Paid"),
    ClaimState.RETURNED: _l("Returned for correction"),
    ClaimState.REJECTED: _l("Rejected"),
}
REVIEW_STATES = (ClaimState.FIRST_REVIEW, ClaimState.SECOND_REVIEW, ClaimState.FINAL_REVIEW)


class Scheme(IdMixin, TimestampMixin, db.Model):
    """One year's subsidy: the exam year it covers, the amount per level, the application window, the
    first-review deadline, the notice period and the materials per level. `version` counts changes."""

    __tablename__ = "claim_schemes"
    __table_args__ = (
        CheckConstraint("closes_on >= opens_on", name="window_in_order"),
        CheckConstraint("first_review_by >= closes_on", name="first_review_after_window"),
        CheckConstraint("notice_days BETWEEN 1 AND 30", name="notice_days_range"),
        CheckConstraint("amount_assistant >= 0 AND amount_social_worker >= 0 AND amount_senior >= 0",
                        name="amounts_not_negative"),
    )
    __feeds__ = Feeds(public=True)  # the public notice page names the scheme
    __personal__ = Personal()

    title: Mapped[str] = mapped_column(String(120))
    exam_year: Mapped[int] = mapped_column(unique=True)
    amount_assistant: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount_social_worker: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    amount_senior: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    first_review_by: Mapped[date] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(default=5)  # working days
    materials: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_MATERIALS))
    guide: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def phase(self, today: date, in_notice: bool = False):
        """(label, badge) of where the scheme stands: upcoming, open, in review, in notice, closed."""
        if today < self.opens_on:
            return _l("Upcoming"), "secondary"
        if today <= self.closes_on:
            return _l("Open for applications"), "success"
        if in_notice:
            return _l("In public notice"), "info"
        if today <= self.first_review_by:
            return _l("In review"), "primary"
        return _l("Applications closed"), "dark"

    def amount_for(self, level) -> Decimal:
        return {Qualification.ASSISTANT: self.amount_assistant, Qualification.SOCIAL_WORKER: self.amount_social_worker,
                Qualification.SENIOR: self.amount_senior}[Qualification(level)]

    def materials_for(self, level) -> list[str]:
        return list(self.materials.get(Qualification(level).value, BASIC_MATERIALS))


class Notice(IdMixin, db.Model):
    """One public notice (公示) of a scheme's claims that passed 终审, for `notice_days` working days."""

    __tablename__ = "claim_notices"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_in_order"),)
    __feeds__ = Feeds(public=True)
    __personal__ = Personal()

    scheme_id: Mapped[int] = mapped_column(ForeignKey("claim_schemes.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    scheme: Mapped[Scheme] = relationship()


class PaymentBatch(IdMixin, db.Model):
    __tablename__ = "claim_payment_batches"
    __feeds__ = Feeds()
    __personal__ = Personal()

    batch_no: Mapped[str] = mapped_column(String(40), unique=True)
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


STANDING = "state NOT IN ('rejected')"  # a claim that still stands blocks a second one


class Claim(IdMixin, TimestampMixin, db.Model):
    """A worker's claim on a scheme. The amount and the required materials are copied from the scheme
    when the claim is submitted, so later changes of the scheme never rewrite it."""

    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("level <> 'none'", name="level_is_a_certificate"),
        CheckConstraint("state NOT IN ('paid') OR batch_id IS NOT NULL", name="paid_in_a_batch"),
        # Never subsidised twice: one standing claim per certificate, and per worker and level.
        Index("uq_claims_certificate_no", "certificate_no", unique=True,
              sqlite_where=text(STANDING), postgresql_where=text(STANDING)),
        Index("uq_claims_worker_level", "worker_id", "level", unique=True,
              sqlite_where=text(STANDING), postgresql_where=text(STANDING)),
        Index("ix_claims_scheme_state", "scheme_id", "state"),
    )
    # The public notice shows claims in notice by their state.
    __feeds__ = Feeds(public=("state", "notice_id"))
    __personal__ = Personal(subject="worker_id", erase=("bank_name", "bank_account", "account_holder"))

    scheme_id: Mapped[int] = mapped_column(ForeignKey("claim_schemes.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    qualification_id: Mapped[int | None] = mapped_column(ForeignKey("qualification_records.id"))
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    work_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    level: Mapped[Qualification] = mapped_column(enum_column(Qualification, "level"))
    certificate_no: Mapped[str] = mapped_column(String(40))
    exam_year: Mapped[int]
    bank_name: Mapped[str] = mapped_column(String(80), default="")
    bank_account: Mapped[str] = mapped_column(String(30), default="")
    account_holder: Mapped[str] = mapped_column(String(50), default="")
    declared: Mapped[bool] = mapped_column(default=False)
    state: Mapped[ClaimState] = mapped_column(enum_column(ClaimState, "claim_state"), default=ClaimState.DRAFT)
    # The terms the claim was submitted under (copied from the scheme at submission).
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    required_materials: Mapped[list | None] = mapped_column(JSON)
    scheme_version: Mapped[int | None]
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_note: Mapped[str | None] = mapped_column(Text)  # what to fix, when returned
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("claim_notices.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("claim_payment_batches.id"), index=True)

    scheme: Mapped[Scheme] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    work_unit: Mapped[OrgUnit] = relationship(foreign_keys=[work_unit_id])
    notice: Mapped[Notice | None] = relationship()
    batch: Mapped[PaymentBatch | None] = relationship()
    events: Mapped[list["ClaimEvent"]] = relationship(back_populates="claim", order_by="ClaimEvent.id")
    uploads: Mapped[list["ClaimUpload"]] = relationship(back_populates="claim", order_by="ClaimUpload.id")
    objections: Mapped[list["Objection"]] = relationship(back_populates="claim", order_by="Objection.id")

    @property
    def masked_account(self) -> str:
        """6222000011112222333 -> 6222 **** 2333: the full number only in the ledger with a reason."""
        number = self.bank_account or ""
        return f"{number[:4]} **** {number[-4:]}" if len(number) > 8 else "*" * len(number)

    def materials_needed(self) -> list[str]:
        return list(self.required_materials) if self.required_materials is not None \
            else self.scheme.materials_for(self.level)

    def latest_uploads(self) -> dict[str, "ClaimUpload"]:
        latest = {}
        for upload in self.uploads:
            latest[upload.material] = upload
        return latest


class ClaimEvent(IdMixin, db.Model):
    """Every change of a claim's state: who, when, from, to, why, and the reviewer's checklist ticks."""

    __tablename__ = "claim_events"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("claim_id", "Claim"))

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_state: Mapped[ClaimState | None] = mapped_column(enum_column(ClaimState, "from_state"))
    to_state: Mapped[ClaimState] = mapped_column(enum_column(ClaimState, "to_state"))
    reason: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[dict | None] = mapped_column(JSON)

    claim: Mapped[Claim] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ClaimUpload(IdMixin, db.Model):
    """A material uploaded with a claim (checked by content); a later upload of the same kind replaces
    the earlier one on the claim, which stays in the history."""

    __tablename__ = "claim_uploads"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("claim_id", "Claim"))

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    material: Mapped[Material] = mapped_column(enum_column(Material, "material"))
    file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    claim: Mapped[Claim] = relationship(back_populates="uploads")
    file: Mapped[EvidenceFile] = relationship()


class ObjectionStatus(enum.StrEnum):
    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"

    @property
    def label(self):
        return {ObjectionStatus.PENDING: _l("Pending"), ObjectionStatus.UPHELD: _l("Upheld"),
                ObjectionStatus.DISMISSED: _l("Dismissed")}[self]


class Objection(IdMixin, db.Model):
    """An objection (异议) to a claim in notice, filed by anyone, resolved by an administrator."""

    __tablename__ = "claim_objections"
    __table_args__ = (
        CheckConstraint("status = 'pending' OR resolution IS NOT NULL", name="resolution_has_reason"),
    )
    __feeds__ = Feeds()
    __personal__ = Personal()  # a third party's word about a claim, not the claimant's to download

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id"), index=True)
    grounds: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(100))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus, "objection_status"),
                                                    default=ObjectionStatus.PENDING)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    claim: Mapped[Claim] = relationship(back_populates="objections")
