"""Read helpers for the audit trail."""
from datetime import datetime, time, timedelta

from sqlalchemy import String, cast, column, func, literal, or_, select, table, union_all

from academy.audit.models import AuditEvent
from academy.audit.phrases import OBJECTS
from academy.auth.models import User
from academy.core.i18n import local_to_utc


def recorded_actions(session) -> list[str]:
    """Every action the trail holds, in order, by stepping through the action index from one value to
    the next (a loose index scan): a few lookups per distinct action, however long the trail grows,
    where SELECT DISTINCT reads every entry."""
    steps = select(func.min(AuditEvent.action).label("action")).cte("actions", recursive=True)
    following = (select(AuditEvent.action).where(AuditEvent.action > steps.c.action)
                 .order_by(AuditEvent.action).limit(1).scalar_subquery())
    steps = steps.union_all(select(following).where(steps.c.action.is_not(None)))
    return session.scalars(select(steps.c.action).where(steps.c.action.is_not(None))).all()


def filtered(query, *, after_date=None, before_date=None, operator=None, actor_id=None, action=None,
             object_type=None, object_id=None):
    """The events the filters admit (dates are Beijing days, both ends included)."""
    if after_date:
        query = query.where(AuditEvent.at >= local_to_utc(datetime.combine(after_date, time.min)))
    if before_date:
        query = query.where(AuditEvent.at < local_to_utc(datetime.combine(before_date + timedelta(days=1), time.min)))
    if operator:
        people = select(User.id).where(or_(User.name.contains(operator, autoescape=True), User.phone == operator))
        query = query.where(AuditEvent.actor_id.in_(people))
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    return query


def object_labels(session, events) -> dict:
    """{(table, id): its title or name} for the objects these events name, in one statement (a UNION of
    one SELECT per kind of object on the page), whatever the number of events or kinds."""
    wanted = {}
    for event in events:
        if event.object_type in OBJECTS and OBJECTS[event.object_type][0] and event.object_id:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    if not wanted:
        return {}
    parts = []
    for name, ids in sorted(wanted.items()):
        label = OBJECTS[name][0]
        rows = table(name, column("id"), column(label))  # names from our own OBJECTS, never from input
        parts.append(select(literal(name).label("kind"), rows.c.id.label("id"),
                            cast(rows.c[label], String).label("label")).where(rows.c.id.in_(sorted(ids))))
    return {(kind, row_id): text for kind, row_id, text in session.execute(union_all(*parts))}
