"""Reference data: the national continuing-education rule (administrators may change it later)."""
from decimal import Decimal

from sqlalchemy import select

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.progress.models import ContinuingEducationRule

# 72 hours per 3-year registration period for an assistant social worker, 90 for the others;
# a completed social-work degree counts 90 hours once; re-registration in the 3 months before expiry.
RULES = {Qualification.ASSISTANT: Decimal("72"), Qualification.SOCIAL_WORKER: Decimal("90"),
         Qualification.SENIOR: Decimal("90")}


def seed_rules() -> int:
    existing = set(db.session.scalars(select(ContinuingEducationRule.qualification)))
    added = 0
    for qualification, hours in RULES.items():
        if qualification not in existing:
            db.session.add(ContinuingEducationRule(
                qualification=qualification, period_years=3, required_hours=hours, degree_hours=Decimal("90"),
                window_months=3, counts_research=False,
            ))
            added += 1
    db.session.flush()
    return added
