"""Read helpers for the audit trail."""
from sqlalchemy import func, select

from academy.audit.models import AuditEvent


def recorded_actions(session) -> list[str]:
    """Every action the trail holds, in order, by stepping through the action index from one value to
    the next (a loose index scan): a few lookups per distinct action, however long the trail grows,
    where SELECT DISTINCT reads every entry."""
    steps = select(func.min(AuditEvent.action).label("action")).cte("actions", recursive=True)
    following = (select(AuditEvent.action).where(AuditEvent.action > steps.c.action)
                 .order_by(AuditEvent.action).limit(1).scalar_subquery())
    steps = steps.union_all(select(following).where(steps.c.action.is_not(None)))
    return session.scalars(select(steps.c.action).where(steps.c.action.is_not(None))).all()
