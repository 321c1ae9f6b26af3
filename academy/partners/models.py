"""Partner institutions, cooperation agreements (with renewal chains and history) and practice bases."""
import enum
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, JSON, String, Table, Text, and_, case, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.i18n import localized
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db

AGREEMENTS = "agreements"  # the family of kept results that show agreements (the dashboard's expiring ones)
from academy.orgs.models import OrgUnit
from academy.programmes.models import Programme
from academy.progress.models import EvidenceFile

EXPIRING_DAYS = 90


class Labelled(enum.StrEnum):
    @property
    def label(self):
        return LABELS[self]


class PartnerKind(Labelled):
    UNIVERSITY = "university"
    VOCATIONAL_COLLEGE = "vocational_college"
    AGENCY = "agency"
    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"


class AgreementType(Labelled):
    FRAMEWORK = "framework"
    JOINT_TRAINING = "joint_training"
    DEGREE_EDUCATION = "degree_education"
    RESEARCH = "research"
    PRACTICE_BASE = "practice_base"


class AgreementStatus(Labelled):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    TERMINATED = "terminated"

    @property
    def badge(self) -> str:
        return {"draft": "secondary", "active": "success", "expiring": "warning", "expired": "dark",
                "terminated": "danger"}[self.value]


LABELS = {
    PartnerKind.UNIVERSITY: _l("University"),
    PartnerKind.VOCATIONAL_COLLEGE: _l("Vocational college"),
    PartnerKind.AGENCY: _l("Social work agency"),
    PartnerKind.GOVERNMENT: _l("Government department"),
    PartnerKind.ENTERPRISE: _l("Enterprise"),
    AgreementType.FRAMEWORK: _l("Framework cooperation agreement"),
    AgreementType.JOINT_TRAINING: _l("Joint training"),
    AgreementType.DEGREE_EDUCATION: _l("Degree education"),
    AgreementType.RESEARCH: _l("Research cooperation"),
    AgreementType.PRACTICE_BASE: _l("Practice base"),
    AgreementStatus.DRAFT: _l("Draft or not yet in force"),
    AgreementStatus.ACTIVE: _l("In force"),
    AgreementStatus.EXPIRING: _l("Expiring"),
    AgreementStatus.EXPIRED: _l("Expired"),
    AgreementStatus.TERMINATED: _l("Terminated"),
}


class Partner(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "partners"
    __feeds__ = Feeds(public=True, everyone=True, families=(AGREEMENTS,))  # the partners page, records, agreements

    name_zh: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind, "partner_kind"))
    contact_person: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)

    @property
    def name(self) -> str:
        return localized(self, "name")


agreement_parties = Table(
    "agreement_parties", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("partner_id", ForeignKey("partners.id"), primary_key=True, index=True),
)
agreement_programmes = Table(
    "agreement_programmes", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id"), primary_key=True),
    Column("programme_id", ForeignKey("programmes.id"), primary_key=True, index=True),
)


class Agreement(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "agreements"
    __feeds__ = Feeds(families=(AGREEMENTS,))  # the dashboard's expiring agreements
    __personal__ = Personal()  # its scanned document is the academy's, whoever uploaded it
    __table_args__ = (
        CheckConstraint("effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from",
                        name="dates_in_order"),
    )

    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[AgreementType] = mapped_column(enum_column(AgreementType, "agreement_type"), index=True)
    number: Mapped[str | None] = mapped_column(String(60), unique=True)
    signed_on: Mapped[date | None] = mapped_column(Date)
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, index=True)  # None: open-ended
    scope: Mapped[str] = mapped_column(Text, default="")
    responsible_staff: Mapped[str | None] = mapped_column(String(200))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"), unique=True)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(Text)

    parties: Mapped[list[Partner]] = relationship(secondary=agreement_parties, order_by=Partner.id)
    programmes: Mapped[list[Programme]] = relationship(secondary=agreement_programmes,
                                                       order_by=Programme.sort_order)
    document: Mapped[EvidenceFile | None] = relationship()
    predecessor: Mapped["Agreement | None"] = relationship(remote_side="Agreement.id", back_populates="successor")
    successor: Mapped["Agreement | None"] = relationship(back_populates="predecessor", uselist=False)
    events: Mapped[list["AgreementEvent"]] = relationship(back_populates="agreement", order_by="AgreementEvent.id")

    def status_on(self, today: date) -> AgreementStatus:
        if self.terminated_on is not None:
            return AgreementStatus.TERMINATED
        if self.signed_on is None or (self.effective_from is not None and self.effective_from > today):
            return AgreementStatus.DRAFT
        if self.effective_to is not None:
            if self.effective_to < today:
                return AgreementStatus.EXPIRED
            if self.effective_to <= today + timedelta(days=EXPIRING_DAYS):
                return AgreementStatus.EXPIRING
        return AgreementStatus.ACTIVE

    @classmethod
    def status_sql(cls, today: date):
        """The same rule as status_on, as a SQL expression for filters and counts."""
        return case(
            (cls.terminated_on.is_not(None), AgreementStatus.TERMINATED.value),
            (or_(cls.signed_on.is_(None), and_(cls.effective_from.is_not(None), cls.effective_from > today)),
             AgreementStatus.DRAFT.value),
            (and_(cls.effective_to.is_not(None), cls.effective_to < today), AgreementStatus.EXPIRED.value),
            (and_(cls.effective_to.is_not(None), cls.effective_to <= today + timedelta(days=EXPIRING_DAYS)),
             AgreementStatus.EXPIRING.value),
            else_=AgreementStatus.ACTIVE.value,
        )


class AgreementEvent(IdMixin, db.Model):
    """The agreement's timeline: created, changed, document added, renewed, terminated."""

    __tablename__ = "agreement_events"
    __feeds__ = Feeds()  # history, shown on no kept page
    __personal__ = Personal()

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    agreement: Mapped[Agreement] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PracticeBase(IdMixin, TimestampMixin, db.Model):
    """A practice base (校社联动实训基地) where theory meets community work."""

    __tablename__ = "practice_bases"
    __feeds__ = Feeds(public=True, everyone=True)  # course pages name their practice base
    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),)

    name: Mapped[str] = mapped_column(String(120), unique=True)
    host_partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    host_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    capacity: Mapped[int | None]
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id"))

    host_partner: Mapped[Partner | None] = relationship()
    host_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[host_unit_id])
    subdistrict: Mapped[OrgUnit] = relationship(foreign_keys=[subdistrict_id])
    agreement: Mapped[Agreement | None] = relationship()
