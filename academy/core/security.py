"""Response headers on every response, and the idle timeout of signed-in sessions."""
from datetime import datetime, timezone

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import logout_user

from academy.core.errors import under_api
from academy.core.urls import refuse_out_of_range_pages

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def refuse_nul_characters():
    """No text a person types contains NUL; PostgreSQL cannot store it, so refuse it at the door."""
    sent = request.form.values() if request.method not in ("GET", "HEAD") else ()  # a read carries no form
    values = list(request.args.values()) + list(sent) + [
        value for value in (request.view_args or {}).values() if isinstance(value, str)]
    if any("\x00" in value for value in values):
        abort(400)


def end_idle_sessions():
    """Sign out a session left unused longer than IDLE_TIMEOUT_MINUTES."""
    if "_user_id" not in session or under_api():  # the API signs no one in by cookie
        return None
    now = datetime.now(timezone.utc).timestamp()
    last_seen = session.get("last_seen")
    limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    if last_seen is not None and now - last_seen > limit:
        logout_user()
        session.clear()
        flash(_l("You were signed out after a period without activity. Please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if last_seen is None or now - last_seen > 30:  # keep the cookie quiet: refresh at most twice a minute
        session["last_seen"] = now
    return None


class KeptSigningSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, its signing serializer made once per set of keys instead of twice a
    request (making one signs an empty value to test itself: a measurable share of the app's floor)."""

    def __init__(self):
        self._kept = None

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._kept is None or self._kept[0] != keys:
            self._kept = (keys, super().get_signing_serializer(app))
        return self._kept[1]

    def open_session(self, app, request):
        """Under the JSON API no session at all: a cookie signs no API request in (academy.api.core), so it
        is not read, and an API answer neither varies with it nor sets one. The interactive docs are a page
        of the site (its language switch is a form with its CSRF token, kept in the session)."""
        prefix = app.config["API_PREFIX"]
        if request.path.startswith(prefix + "/") and request.path != prefix + "/docs":
            return self.make_null_session(app)
        return super().open_session(app, request)


def init_security(app):
    app.session_interface = KeptSigningSessionInterface()
    app.after_request(set_security_headers)
    app.before_request(refuse_nul_characters)
    app.before_request(refuse_out_of_range_pages)
    app.before_request(end_idle_sessions)
