from flask import Blueprint, request

from academy.materials import views
from academy.materials.storage import MAX_BYTES

bp = Blueprint("materials", __name__)

MANAGE = "/teach/courses/<int:course_id>/materials"
bp.add_url_rule(MANAGE, "manage", views.manage)
bp.add_url_rule(f"{MANAGE}/new/<what>", "add", views.add, methods=["GET", "POST"])
bp.add_url_rule(f"{MANAGE}/<int:material_id>/edit", "edit", views.edit, methods=["GET", "POST"])
bp.add_url_rule(f"{MANAGE}/<int:material_id>/status/<to>", "change_status", views.change_status, methods=["POST"])
bp.add_url_rule("/courses/<int:course_id>/materials", "course_materials", views.course_materials)
bp.add_url_rule("/materials/<int:material_id>", "download", views.download, methods=["POST"])


@bp.url_value_preprocessor
def allow_large_materials(endpoint, values):
    """A material may be 50 MB, above the app's MAX_CONTENT_LENGTH: allowed on its upload only, and set
    before any before_request hook (the CSRF check among them) reads the form."""
    if endpoint == "materials.add":
        request.max_content_length = MAX_BYTES + 1024 * 1024  # the form's other fields beside the file
