from flask import Blueprint

from academy.reports import views

bp = Blueprint("reports", __name__)

bp.add_url_rule("/admin", "dashboard", views.dashboard)
