from flask import Blueprint

from academy.progress import views

bp = Blueprint("progress", __name__)

bp.add_url_rule("/me", "my_record", views.my_record)
bp.add_url_rule("/me/print", "my_record_print", views.my_record_print)
bp.add_url_rule("/me/record.pdf", "my_record_pdf", views.my_record_pdf)
bp.add_url_rule("/me/records/new/<kind>", "record_create", views.record_create, methods=["GET", "POST"])
bp.add_url_rule("/me/records/<int:record_id>/edit", "record_edit", views.record_edit, methods=["GET", "POST"])
bp.add_url_rule("/me/records/<int:record_id>/withdraw", "record_withdraw", views.record_withdraw, methods=["POST"])
bp.add_url_rule("/evidence/<int:evidence_id>", "evidence_download", views.evidence_download)
bp.add_url_rule("/admin/workers/<int:user_id>/record", "worker_record", views.worker_record)
bp.add_url_rule("/admin/workers/<int:user_id>/record/print", "worker_record_print", views.worker_record_print)
bp.add_url_rule("/admin/workers/<int:user_id>/record.pdf", "worker_record_pdf", views.worker_record_pdf)
bp.add_url_rule("/admin/records", "review_list", views.review_list)
bp.add_url_rule("/admin/records/<int:record_id>/review", "review", views.review, methods=["POST"])
bp.add_url_rule("/admin/ce-rules", "rule_list", views.rule_list)
bp.add_url_rule("/admin/ce-rules/<int:rule_id>/edit", "rule_edit", views.rule_edit, methods=["GET", "POST"])
