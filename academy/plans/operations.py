"""Creating and changing plans: every change writes a version row (who, when, why); flush, never commit."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.auth.models import User
from academy.core.errors import OperationError
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.plans.models import TARGET_NAMES, Plan, PlanVersion, QuarterlyReport
from academy.programmes.models import Programme, Tier

# Targets that only mean something for one tier: degrees through the partner colleges, research projects.
TIER_ONLY = {"degrees": Tier.DEGREE, "projects": Tier.RESEARCH}


def _check_figures(programme: Programme, figures: dict) -> dict:
    unknown = set(figures) - set(TARGET_NAMES)
    if unknown:
        raise ValueError(f"unknown targets: {sorted(unknown)}")
    figures = {name: figures.get(name) for name in TARGET_NAMES}
    for name, tier in TIER_ONLY.items():
        if figures[name] is not None and programme.tier != tier:
            raise OperationError(_l("This target is only for programmes of the tier %(tier)s.", tier=tier.label),
                                 field=name)
    for name, value in figures.items():
        if value is not None and Decimal(value) < 0:
            raise OperationError(_l("A target is zero or more."), field=name)
    if figures["ce_rate"] is not None and Decimal(figures["ce_rate"]) > 100:
        raise OperationError(_l("A rate is at most 100%."), field="ce_rate")
    if all(value is None for value in figures.values()):
        raise OperationError(_l("Set at least one target."))
    return figures


def _weights_text(weights) -> str | None:
    return ",".join(str(int(weight)) for weight in weights) if weights else None


def _may_plan(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise OperationError(_l("Only the academy's administrators set plans."))


def _write_version(plan: Plan, actor: User, reason: str | None) -> PlanVersion:
    version = PlanVersion(plan=plan, version=plan.version, changed_by_id=actor.id, reason=reason,
                          month_weights=plan.month_weights, **plan.figures())
    db.session.add(version)
    return version


def create_plan(actor: User, *, year: int, programme: Programme, subdistrict: OrgUnit | None, figures: dict,
                weights=None, reason: str | None = None) -> Plan:
    """A new plan, version 1. One plan per year, programme and scope (the district or a subdistrict)."""
    _may_plan(actor)
    figures = _check_figures(programme, figures)
    if subdistrict is not None and subdistrict.kind != OrgKind.SUBDISTRICT:
        raise OperationError(_l("Choose a subdistrict."), field="subdistrict")
    key = subdistrict.id if subdistrict is not None else 0
    if db.session.scalar(select(Plan.id).where(Plan.year == year, Plan.programme_id == programme.id,
                                               Plan.subdistrict_key == key)) is not None:
        raise OperationError(_l("This programme already has a plan for this year and scope: change that one."),
                             field="programme")
    plan = Plan(year=year, programme=programme, subdistrict=subdistrict, subdistrict_key=key, version=1,
                month_weights=_weights_text(weights), **figures)
    db.session.add(plan)
    _write_version(plan, actor, reason)
    db.session.flush()
    return plan


def change_plan(plan: Plan, actor: User, *, figures: dict, weights=None, reason: str | None) -> PlanVersion:
    """New figures (or month profile) for a plan: the old ones stay in the version before."""
    _may_plan(actor)
    if not reason or not reason.strip():
        raise OperationError(_l("Say why the plan changes."), field="reason")
    figures = _check_figures(plan.programme, figures)
    weights_text = _weights_text(weights)
    if figures == plan.figures() and weights_text == plan.month_weights:
        raise OperationError(_l("Nothing changed."))
    for name, value in figures.items():
        setattr(plan, name, value)
    plan.month_weights = weights_text
    plan.version += 1
    version = _write_version(plan, actor, reason.strip())
    db.session.flush()
    return version


def issue_quarterly_report(actor: User, *, year: int, quarter: int, text: str, figures: str, pdf: bytes,
                           xlsx: bytes) -> QuarterlyReport:
    """Keep a quarterly report as issued: its text, the figures (JSON) and both documents, unchanged."""
    _may_plan(actor)
    if not 1 <= quarter <= 4:
        raise OperationError(_l("Choose a quarter."), field="quarter")
    if not text or not text.strip():
        raise OperationError(_l("Write the report's text."), field="text")
    report = QuarterlyReport(year=year, quarter=quarter, text=text.strip(), figures=figures, pdf=pdf, xlsx=xlsx,
                             issued_by_id=actor.id)
    db.session.add(report)
    db.session.flush()
    return report
