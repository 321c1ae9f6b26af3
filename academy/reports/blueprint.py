from flask import Blueprint

from academy.reports import quarterly_views, views

bp = Blueprint("reports", __name__)

bp.add_url_rule("/admin", "dashboard", views.dashboard)
bp.add_url_rule("/admin/reports/progress", "progress", views.progress)
bp.add_url_rule("/admin/reports/workers", "workers", views.workers)
bp.add_url_rule("/admin/reports/workers/full-export", "workers_full_export", views.workers_full_export,
                methods=["POST"])
bp.add_url_rule("/admin/reports/annual", "annual_return", views.annual_return)
bp.add_url_rule("/admin/reports/annual/job", "annual_return_job", views.annual_return_job, methods=["POST"])
bp.add_url_rule("/admin/reports/enrolments", "enrolments_export", views.enrolments_export)
bp.add_url_rule("/admin/reports/quarterly", "quarterly", quarterly_views.quarterly, methods=["GET", "POST"])
bp.add_url_rule("/admin/reports/quarterly/<int:report_id>.pdf", "quarterly_pdf", quarterly_views.quarterly_pdf)
bp.add_url_rule("/admin/reports/quarterly/<int:report_id>.xlsx", "quarterly_xlsx", quarterly_views.quarterly_xlsx)
bp.add_url_rule("/admin/reports/enrolments/job", "enrolments_export_job", views.enrolments_export_job, methods=["POST"])
