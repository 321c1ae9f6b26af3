from flask import Blueprint

from academy.audit import views

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

bp.add_url_rule("", "event_list", views.event_list)
