from flask import Blueprint

from academy.attendance import views

bp = Blueprint("attendance", __name__)

bp.add_url_rule("/teach/courses/<int:course_id>/sessions/<int:session_id>/attendance", "attendance_sheet",
                views.attendance_sheet, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/results", "course_results", views.course_results,
                methods=["GET", "POST"])
bp.add_url_rule("/learning/<int:enrolment_id>", "my_enrolment", views.my_enrolment)
