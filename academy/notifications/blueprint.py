from flask import Blueprint

from academy.notifications import views

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

bp.add_url_rule("", "notification_list", views.notification_list)
bp.add_url_rule("/read", "mark_read", views.mark_read, methods=["POST"])
