"""API answers kept like the pages they mirror, never stale: a public resource under the public pages'
version (as the catalogue), a worker's own under that worker's version and the district's (as my learning
and the learning record). The versions live in the database (academy.core.pagecache, personalcache), so
every process drops a kept answer at the commit that changes it; the key also holds the path with its
query, the language and the minute (enrolment windows follow the clock). Only 200 answers are kept.

A worker's kept answer costs one statement, as a kept page does: the token, whether it and its account may
still be used, and the three versions are read together, outside the ORM session (read_outside_session).
"""
import time
from datetime import datetime, timezone
from functools import lru_cache, wraps

from flask import current_app, g, request
from flask_babel import get_locale
from sqlalchemy import bindparam, func, select

from academy.api import tokens
from academy.api.holder import load_token
from academy.api.models import ApiToken
from academy.auth.models import User
from academy.core.database import read_outside_session
from academy.core.models import now_utc
from academy.core.pagecache import PUBLIC, PageVersion, Store, remember, report_result
from academy.core.personalcache import DISTRICT, PersonalVersion
from academy.extensions import db

_answers = Store(512)  # the token holders' own answers


def _answer(keep, make):
    """make()'s response, its body and ETag kept by keep(compute) when it is a 200; a kept body is sent as
    JSON with its kept ETag (the API's frame hashes only the bodies it has not seen)."""
    made = []

    def compute():
        response = make()
        made.append(response)
        if response.status_code != 200:
            return None
        response.add_etag()
        return response.get_data(), response.get_etag()[0]

    kept = keep(compute)
    if made:  # answered just now: sent as it is
        return made[0]
    body, etag = kept
    response = current_app.response_class(body, mimetype="application/json")
    response.set_etag(etag)
    return response


def kept_public(view):
    """The same answer for every caller: kept per query, language, minute and public version."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = ("api", request.full_path, int(time.time() // 60))
        return _answer(lambda compute: report_result(key, compute, (PUBLIC,)), lambda: view(*args, **kwargs))

    return wrapped


@lru_cache(maxsize=1)
def _holder_statement():
    """The token, its holder and whether both may still be used, with the three versions its answers follow."""
    def version_of(name):
        return select(PageVersion.version).where(PageVersion.name == name).scalar_subquery()

    own = select(PersonalVersion.version).where(PersonalVersion.user_id == ApiToken.user_id).scalar_subquery()
    return (select(ApiToken.id, ApiToken.user_id, User.role, ApiToken.revoked_at.is_(None), ApiToken.expires_at,
                   User.active, func.coalesce(own, 0), version_of(PUBLIC), version_of(DISTRICT))
            .join(User, User.id == ApiToken.user_id).where(ApiToken.digest == bindparam("digest")))


def _utc(value) -> datetime:
    """A time as the driver gives it (a datetime, or SQLite's text) in UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _holder_key():
    """The key of the presented token's kept answer, or None when only the full path may answer: an
    unknown, revoked or expired token, or an account no longer active."""
    presented = g.get("api_presented")
    if g.get("api_token") is not None or not presented or not presented.startswith(tokens.TOKEN_PREFIX):
        return None
    rows = read_outside_session(db.session, _holder_statement(), {"digest": tokens.digest(presented)})
    if not rows:
        return None
    token_id, user_id, role, live, expires_at, active, *versions = rows[0]
    if not (live and active) or _utc(expires_at) <= now_utc():
        return None
    g.api_holder = (token_id, f"user={user_id}")  # the access log's line
    return ("api", request.full_path, str(get_locale()), int(time.time() // 60), token_id, str(role), *versions)


def _full(view, args, kwargs):
    """The answer made as for any request: the token loaded (or refused) first, then the scope check."""
    if g.get("api_token") is None and g.get("api_presented"):
        refused = load_token()
        if refused is not None:
            return refused
    return view(*args, **kwargs)


def kept_personal(view):
    """The token holder's own answer, kept per token, its holder's role and the versions of their data, of
    the district's and of the public pages. Put it above the scope check: an answer is kept only when that
    check let it be made, and a token's scopes never change."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        key = _holder_key()
        if key is None:
            return _full(view, args, kwargs)
        return _answer(lambda compute: remember(_answers, key, compute), lambda: _full(view, args, kwargs))

    wrapped.kept_for_holder = True  # authenticate() leaves the token to it
    return wrapped
