"""One place for error pages: views just abort(). Under the JSON API the same errors are answered as
RFC 9457 problem details (application/problem+json)."""
import json

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from academy.extensions import db

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    401: (_l("Not signed in"), _l("A valid access token is needed: send it as \"Authorization: Bearer <token>\".")),
    403: (_l("Not allowed"), _l("Your account does not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Changed meanwhile"), _l("Someone else changed this at the same moment, so nothing was saved. "
                                      "Reload the page, check it and try again.")),
    413: (_l("File too large"), _l("The upload is larger than the allowed size.")),
    415: (_l("Unsupported media type"), _l("Send the request body as JSON (Content-Type: application/json).")),
    422: (_l("Invalid input"), _l("Some of the values sent are not valid; see the errors.")),
    429: (_l("Too many attempts"), _l("Too many requests in a short time. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved; please try again.")),
    503: (_l("Please try again"), _l("The connection to the database was interrupted for a moment, so nothing "
                                     "was saved. Please try again.")),
}
CHANGED_MEANWHILE = ERROR_TEXTS[409][1]


def under_api() -> bool:
    return request.path.startswith(current_app.config["API_PREFIX"] + "/")


def problem(code: int, detail=None, headers=None, **members):
    """A problem details response: the same members for every error of the API."""
    title, message = ERROR_TEXTS.get(code) or (HTTP_STATUS_CODES.get(code, "Error"), HTTP_STATUS_CODES.get(code, ""))
    body = {"type": "about:blank", "title": str(title), "status": code, "detail": str(detail or message), **members}
    headers = dict(headers or {})
    if code == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="api"')
    if code == 503:
        headers.setdefault("Retry-After", "1")
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=code, headers=headers,
                                      mimetype="application/problem+json")


def render_error(code: int, detail: str | None = None):
    if under_api():
        return problem(code, detail)
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.accept_mimetypes.best == "application/json":
        body = {"error": str(title), "message": str(detail or message)}
    else:
        body = render_template("errors/error.html", code=code, title=title, message=detail or message)
    if code == 503:  # a moment's interruption: worth trying again at once
        return body, code, {"Retry-After": "1"}
    return body, code


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _l("The form expired or was sent from another page. Reload it and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if under_api():
            return api_error(error)
        if error.code in ERROR_TEXTS:
            return render_error(error.code)
        return error

    @app.errorhandler(StaleDataError)
    def changed_meanwhile(error):
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)


def api_error(error: HTTPException):
    """An HTTP error under the API: the view's own words if it gave some, and a form's errors by field."""
    data = getattr(error, "data", None) or {}
    members = {}
    if "messages" in data:  # webargs: {location: {field: [messages]}}
        members["errors"] = {field: messages for location in data["messages"].values()
                             for field, messages in location.items()}
    own_words = error.description if error.description != type(error).description else None
    headers = {key: value for key, value in (error.get_headers() if error.code == 405 else [])
               if key == "Allow"}
    return problem(error.code or 500, own_words, headers=headers, **members)


class OperationError(Exception):
    """A business rule refused the operation; the message is shown to the user as is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
