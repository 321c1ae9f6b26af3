from flask import Blueprint

from academy.qualifications import import_views, views

bp = Blueprint("qualifications", __name__)

bp.add_url_rule("/me/qualifications", "my_records", views.my_records)
bp.add_url_rule("/me/qualifications/new", "declare", views.declare, methods=["GET", "POST"])
bp.add_url_rule("/admin/workers/<int:user_id>/qualifications", "worker_records_page", views.worker_records_page)
bp.add_url_rule("/admin/qualifications/<int:qualification_id>/decide", "decide", views.decide, methods=["POST"])
bp.add_url_rule("/admin/qualifications", "registry", views.registry)
bp.add_url_rule("/admin/qualifications/counts", "counts", views.counts)
bp.add_url_rule("/admin/qualifications/import", "import_upload", import_views.import_upload, methods=["GET", "POST"])
bp.add_url_rule("/admin/qualifications/import/confirm", "import_confirm", import_views.import_confirm,
                methods=["POST"])
bp.add_url_rule("/admin/qualifications/ceremony", "ceremony", views.ceremony)
bp.add_url_rule("/admin/qualifications/ceremony/notify", "ceremony_notify", views.ceremony_notify, methods=["POST"])
