"""Client credentials for the district's systems: created and revoked by an administrator, traded for an
access token of an hour (OAuth 2.0 client credentials grant, RFC 6749 §4.4). The secret is shown once."""
import hmac
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.api.models import CLIENT_SCOPES, ApiClient, ApiScope, ApiToken
from academy.api.tokens import TOKEN_PREFIX, digest
from academy.audit.operations import record
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db

CLIENT_PREFIX = "dcsc_"
TOKEN_LIFETIME = timedelta(hours=1)


def create_client(actor, *, name: str, scopes, subdistrict_id: int | None) -> tuple[ApiClient, str]:
    """A new client: the row (its client_id is public) and the secret to show once."""
    wanted = {ApiScope(scope) for scope in scopes}
    if not wanted:
        raise OperationError(_l("Choose at least one permission for the system."), field="scopes")
    if not wanted <= set(CLIENT_SCOPES):
        raise OperationError(_l("A system can only be given permissions to read."), field="scopes")
    secret = secrets.token_urlsafe(32)
    client = ApiClient(name=name.strip(), client_key=CLIENT_PREFIX + secrets.token_hex(8), secret_digest=digest(secret),
                       scopes=" ".join(sorted(scope.value for scope in wanted)), subdistrict_id=subdistrict_id,
                       created_by_id=actor.id)
    db.session.add(client)
    db.session.flush()
    record("api_client.create", client, actor=actor, name=client.name, scopes=client.scopes,
           subdistrict_id=subdistrict_id)
    return client, secret


def revoke_client(client: ApiClient, *, actor) -> None:
    """The client and every token it holds stop opening the API at once."""
    if client.revoked_at is not None:
        raise OperationError(_l("This system's credentials were revoked already."))
    client.revoked_at, client.revoked_by_id = now_utc(), actor.id
    record("api_client.revoke", client, actor=actor, name=client.name)


def clients(limit: int = 100) -> list[ApiClient]:
    """The clients, newest first (a district has a handful of systems)."""
    return db.session.scalars(select(ApiClient).order_by(ApiClient.id.desc()).limit(limit)).all()


def authenticate_client(client_key: str, secret: str) -> ApiClient | None:
    """The client these credentials name, if the secret is its own and it is not revoked."""
    if not client_key.startswith(CLIENT_PREFIX) or len(client_key) > 40 or len(secret) > 100:
        return None
    client = db.session.scalars(select(ApiClient).where(ApiClient.client_key == client_key)).first()
    if client is None or client.revoked_at is not None:
        return None
    return client if hmac.compare_digest(client.secret_digest, digest(secret)) else None


def issue_token(client: ApiClient, scopes=None) -> tuple[ApiToken, str]:
    """An access token of the client for an hour, carrying the scopes asked for (all the client's if none)."""
    wanted = client.scope_set if scopes is None else {ApiScope(scope) for scope in scopes}
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(client_id=client.id, name=client.name[:60], digest=digest(token), prefix=token[:12],
                   scopes=" ".join(sorted(scope.value for scope in wanted)),
                   expires_at=now_utc() + TOKEN_LIFETIME)
    db.session.add(row)
    db.session.flush()
    row.client = client
    record("api_client.token", client, actor=None, token_id=row.id, scopes=row.scopes)
    return row, token
