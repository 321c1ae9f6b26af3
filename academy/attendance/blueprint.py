from flask import Blueprint

from academy.attendance import checkin_views, views

bp = Blueprint("attendance", __name__)

bp.add_url_rule("/teach/courses/<int:course_id>/sessions/<int:session_id>/attendance", "attendance_sheet",
                views.attendance_sheet, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/results", "course_results", views.course_results,
                methods=["GET", "POST"])
bp.add_url_rule("/learning/<int:enrolment_id>", "my_enrolment", views.my_enrolment)

SCREEN = "/teach/courses/<int:course_id>/sessions/<int:session_id>/checkin"
bp.add_url_rule(SCREEN, "checkin_screen", checkin_views.checkin_screen)
bp.add_url_rule(f"{SCREEN}/qr.json", "checkin_qr", checkin_views.checkin_qr)
bp.add_url_rule(f"{SCREEN}/live.json", "checkin_live", checkin_views.checkin_live)
bp.add_url_rule("/checkin/<int:session_id>", "scan", checkin_views.scan, methods=["GET", "POST"])
bp.add_url_rule("/checkin", "scan_code", checkin_views.scan_code, methods=["GET", "POST"])
