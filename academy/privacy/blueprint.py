from flask import Blueprint

from academy.privacy import views

bp = Blueprint("privacy", __name__)

bp.add_url_rule("/privacy", "notice", views.notice)
bp.add_url_rule("/account/privacy", "mine", views.mine)
bp.add_url_rule("/account/privacy/data.<fmt>", "data_download", views.data_download, methods=["POST"])
bp.add_url_rule("/account/privacy/consent", "notice_consent", views.notice_consent, methods=["GET", "POST"])
bp.add_url_rule("/account/privacy/resident-id/withdraw", "resident_id_withdraw", views.resident_id_withdraw,
                methods=["POST"])
bp.add_url_rule("/account/privacy/close", "closure_request", views.closure_request, methods=["POST"])
bp.add_url_rule("/account/privacy/close/cancel", "closure_cancel", views.closure_cancel, methods=["POST"])
bp.add_url_rule("/admin/closures", "closure_list", views.closure_list)
bp.add_url_rule("/admin/closures/<int:closure_id>", "closure_decide", views.closure_decide, methods=["POST"])
