"""Read helpers for the plans' pages."""
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from academy.extensions import db
from academy.plans.models import Plan, PlanVersion
from academy.programmes.models import Programme


def plan_list_query(year: int | None):
    """Plans, newest year first, the district's before the subdistricts', programmes in their order."""
    query = (select(Plan).join(Programme, Programme.id == Plan.programme_id)
             .options(contains_eager(Plan.programme), joinedload(Plan.subdistrict))
             .order_by(Plan.year.desc(), Plan.subdistrict_key, Programme.sort_order, Plan.id))
    return query.where(Plan.year == year) if year else query


def plan_with_history(plan_id: int) -> Plan | None:
    """A plan with its programme, scope and every version with who made it (a fixed number of statements)."""
    return db.session.scalar(select(Plan).where(Plan.id == plan_id).options(
        joinedload(Plan.programme), joinedload(Plan.subdistrict),
        selectinload(Plan.versions).joinedload(PlanVersion.changed_by)))
