"""Annual plans: per programme and year, for the whole district or one subdistrict, the targets the
academy reports its progress against. A plan keeps its current figures; every change writes a new
version row (the figures as they then stood, who, when and why), so old figures are never lost."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, now_utc
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.plans.rules import RATES, TARGET_NAMES, TARGETS  # noqa: F401  (part of this module's interface)
from academy.programmes.models import Programme

PLANS = "plans"  # the family of kept results that show plans (the dashboard, the progress report)



class _Figures:
    """The target columns, shared by a plan and its versions (None: no target set)."""

    people_trained: Mapped[int | None]
    enrolments: Mapped[int | None]
    hours: Mapped[Decimal | None] = mapped_column(Numeric(10, 1))
    certificates: Mapped[int | None]
    degrees: Mapped[int | None]
    projects: Mapped[int | None]
    ce_rate: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    # Twelve whole-number weights, "1,1,0,..." (None: linear through the year by days).
    month_weights: Mapped[str | None] = mapped_column(String(60))

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in TARGET_NAMES}

    @property
    def weights(self) -> tuple[int, ...] | None:
        return tuple(int(part) for part in self.month_weights.split(",")) if self.month_weights else None


_NOT_NEGATIVE = ("people_trained", "enrolments", "hours", "certificates", "degrees", "projects")


def _checks() -> tuple:
    return (*(CheckConstraint(f"{name} IS NULL OR {name} >= 0", name=f"{name}_not_negative")
              for name in _NOT_NEGATIVE),
            CheckConstraint("ce_rate IS NULL OR (ce_rate >= 0 AND ce_rate <= 100)", name="ce_rate_a_percentage"))


class Plan(_Figures, IdMixin, TimestampMixin, db.Model):
    """One programme's plan for one year, for the district (subdistrict_id None) or one subdistrict."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("year", "programme_id", "subdistrict_key"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_in_range"),
        CheckConstraint("subdistrict_key = COALESCE(subdistrict_id, 0)", name="subdistrict_key_follows"),
        *_checks(),
    )
    __feeds__ = Feeds(families=(PLANS,))  # the dashboard's and the progress report's plan sections

    year: Mapped[int] = mapped_column(index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    subdistrict_key: Mapped[int] = mapped_column(default=0)  # 0 for the district: one plan per scope
    version: Mapped[int] = mapped_column(default=1)

    programme: Mapped[Programme] = relationship()
    subdistrict: Mapped[OrgUnit | None] = relationship()
    versions: Mapped[list["PlanVersion"]] = relationship(back_populates="plan", order_by="PlanVersion.version.desc()")


class PlanVersion(_Figures, IdMixin, db.Model):
    """The figures of a plan as one change left them, with who changed them, when and why."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"), *_checks())
    __feeds__ = Feeds()  # shown on the plan's own page, never kept
    __personal__ = Personal()

    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    version: Mapped[int]
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    reason: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="versions")
    changed_by: Mapped[User] = relationship()


class QuarterlyReport(IdMixin, db.Model):
    """A quarterly report issued to the district: the administrator's text, the figures as they stood
    (frozen JSON) and the PDF and XLSX exactly as issued. Never changed after issuing."""

    __tablename__ = "quarterly_reports"
    __table_args__ = (CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_of_a_year"),)
    __feeds__ = Feeds()  # listed on its own uncached page
    __personal__ = Personal()

    year: Mapped[int]
    quarter: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    figures: Mapped[str] = mapped_column(Text)  # JSON, as the documents were made from it
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    xlsx: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

    issued_by: Mapped[User] = relationship()
