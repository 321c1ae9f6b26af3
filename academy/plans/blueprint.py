from flask import Blueprint

from academy.plans import views

bp = Blueprint("plans", __name__)

bp.add_url_rule("/admin/plans", "plan_list", views.plan_list)
bp.add_url_rule("/admin/plans/new", "plan_create", views.plan_create, methods=["GET", "POST"])
bp.add_url_rule("/admin/plans/<int:plan_id>", "plan_detail", views.plan_detail, methods=["GET", "POST"])
