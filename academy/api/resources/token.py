"""The token endpoint of the district's systems: client credentials in, an access token of an hour out
(OAuth 2.0 client credentials grant, RFC 6749 §4.4). Errors are problem details carrying the OAuth
`error` code beside them."""
import base64
import binascii
from urllib.parse import unquote

from flask import request
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from academy.api import clients
from academy.api.access import errors, own_credentials
from academy.api.models import ApiScope
from academy.core.errors import problem
from academy.extensions import db, limiter

bp = Blueprint("api_token", __name__, url_prefix="/api/v1/token",
               description="Access tokens for the district's systems, from their client credentials.")

GRANT = "client_credentials"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
BAD_CLIENT = _l("The client credentials are unknown, revoked or wrong.")
BAD_GRANT = _l("Only grant_type=client_credentials is supported.")
BAD_SCOPE = _l("The client was not given every scope asked for.")
NO_CREDENTIALS = _l("Send the client credentials with HTTP Basic authentication (or client_id and client_secret).")


class TokenRequestSchema(Schema):
    grant_type = fields.String(load_default=None, validate=validate.Length(max=40),
                               metadata={"example": GRANT, "description": "Always `client_credentials`."})
    scope = fields.String(load_default=None, validate=validate.Length(max=200),
                          metadata={"description": "Space-separated scopes: some of the client's (default: all)."})
    client_id = fields.String(load_default=None, validate=validate.Length(max=100))
    client_secret = fields.String(load_default=None, validate=validate.Length(max=200))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds the token is valid for."})
    scope = fields.String(required=True)


def _oauth_problem(status: int, error: str, detail):
    headers = dict(NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="api"'
    return problem(status, detail, headers=headers, error=error)


def _presented(form: dict) -> tuple[str, str] | None:
    """The client's id and secret: from HTTP Basic (form-encoded as RFC 6749 §2.3.1 says) or the body."""
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            client_key, colon, secret = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return (unquote(client_key), unquote(secret)) if colon else None
    if form["client_id"] and form["client_secret"]:
        return form["client_id"], form["client_secret"]
    return None


@bp.route("", methods=["POST"])
@own_credentials
@limiter.limit("10 per minute")
@bp.arguments(TokenRequestSchema, location="form")
@bp.response(200, TokenSchema)
@bp.doc(security=[{"client": []}])
@errors(bp, 400, 401)
def issue(form):
    """Trade a system's client credentials for an access token of an hour."""
    if form["grant_type"] != GRANT:
        return _oauth_problem(400, "unsupported_grant_type", BAD_GRANT)
    presented = _presented(form)
    if presented is None:
        return _oauth_problem(401, "invalid_client", NO_CREDENTIALS)
    client = clients.authenticate_client(*presented)
    if client is None:
        return _oauth_problem(401, "invalid_client", BAD_CLIENT)
    asked = set(form["scope"].split()) if form["scope"] else None
    if asked is not None and not asked <= {scope.value for scope in client.scope_set}:
        return _oauth_problem(400, "invalid_scope", BAD_SCOPE)
    row, token = clients.issue_token(client, None if asked is None else [ApiScope(scope) for scope in asked])
    db.session.commit()
    return {"access_token": token, "token_type": "Bearer", "expires_in": int(clients.TOKEN_LIFETIME.total_seconds()),
            "scope": row.scopes}, 200, NO_STORE
