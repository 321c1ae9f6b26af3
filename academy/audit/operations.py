"""Writing to the audit trail. Events are only ever added, never changed or removed."""
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from academy.audit.models import AuditEvent
from academy.core.masking import mask_detail
from academy.extensions import db


def record(action: str, obj=None, *, actor=None, **detail) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (default: the signed-in user)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=obj.id if obj is not None else None,
        # Personal data never enters the trail in full (a failed sign-in's number, a number in a reason).
        detail=mask_detail({key: value for key, value in detail.items() if value is not None}),
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


def changes(obj, fields) -> dict:
    """{field: [old, new]} for the fields whose value differs from the loaded state."""
    inspected = db.inspect(obj)
    result = {}
    for name in fields:
        history = inspected.attrs[name].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            result[name] = [_plain(old), _plain(new)]
    return result


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_changes(mapper, connection, target):
    raise RuntimeError("audit events are append-only")
