from flask import Blueprint

from academy.courses import manage_views, views

bp = Blueprint("courses", __name__)

bp.add_url_rule("/courses", "catalogue", views.catalogue)
bp.add_url_rule("/courses/<int:course_id>", "course_detail", views.course_detail)

bp.add_url_rule("/teach/courses", "my_courses", manage_views.my_courses)
bp.add_url_rule("/teach/courses/new", "course_create", manage_views.course_create, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>", "course_manage", manage_views.course_manage)
bp.add_url_rule("/teach/courses/<int:course_id>/edit", "course_edit", manage_views.course_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/sessions/new", "session_create", manage_views.session_create,
                methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/sessions/<int:session_id>/edit", "session_edit",
                manage_views.session_edit, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/sessions/<int:session_id>/remove", "session_remove",
                manage_views.session_remove, methods=["POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/status/<target>", "course_status", manage_views.course_status,
                methods=["POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/cancel", "course_cancel", manage_views.course_cancel,
                methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/duplicate", "course_duplicate", manage_views.course_duplicate,
                methods=["GET", "POST"])
