"""Progress against the annual plans (academy.plans): each target's actual from the summary tables, the
share of the year due by today and a status. One statement whatever the number of workers: the
year's plans joined to the enrolment and reach tallies of the year, summed by programme and subdistrict.

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

from sqlalchemy import and_, func, literal_column, or_, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from academy.enrolment.models import SEATED_STATUSES, EnrolmentStatus
from academy.plans.models import RATES, TARGETS, Plan
from academy.plans.rules import PlanStatus, expected_share, progress
from academy.programmes.models import Programme, Tier
from academy.reports.models import EnrolmentTally as T
from academy.reports.models import ReachTally as R

DISTRICT = 0  # the subdistrict key of district-wide actuals (as plans.subdistrict_key)
ACTUALS = ("seated", "completed", "hours", "completed_workers", "ce_applicable", "ce_compliant")


@dataclass
class Actuals:
    seated: int = 0
    completed: int = 0
    hours: Decimal = Decimal("0")
    completed_workers: int = 0
    ce_applicable: int = 0
    ce_compliant: int = 0

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


def _actuals_table(year: int):
    """The year's actuals keyed by (programme_id, subdistrict_key): each subdistrict's, and the district's
    (key DISTRICT) summed over them; within one programme's scope workers split exactly by subdistrict."""
    zero = literal_column("0")
    names = ("programme_id", "subdistrict_key", *ACTUALS)
    seated, completed = func.sum(T.count_of(*SEATED_STATUSES)), func.sum(T.count_of(EnrolmentStatus.COMPLETED))
    enrolments = [seated, completed, func.sum(T.hours), zero, zero, zero]
    reach = [zero, zero, zero, func.sum(R.completed_workers), func.sum(R.ce_applicable), func.sum(R.ce_compliant)]
    district = literal_column(str(DISTRICT))
    in_scope = (R.programme_id > 0, R.tier == "", R.year == year)

    def named(*columns):
        return [column.label(name) for column, name in zip(columns, names)]

    parts = union_all(
        select(*named(T.programme_id, T.subdistrict_id, *enrolments)).where(T.year == year)
        .group_by(T.programme_id, T.subdistrict_id),
        select(*named(T.programme_id, district, *enrolments)).where(T.year == year).group_by(T.programme_id),
        select(*named(R.programme_id, R.subdistrict_id, *reach)).where(*in_scope)
        .group_by(R.programme_id, R.subdistrict_id),
        select(*named(R.programme_id, district, *reach)).where(*in_scope).group_by(R.programme_id),
    ).subquery()
    return (select(parts.c.programme_id, parts.c.subdistrict_key,
                   *(func.sum(parts.c[name]).label(name) for name in ACTUALS))
            .group_by(parts.c.programme_id, parts.c.subdistrict_key).subquery())


def _actuals(values) -> Actuals:
    seated, completed, hours, completers, applicable, compliant = (value or 0 for value in values)
    return Actuals(int(seated), int(completed), Decimal(str(hours)).quantize(Decimal("0.1")), int(completers),
                   int(applicable), int(compliant))


def actuals_of_year(session, year: int) -> dict:
    """{(programme_id, subdistrict_id or DISTRICT): Actuals} for the courses starting in `year`."""
    table = _actuals_table(year)
    return {(row[0], row[1]): _actuals(row[2:]) for row in session.execute(select(table))}


def plans_with_actuals(session, year: int, subdistrict_id: int | None, district_only: bool = False) -> list:
    """[(plan, Actuals)] for the year's plans a scope sees (the district's, and a subdistrict's own; every
    one for the district, or only the district's own with `district_only`), in one statement whatever the
    number of workers."""
    table = _actuals_table(year)
    query = (select(Plan, *(table.c[name] for name in ACTUALS))
             .join(Programme, Programme.id == Plan.programme_id)
             .outerjoin(table, and_(table.c.programme_id == Plan.programme_id,
                                    table.c.subdistrict_key == Plan.subdistrict_key))
             .where(Plan.year == year)
             .options(contains_eager(Plan.programme), joinedload(Plan.subdistrict))
             .order_by(Plan.subdistrict_key, Programme.sort_order))
    if subdistrict_id is not None:
        query = query.where(or_(Plan.subdistrict_id.is_(None), Plan.subdistrict_id == subdistrict_id))
    elif district_only:
        query = query.where(Plan.subdistrict_id.is_(None))
    return [(row[0], _actuals(row[1:])) for row in session.execute(query)]


def plan_progress(plan: Plan, actual: Actuals, today: date) -> PlanProgress:
    share_due = expected_share(plan.year, today, plan.weights)
    result = PlanProgress(plan=plan, share_due=share_due)
    for name, _label in TARGETS:
        target = getattr(plan, name)
        measured = actual.of(name, plan.programme.tier)
        if target is None or measured is None:
            continue
        result.rows.append(progress(name, target, measured, share_due, rate=name in RATES))
    return result


def progress_against_plans(session, year: int, subdistrict_id: int | None, today: date,
                           district_only: bool = False) -> list[PlanProgress]:
    """Every plan of the year the scope sees, each target with its actual, share and status."""
    return [plan_progress(plan, actual, today)
            for plan, actual in plans_with_actuals(session, year, subdistrict_id, district_only)]
