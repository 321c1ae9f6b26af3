from flask import Blueprint

from academy.site import health, views

bp = Blueprint("site", __name__)

bp.add_url_rule("/", "home", views.home)
bp.add_url_rule("/language", "language", views.language, methods=["POST"])
bp.add_url_rule("/healthz", "healthz", health.healthz)
bp.add_url_rule("/favicon.ico", "favicon", views.favicon)
