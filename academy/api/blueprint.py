from flask import Blueprint

from academy.api import views

bp = Blueprint("api_tokens", __name__)

bp.add_url_rule("/account/tokens", "token_list", views.token_list)
bp.add_url_rule("/account/tokens", "token_create", views.token_create, methods=["POST"])
bp.add_url_rule("/account/tokens/<int:token_id>/revoke", "token_revoke", views.token_revoke, methods=["POST"])
