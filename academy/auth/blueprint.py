from flask import Blueprint

from academy.auth import admin_views, reset_views, sms_views, views

bp = Blueprint("auth", __name__)

bp.add_url_rule("/register", "register", views.register, methods=["GET", "POST"])
bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/login/sms", "sms_login", sms_views.sms_login, methods=["GET", "POST"])
bp.add_url_rule("/login/sms/code", "sms_code", sms_views.sms_code, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
bp.add_url_rule("/account", "account", views.account)
bp.add_url_rule("/account/profile", "profile", views.profile, methods=["GET", "POST"])
bp.add_url_rule("/account/password", "password", views.password, methods=["GET", "POST"])

bp.add_url_rule("/admin/users", "user_list", admin_views.user_list)
bp.add_url_rule("/admin/users/new", "user_create", admin_views.user_create, methods=["GET", "POST"])
bp.add_url_rule("/admin/users/<int:user_id>", "user_detail", admin_views.user_detail)
bp.add_url_rule(
    "/admin/users/<int:user_id>/password", "user_reset_password", admin_views.user_reset_password, methods=["POST"]
)
bp.add_url_rule("/admin/users/<int:user_id>/active", "user_set_active", admin_views.user_set_active, methods=["POST"])
bp.add_url_rule("/admin/users/<int:user_id>/qualification", "user_verify_qualification",
                admin_views.user_verify_qualification, methods=["POST"])
bp.add_url_rule("/admin/users/<int:user_id>/sign-out", "user_sign_out", admin_views.user_sign_out, methods=["POST"])
bp.add_url_rule("/admin/users/<int:user_id>/reset-link", "reset_link_issue", reset_views.reset_link_issue,
                methods=["POST"])
bp.add_url_rule("/reset/<token>", "password_reset", reset_views.password_reset, methods=["GET", "POST"])
