from flask import Blueprint

from academy.api import client_views, views

bp = Blueprint("api_tokens", __name__)

bp.add_url_rule("/account/tokens", "token_list", views.token_list)
bp.add_url_rule("/account/tokens", "token_create", views.token_create, methods=["POST"])
bp.add_url_rule("/account/tokens/<int:token_id>/revoke", "token_revoke", views.token_revoke, methods=["POST"])
bp.add_url_rule("/admin/api-clients", "client_list", client_views.client_list)
bp.add_url_rule("/admin/api-clients", "client_create", client_views.client_create, methods=["POST"])
bp.add_url_rule("/admin/api-clients/<int:client_id>/revoke", "client_revoke", client_views.client_revoke,
                methods=["POST"])
