from flask import Blueprint

from academy.claims import admin_views, ledger_views, public_views, review_views, worker_views
from academy.claims.models import Material
from academy.claims.rules import CHECKLIST_LABELS

bp = Blueprint("claims", __name__)


@bp.context_processor
def _names():
    return {"materials": {kind.value: kind for kind in Material}, "checklist_labels": CHECKLIST_LABELS}


bp.add_url_rule("/me/claims", "my_claims", worker_views.my_claims_page)
bp.add_url_rule("/me/claims/new/<int:scheme_id>", "claim_start", worker_views.claim_start, methods=["GET", "POST"])
bp.add_url_rule("/me/claims/<int:claim_id>", "my_claim", worker_views.my_claim)
bp.add_url_rule("/me/claims/<int:claim_id>/details", "claim_details", worker_views.claim_details, methods=["POST"])
bp.add_url_rule("/me/claims/<int:claim_id>/upload", "claim_upload", worker_views.claim_upload, methods=["POST"])
bp.add_url_rule("/me/claims/<int:claim_id>/submit", "claim_submit", worker_views.claim_submit, methods=["POST"])
bp.add_url_rule("/me/claims/<int:claim_id>/application.pdf", "application_form", worker_views.application_form)
bp.add_url_rule("/claims/files/<int:upload_id>", "upload_file", worker_views.upload_file)
bp.add_url_rule("/review/claims", "queue", review_views.queue)
bp.add_url_rule("/review/claims/bulk-forward", "bulk_forward", review_views.bulk_forward, methods=["POST"])
bp.add_url_rule("/review/claims/<int:claim_id>", "review", review_views.review)
bp.add_url_rule("/review/claims/<int:claim_id>/decide", "decide", review_views.decide, methods=["POST"])
bp.add_url_rule("/admin/claim-schemes", "scheme_list", admin_views.scheme_list)
bp.add_url_rule("/admin/claim-schemes/new", "scheme_create", admin_views.scheme_create, methods=["GET", "POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>", "scheme_detail", admin_views.scheme_detail)
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/edit", "scheme_edit", admin_views.scheme_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/publish", "publish", admin_views.publish, methods=["POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/pay", "pay", admin_views.pay, methods=["POST"])
bp.add_url_rule("/admin/claim-objections/<int:objection_id>/resolve", "resolve", admin_views.resolve,
                methods=["POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/ledger.xlsx", "ledger", ledger_views.ledger)
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/ledger-job", "ledger_job", ledger_views.ledger_job,
                methods=["POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/ledger-full", "ledger_full", ledger_views.ledger_full,
                methods=["POST"])
bp.add_url_rule("/admin/claim-schemes/<int:scheme_id>/statistics", "statistics", ledger_views.scheme_statistics)
bp.add_url_rule("/notices/<int:scheme_id>", "notice_page", public_views.notice_page, methods=["GET", "POST"])
