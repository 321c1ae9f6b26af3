"""The JSON API's frame: flask-smorest for the routes and the OpenAPI description, bearer tokens for who
is asking, problem details for every error (academy.core.errors), a rate limit per token (academy.api.rate).

flask-smorest rather than APIFlask: it is an extension of the Flask app the pages already run on (APIFlask
replaces the app class), and its marshmallow schemas describe both what is answered and what is taken."""
import http
import logging
import logging.handlers

from flask import current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from academy.api import rate
from academy.api.holder import load_token
from academy.api.schemas import ProblemSchema
from academy.core.errors import problem, under_api
from academy.extensions import csrf, limiter, login_manager

log = logging.getLogger("academy.api")
PROBLEM = "application/problem+json"

NOT_A_BEARER = _l("Send the token as \"Authorization: Bearer <token>\".")


class AcademyApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        """Errors are answered by academy.core.errors, as problem details under the API."""

    def _register_responses(self):
        """Every error documented as the problem details it is answered with."""
        for status in http.HTTPStatus:
            if status >= 400:
                response = {"description": status.phrase, "schema": ProblemSchema}
                prepare_response(response, self.spec, PROBLEM)
                self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any error, as problem details (RFC 9457).", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_swagger_ui_rule(self, blueprint):
        """The interactive docs, from the static files of the project (no CDN, the site's CSP)."""
        blueprint.add_url_rule("/docs", endpoint="openapi_swagger_ui", view_func=_docs_page)


api = AcademyApi()


def _docs_page():
    response = current_app.make_response(render_template("api/docs.html"))
    # Swagger UI styles its widgets inline; this page alone allows it (scripts stay 'self' only)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    return response


def authenticate():
    """Who is asking: the holder of the bearer token, or nobody. A cookie never signs an API request in,
    so the API needs no CSRF token."""
    if not under_api():
        return None
    g._login_user = login_manager.anonymous_user()
    g.api_token = g.api_presented = g.api_holder = None
    header = request.headers.get("Authorization")
    scheme, _, presented = (header or "").partition(" ")
    bearer = presented.strip() if scheme.lower() == "bearer" else ""
    refused, g.api_rate_headers = rate.check(bearer)  # counted first: an unknown token's tries count too
    if refused is not None:
        return refused
    view = current_app.view_functions.get(request.endpoint)
    if header is None or getattr(view, "own_credentials", False):
        return None
    if not bearer:
        return problem(401, NOT_A_BEARER)
    g.api_presented = bearer
    if request.method == "GET" and getattr(view, "kept_for_holder", False):
        return None  # the kept answer reads the token with its versions, in one statement (academy.api.kept)
    return load_token()


def finish(response):
    """Reads carry an ETag (If-None-Match answers 304); every use of a token goes to the API's access log
    (the audit trail has each change it makes)."""
    if not under_api():
        return response
    response.headers.update(g.get("api_rate_headers") or {})
    if request.method == "GET" and response.status_code == 200 and not response.direct_passthrough:
        response.add_etag()
        if request.if_none_match:  # the one condition an API read answers
            response.make_conditional(request)
        response.vary.update(("Authorization", "Accept-Language"))
        response.headers.setdefault("Cache-Control", "private, no-cache")
    if g.get("api_holder") is not None:
        token_id, holder = g.api_holder
        log.info("api token=%s %s %s %s %s", token_id, holder, request.method,
                 request.full_path.rstrip("?"), response.status_code)
    return response


_access_handler: logging.Handler | None = None


def configure_access_log(app) -> None:
    """The access log is written where API_ACCESS_LOG says, whatever the deployment configured for logging:
    without a handler and a level of its own, Python drops INFO lines and the log would be empty."""
    global _access_handler
    if _access_handler is not None:  # an application made again in the same process (the tests) replaces it
        log.removeHandler(_access_handler)
        _access_handler.close()
        _access_handler = None
    where = app.config["API_ACCESS_LOG"]
    if not where:
        return
    handler = logging.StreamHandler() if where == "-" else logging.handlers.WatchedFileHandler(where, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _access_handler = handler


def init_api(app) -> None:
    from academy.api.resources import RESOURCES

    configure_access_log(app)

    api.init_app(app, spec_kwargs={"info": {"description": _API_DESCRIPTION}})
    api.spec.components.security_scheme("bearer", {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token, or a system's token from POST /api/v1/token (docs/api.md)."})
    api.spec.components.security_scheme("client", {
        "type": "http", "scheme": "basic",
        "description": "A system's client_id and client_secret, given by an administrator (docs/api.md)."})
    for blueprint in RESOURCES:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.before_request(authenticate)
    app.after_request(finish)


@limiter.request_filter
def _counted_by_the_api() -> bool:
    """Flask-Limiter leaves the API's requests to academy.api.rate, but for a view of its own credentials
    (POST /api/v1/token), which keeps its own limit as well."""
    if not under_api():
        return False
    return not getattr(current_app.view_functions.get(request.endpoint), "own_credentials", False)


_API_DESCRIPTION = (
    "The academy's data and actions for the district's other systems. Send a personal access token, or a "
    "system's token obtained with its client credentials from `POST /api/v1/token`, as "
    "`Authorization: Bearer <token>`; every error is an RFC 9457 problem (`application/problem+json`). "
    "Times are ISO 8601 in Beijing time with their offset, hours are decimal strings, enumerations are "
    "`{code, label}` with the label in the language of `Accept-Language`.")

