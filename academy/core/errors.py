"""One place for error pages: views just abort()."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from academy.extensions import db

ERROR_TEXTS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Changed meanwhile"), _l("Someone else changed this at the same moment, so nothing was saved. "
                                      "Reload the page, check it and try again.")),
    413: (_l("File too large"), _l("The upload is larger than the allowed size.")),
    429: (_l("Too many attempts"), _l("Too many requests in a short time. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved; please try again.")),
    503: (_l("Please try again"), _l("The connection to the database was interrupted for a moment, so nothing "
                                     "was saved. Please try again.")),
}
CHANGED_MEANWHILE = ERROR_TEXTS[409][1]


def render_error(code: int, detail: str | None = None):
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


class OperationError(Exception):
    """A business rule refused the operation; the message is shown to the user as is."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
