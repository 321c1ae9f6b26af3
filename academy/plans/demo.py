"""Demo plans: for last year, this year and next, every programme's district plan, a few subdistricts'
shares, a month profile with nothing in February, and a plan changed once (with its reason). The demo's
courses are few, so its small targets are reached and its large ones are behind."""
from decimal import Decimal

from sqlalchemy import select

from academy.core.i18n import local_today
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.plans import operations
from academy.plans.models import Plan
from academy.programmes.models import Programme, Tier

NO_FEBRUARY = (1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
DEMO_STREETS = ("110101001000", "110101006000")  # 东华门, 东四


def _figures(programme: Programme, reachable: bool) -> dict:
    """Small targets the demo reaches, or a district's real ambitions, which it does not."""
    scale = 1 if reachable else 40
    figures = {"people_trained": 1 * scale, "enrolments": 2 * scale, "hours": Decimal(6 * scale),
               "certificates": 1 * scale, "ce_rate": Decimal("50") if reachable else Decimal("85")}
    if programme.tier == Tier.DEGREE:
        figures["degrees"] = 1 * scale
    if programme.tier == Tier.RESEARCH:
        figures["projects"] = 1 * scale
    return figures


def load_demo_plans(admin) -> None:
    if db.session.scalar(select(Plan.id).limit(1)) is not None:
        return
    year = local_today().year
    programmes = db.session.scalars(select(Programme).order_by(Programme.sort_order)).all()
    streets = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT,
                                                       OrgUnit.code.in_(DEMO_STREETS)).order_by(OrgUnit.code)).all()
    for plan_year in (year - 1, year, year + 1):
        for index, programme in enumerate(programmes):
            reachable = index % 2 == 0
            operations.create_plan(admin, year=plan_year, programme=programme, subdistrict=None,
                                   figures=_figures(programme, reachable),
                                   weights=NO_FEBRUARY if programme.code == "QINGYUN" else None,
                                   reason="年度培训计划（演示）")
        for street in streets:
            operations.create_plan(admin, year=plan_year, programme=programmes[1], subdistrict=street,
                                   figures={"people_trained": 1, "enrolments": 2}, reason="街道分解指标（演示）")
    changed = db.session.scalar(select(Plan).where(Plan.year == year, Plan.subdistrict_id.is_(None))
                                .order_by(Plan.id))
    operations.change_plan(changed, admin, figures=changed.figures() | {"enrolments": changed.enrolments + 10},
                           reason="区委社会工作部年中追加指标（演示）")
