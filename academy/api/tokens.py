"""Personal access tokens: created and revoked by their holder, found by the digest of what a request
presents (a client's tokens too, academy.api.clients). The token itself is shown once and never stored."""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.api.models import SCOPES_OF_ROLE, ApiScope, ApiToken
from academy.audit.operations import record
from academy.auth.models import User
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db

TOKEN_PREFIX = "dcsa_"
MAX_DAYS = 365
EXPIRY_CHOICES = (30, 90, 180, 365)  # days


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def scopes_for(user) -> tuple[ApiScope, ...]:
    return SCOPES_OF_ROLE.get(user.role, ())


def create(user, *, name: str, scopes, days: int) -> tuple[ApiToken, str]:
    """A new token of `user`: the row, and the token to show once."""
    allowed = set(scopes_for(user))
    wanted = {ApiScope(scope) for scope in scopes}
    if not wanted:
        raise OperationError(_l("Choose at least one permission for the token."), field="scopes")
    if not wanted <= allowed:
        raise OperationError(_l("Your account cannot give a token that permission."), field="scopes")
    if not 1 <= days <= MAX_DAYS:
        raise OperationError(_l("A token is valid for 1 to 365 days."), field="days")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip(), digest=digest(token), prefix=token[:12],
                   scopes=" ".join(sorted(scope.value for scope in wanted)),
                   expires_at=now_utc() + timedelta(days=days))
    db.session.add(row)
    db.session.flush()
    record("api_token.create", row, actor=user, name=row.name, scopes=row.scopes, days=days)
    return row, token


def revoke(row: ApiToken, *, actor) -> None:
    if row.revoked_at is not None:
        raise OperationError(_l("This token was revoked already."))
    row.revoked_at = now_utc()
    record("api_token.revoke", row, actor=actor, name=row.name)


def tokens_of(user_id: int, limit: int = 50) -> list[ApiToken]:
    """A holder's tokens, newest first (the last 50: older ones are expired by then)."""
    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                              .order_by(ApiToken.id.desc()).limit(limit)).all()


def find(presented: str) -> ApiToken | None:
    """The token a request presents, with its holder loaded (whether or not it may still be used)."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 100:
        return None
    return db.session.scalars(select(ApiToken).where(ApiToken.digest == digest(presented))
                              .options(joinedload(ApiToken.user).joinedload(User.profile),
                                       joinedload(ApiToken.client))).first()
