"""Administrators browse the audit trail, newest first, filtered by action or actor."""
from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from academy.audit.models import AuditEvent
from academy.audit.queries import recorded_actions
from academy.core.pagination import SeekSelectPagination, seek_from
from academy.core.permissions import Role, role_required
from academy.core.urls import whole_number_arg
from academy.extensions import db


@role_required(Role.ADMIN)
def event_list():
    action = (request.args.get("action") or "").strip()[:60]
    actor_id = whole_number_arg("actor")
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))  # newest first: by id, descending
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    actions = recorded_actions(db.session)
    page = SeekSelectPagination(select=query, session=db.session, key=AuditEvent.id, descending=True,
                                seek=seek_from(request.args), per_page=50, error_out=False)
    return render_template("audit/list.html", page=page, action=action, actor_id=actor_id, actions=actions)
