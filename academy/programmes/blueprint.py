from flask import Blueprint

from academy.programmes import views

bp = Blueprint("programmes", __name__)

bp.add_url_rule("/programmes", "programme_list", views.programme_list)
bp.add_url_rule("/programmes/<slug>", "programme_detail", views.programme_detail)
bp.add_url_rule("/admin/programmes/<slug>/edit", "programme_edit", views.programme_edit, methods=["GET", "POST"])
