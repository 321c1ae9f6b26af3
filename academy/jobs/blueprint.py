from flask import Blueprint

from academy.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

bp.add_url_rule("", "job_list", views.job_list)
bp.add_url_rule("/mine", "my_downloads", views.my_downloads)
bp.add_url_rule("/<int:job_id>", "job_page", views.job_page)
bp.add_url_rule("/<int:job_id>/status", "job_status", views.job_status)
bp.add_url_rule("/<int:job_id>/download", "download", views.download)
bp.add_url_rule("/<int:job_id>/retry", "retry", views.retry, methods=["POST"])
bp.add_url_rule("/maintenance/<work>", "queue_maintenance", views.queue_maintenance, methods=["POST"])
bp.add_url_rule("/reminders", "reminder_settings", views.reminder_settings, methods=["GET", "POST"])
bp.add_url_rule("/reminders/stop/<token>", "stop_reminders", views.stop_reminders, methods=["GET", "POST"])
