from flask import Blueprint

from academy.orgs import views

bp = Blueprint("orgs", __name__, url_prefix="/admin/org-units")

bp.add_url_rule("", "unit_list", views.unit_list, methods=["GET", "POST"])
bp.add_url_rule("/<int:unit_id>/edit", "unit_edit", views.unit_edit, methods=["GET", "POST"])
