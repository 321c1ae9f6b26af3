"""Administrators read the audit trail as sentences, filter it (dates, operator, action, object) and
export what the filters admit."""
from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.audit.forms import AuditFilterForm
from academy.audit.models import AuditEvent
from academy.audit.phrases import OBJECTS, detail_lines, sentence
from academy.audit.queries import filtered, object_labels, recorded_actions
from academy.core.exports import csv_response, xlsx_response
from academy.core.i18n import local_datetime
from academy.core.masking import mask_detail
from academy.core.pagination import SeekSelectPagination, seek_from
from academy.core.permissions import Role, role_required
from academy.core.urls import whole_number_arg
from academy.extensions import db

EXPORT_LIMIT = 100_000  # rows in one export; narrow the filters for more


def _filters():
    form = AuditFilterForm(request.args)
    form.set_choices(recorded_actions(db.session))
    form.validate()
    values = dict(after_date=form.after_date.data if not form.after_date.errors else None,
                  before_date=form.before_date.data if not form.before_date.errors else None,
                  operator=form.valid_value("operator"), actor_id=whole_number_arg("actor"),
                  action=form.valid_value("action"), object_type=form.valid_value("object_type"),
                  object_id=form.valid_value("object_id"))
    return form, values


def described(events) -> list[dict]:
    """Each event as people read it: when, who, the sentence, the object, the details."""
    labels = object_labels(db.session, events)
    rows = []
    for event in events:
        label = labels.get((event.object_type, event.object_id))
        kind = OBJECTS.get(event.object_type, (None, event.object_type))[1]
        shown = label or (f"#{event.object_id}" if event.object_type else None)
        rows.append({"event": event, "actor": event.actor.name if event.actor else "—",
                     "sentence": sentence(event.action, shown),
                     "object": f"{kind} #{event.object_id}" if event.object_type else "",
                     "details": detail_lines(mask_detail(event.detail) if event.detail else None)})
    return rows


@role_required(Role.ADMIN)
def event_list():
    form, values = _filters()
    query = filtered(select(AuditEvent).options(joinedload(AuditEvent.actor)), **values)  # newest first: by id
    if request.args.get("format") in ("csv", "xlsx"):
        return _export(query, request.args["format"])
    page = SeekSelectPagination(select=query, session=db.session, key=AuditEvent.id, descending=True,
                                seek=seek_from(request.args), per_page=50, error_out=False)
    args = {key: value for key, value in request.args.items() if key not in ("after", "before", "format", "page", "last") and value}
    return render_template("audit/list.html", page=page, rows=described(page.items), form=form, args=args)


def _export_rows(query, batch: int = 2000):
    """The admitted events, newest first, a batch at a time (the object labels read per batch)."""
    last, sent = None, 0
    while sent < EXPORT_LIMIT:
        step = query.order_by(AuditEvent.id.desc()).limit(min(batch, EXPORT_LIMIT - sent))
        events = db.session.scalars(step.where(AuditEvent.id < last) if last else step).all()
        if not events:
            return
        for row in described(events):
            yield [local_datetime(row["event"].at, "%Y-%m-%d %H:%M:%S"), row["actor"], row["sentence"], row["object"],
                   "; ".join(f"{label}: {value}" for label, value in row["details"]), row["event"].ip_address or ""]
        last, sent = events[-1].id, sent + len(events)


def _export(query, fmt: str):
    header = [_("When (Beijing time)"), _("Operator"), _("What happened"), _("Object"), _("Details"), _("Address")]
    rows = _export_rows(query)
    if fmt == "csv":
        return csv_response("audit-trail", header, rows)
    return xlsx_response("audit-trail", _("Audit trail"), header, rows, widths=[20, 14, 48, 22, 60, 16],
                         title=_("Audit trail"))
