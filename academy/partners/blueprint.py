from flask import Blueprint

from academy.partners import views

bp = Blueprint("partners", __name__)

bp.add_url_rule("/partners", "partner_list", views.partner_list)
bp.add_url_rule("/partners/<int:partner_id>", "partner_detail", views.partner_detail)
bp.add_url_rule("/admin/partners/new", "partner_create", views.partner_edit, methods=["GET", "POST"])
bp.add_url_rule("/admin/partners/<int:partner_id>/edit", "partner_edit", views.partner_edit, methods=["GET", "POST"])
bp.add_url_rule("/agreements", "agreement_list", views.agreement_list)
bp.add_url_rule("/agreements/export.csv", "agreement_export", views.agreement_export)
bp.add_url_rule("/agreements/<int:agreement_id>", "agreement_detail", views.agreement_detail)
bp.add_url_rule("/agreements/<int:agreement_id>/document", "agreement_document", views.agreement_document)
bp.add_url_rule("/admin/agreements/new", "agreement_create", views.agreement_edit, methods=["GET", "POST"])
bp.add_url_rule("/admin/agreements/<int:agreement_id>/edit", "agreement_edit", views.agreement_edit,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/agreements/<int:agreement_id>/renew", "agreement_renew", views.agreement_renew,
                methods=["GET", "POST"])
bp.add_url_rule("/admin/agreements/<int:agreement_id>/terminate", "agreement_terminate", views.agreement_terminate,
                methods=["GET", "POST"])
bp.add_url_rule("/practice-bases", "base_list", views.base_list)
bp.add_url_rule("/admin/practice-bases/new", "base_create", views.base_edit, methods=["GET", "POST"])
bp.add_url_rule("/admin/practice-bases/<int:base_id>/edit", "base_edit", views.base_edit, methods=["GET", "POST"])
