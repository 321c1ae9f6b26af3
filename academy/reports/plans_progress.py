"""Progress against the annual plans (academy.plans): each target's actual from the summary tables, the
share of the year due by today and a status. Three statements whatever the number of workers: the
plans, the enrolment tallies and the reach tallies of the year, grouped by programme and subdistrict.

What each target counts, for the plan's programme, year (the courses' first day) and subdistrict (the
worker's):
  people trained   distinct workers with a completed enrolment (reach tallies: completed_workers)
  enrolments       enrolments holding a seat (enrolled, completed, not completed)
  hours            hours credited by completions
  certificates     completed enrolments, each of which earns its course certificate
  degrees          for a degree-tier programme: distinct workers completing (a degree or diploma)
  projects         for a research-tier programme: completed enrolments (a project each)
  ce_rate          of the workers reached to whom continuing education applies, the share compliant
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from academy.enrolment.models import SEATED_STATUSES, EnrolmentStatus
from academy.plans.models import RATES, TARGETS, Plan
from academy.plans.rules import PlanStatus, expected_share, progress
from academy.programmes.models import Programme, Tier
from academy.reports.models import EnrolmentTally as T
from academy.reports.models import ReachTally as R

DISTRICT = 0  # the subdistrict key of district-wide actuals


@dataclass
class Actuals:
    seated: int = 0
    completed: int = 0
    hours: Decimal = Decimal("0")
    completed_workers: int = 0
    ce_applicable: int = 0
    ce_compliant: int = 0

    def add(self, other: "Actuals") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def of(self, target: str, tier: Tier):
        """The actual a target is measured against (None where the target means nothing for the tier)."""
        if target == "ce_rate":
            return (Decimal(self.ce_compliant) * 100 / self.ce_applicable).quantize(Decimal("0.1")) \
                if self.ce_applicable else Decimal("0")
        if target == "degrees":
            return self.completed_workers if tier == Tier.DEGREE else None
        if target == "projects":
            return self.completed if tier == Tier.RESEARCH else None
        return {"people_trained": self.completed_workers, "enrolments": self.seated, "hours": self.hours,
                "certificates": self.completed}[target]


@dataclass
class PlanProgress:
    plan: Plan
    share_due: Decimal
    rows: list = field(default_factory=list)  # rules.Progress, in the order of TARGETS

    @property
    def status(self) -> PlanStatus:
        """The plan's worst target."""
        order = (PlanStatus.BEHIND, PlanStatus.ON_TRACK, PlanStatus.AHEAD)
        return min((row.status for row in self.rows), key=order.index, default=PlanStatus.ON_TRACK)


def actuals_of_year(session, year: int) -> dict:
    """{(programme_id, subdistrict_id or DISTRICT): Actuals} for the courses starting in `year`."""
    found: dict = {}

    def cell(programme_id, street):
        return found.setdefault((programme_id, street), Actuals())

    seated = func.sum(T.count_of(*SEATED_STATUSES))
    completed = func.sum(T.count_of(EnrolmentStatus.COMPLETED))
    for programme_id, street, seats, done, hours in session.execute(
            select(T.programme_id, T.subdistrict_id, seated, completed, func.coalesce(func.sum(T.hours), 0))
            .where(T.year == year).group_by(T.programme_id, T.subdistrict_id)):
        actual = cell(programme_id, street)
        actual.seated, actual.completed, actual.hours = seats or 0, done or 0, Decimal(hours or 0)
    # Within one programme's scope, workers split exactly by subdistrict: their sums are the district's.
    for programme_id, street, completers, applicable, compliant in session.execute(
            select(R.programme_id, R.subdistrict_id, func.sum(R.completed_workers), func.sum(R.ce_applicable),
                   func.sum(R.ce_compliant))
            .where(R.programme_id > 0, R.tier == "", R.year == year).group_by(R.programme_id, R.subdistrict_id)):
        actual = cell(programme_id, street)
        actual.completed_workers, actual.ce_applicable, actual.ce_compliant = completers or 0, applicable or 0, \
            compliant or 0
    for (programme_id, street), actual in list(found.items()):
        if street != DISTRICT:
            cell(programme_id, DISTRICT).add(actual)
    return found


def plans_of_year(session, year: int, subdistrict_id: int | None):
    """The year's plans a scope sees: the district's, and a subdistrict's own (every one for the district)."""
    query = (select(Plan).join(Programme, Programme.id == Plan.programme_id).where(Plan.year == year)
             .options(joinedload(Plan.programme), joinedload(Plan.subdistrict))
             .order_by(Plan.subdistrict_key, Programme.sort_order))
    if subdistrict_id is not None:
        query = query.where(or_(Plan.subdistrict_id.is_(None), Plan.subdistrict_id == subdistrict_id))
    return session.scalars(query).all()


def plan_progress(plan: Plan, actuals: dict, today: date) -> PlanProgress:
    share_due = expected_share(plan.year, today, plan.weights)
    actual = actuals.get((plan.programme_id, plan.subdistrict_id or DISTRICT), Actuals())
    result = PlanProgress(plan=plan, share_due=share_due)
    for name, _label in TARGETS:
        target = getattr(plan, name)
        measured = actual.of(name, plan.programme.tier)
        if target is None or measured is None:
            continue
        result.rows.append(progress(name, target, measured, share_due, rate=name in RATES))
    return result


def progress_against_plans(session, year: int, subdistrict_id: int | None, today: date) -> list[PlanProgress]:
    """Every plan of the year the scope sees, each target with its actual, share and status."""
    plans = plans_of_year(session, year, subdistrict_id)
    if not plans:
        return []
    actuals = actuals_of_year(session, year)
    return [plan_progress(plan, actuals, today) for plan in plans]
