from flask import Blueprint

from academy.enrolment import approval_views, import_views, roster_views, views

bp = Blueprint("enrolment", __name__)

bp.add_url_rule("/courses/<int:course_id>/enrol", "enrol", views.enrol, methods=["POST"])
bp.add_url_rule("/learning", "my_learning", views.my_learning)
bp.add_url_rule("/enrolments/<int:enrolment_id>/withdraw", "withdraw", views.withdraw, methods=["GET", "POST"])
bp.add_url_rule("/teach/approvals", "approvals", approval_views.approvals)
bp.add_url_rule("/teach/approvals/courses/<int:course_id>", "course_approvals", approval_views.course_approvals,
                methods=["GET", "POST"])
bp.add_url_rule("/teach/enrolments/<int:enrolment_id>/reject", "reject", views.reject, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/roster", "course_roster", views.course_roster)
bp.add_url_rule("/teach/courses/<int:course_id>/roster/export", "roster_export", roster_views.roster_export)
bp.add_url_rule("/teach/courses/<int:course_id>/sessions/<int:session_id>/sign-in-sheet.pdf", "sign_in_sheet",
                roster_views.sign_in_sheet_pdf)
bp.add_url_rule("/admin/enrolments/import", "import_upload", import_views.import_upload, methods=["GET", "POST"])
bp.add_url_rule("/admin/enrolments/import/confirm", "import_confirm", import_views.import_confirm, methods=["POST"])
bp.add_url_rule("/admin/enrolments/import/template.xlsx", "import_template", import_views.import_template)
bp.add_url_rule("/admin/enrolments/import/refused/<token>.csv", "import_refused", import_views.import_refused)
