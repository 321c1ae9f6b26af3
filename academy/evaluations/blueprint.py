from flask import Blueprint

from academy.evaluations import views

bp = Blueprint("evaluations", __name__)

bp.add_url_rule("/learning/evaluations/<int:course_id>", "answer_form", views.answer_form_view, methods=["GET", "POST"])
bp.add_url_rule("/teach/courses/<int:course_id>/evaluation", "course_results", views.course_results)
bp.add_url_rule("/teach/evaluations", "my_results", views.my_results)
bp.add_url_rule("/admin/evaluations", "report", views.report)
bp.add_url_rule("/admin/evaluations/questionnaire", "template_edit", views.template_edit, methods=["GET", "POST"])
