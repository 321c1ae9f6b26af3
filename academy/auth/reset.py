"""Setting a new password without SMS: a one-time link, valid for 24 hours, issued by an administrator
for anyone or by a subdistrict administrator for a worker of their subdistrict, and handed over by them.
Issuing ends earlier links of the same account; using it sets the password under the usual policy and
ends every session; both are audited."""
import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from academy.audit.operations import record
from academy.auth.models import ResetLink, User
from academy.auth.operations import change_password
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db

VALID_FOR = timedelta(hours=24)


def hash_secret(secret: str) -> str:
    """What is kept of a one-time secret (a reset link's token, an SMS sign-in code): an HMAC-SHA256
    keyed with the app's secret key, so that even a six-digit code cannot be found from a copy of the
    table by trying every value."""
    return hmac.new(current_app.config["SECRET_KEY"].encode(), secret.encode(), hashlib.sha256).hexdigest()


def may_issue(actor: User, user: User) -> bool:
    if actor.role == Role.ADMIN:
        return True
    return (actor.role == Role.STREET_ADMIN and user.role == Role.WORKER and user.profile is not None
            and user.profile.subdistrict_id == actor.street_id)


def issue(user: User, *, actor: User, now=None) -> tuple[str, ResetLink]:
    """A new link's secret (shown once) and its record; earlier unused links of the account stop working."""
    if not may_issue(actor, user):
        raise OperationError(_l("You may not issue a reset link for this account."))
    now = now or now_utc()
    db.session.execute(update(ResetLink).where(ResetLink.user_id == user.id, ResetLink.used_at.is_(None))
                       .values(expires_at=now))
    token = secrets.token_urlsafe(24)
    link = ResetLink(user_id=user.id, token_hash=hash_secret(token), issued_by_id=actor.id, issued_at=now,
                     expires_at=now + VALID_FOR)
    db.session.add(link)
    db.session.flush()
    record("user.reset_link", user, actor=actor, expires=link.expires_at.isoformat())
    return token, link


def valid_link(token: str, now=None) -> ResetLink | None:
    """The link this secret opens, if it is unused and not expired."""
    if not token or len(token) > 64:
        return None
    link = db.session.scalar(select(ResetLink).where(ResetLink.token_hash == hash_secret(token)))
    if link is None or link.used_at is not None or link.expires_at <= (now or now_utc()):
        return None
    return link


def redeem(token: str, password: str, now=None) -> User:
    """Set the password through the link, once: a second use (or a race with another) is refused."""
    now = now or now_utc()
    link = valid_link(token, now)
    if link is None or not link.user.active:
        raise OperationError(_l("This link has expired or was already used. Ask for a new one."))
    used = db.session.execute(update(ResetLink).where(ResetLink.id == link.id, ResetLink.used_at.is_(None))
                              .values(used_at=now))
    if used.rowcount != 1:
        raise OperationError(_l("This link has expired or was already used. Ask for a new one."))
    change_password(link.user, password, actor=link.user)
    record("user.reset_link_used", link.user, actor=link.user)
    return link.user
