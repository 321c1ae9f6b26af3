"""The demo carries plans for last year, this year and next: some reached, some behind, one changed."""
from sqlalchemy import func, select

from academy.core.i18n import local_today
from academy.demo import load_demo
from academy.extensions import db
from academy.plans.models import Plan, PlanVersion
from academy.plans.rules import PlanStatus
from academy.reports.plans_progress import progress_against_plans


def test_the_demo_has_plans_in_several_states():
    load_demo()
    db.session.commit()
    year = local_today().year
    assert set(db.session.scalars(select(Plan.year).distinct())) == {year - 1, year, year + 1}
    assert db.session.scalar(select(func.max(PlanVersion.version))) == 2
    found = progress_against_plans(db.session, year, None, local_today())
    reached = [row for item in found for row in item.rows if row.share is not None and row.share >= 100]
    assert reached and {PlanStatus.BEHIND} & {item.status for item in found}
    load_demo()  # again: nothing added
    assert db.session.scalar(select(func.count(Plan.id))) == 3 * (8 + 2)
