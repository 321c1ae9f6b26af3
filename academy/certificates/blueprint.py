from flask import Blueprint

from academy.certificates import views

bp = Blueprint("certificates", __name__)

bp.add_url_rule("/verify", "verify_form", views.verify_form)
bp.add_url_rule("/verify/<code>", "verify", views.verify)
bp.add_url_rule("/certificates/<int:certificate_id>.pdf", "download", views.download)
bp.add_url_rule("/teach/courses/<int:course_id>/certificates.zip", "course_zip", views.course_zip)
bp.add_url_rule("/teach/courses/<int:course_id>/certificates/job", "course_zip_job", views.course_zip_job,
                methods=["POST"])
bp.add_url_rule("/admin/certificates", "certificate_list", views.certificate_list)
bp.add_url_rule("/admin/certificates/<int:certificate_id>/revoke", "revoke", views.revoke, methods=["GET", "POST"])
