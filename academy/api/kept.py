"""API answers kept like the pages they mirror, never stale: a public resource under the public pages'
version (as the catalogue), a worker's own under that worker's version and the district's (as my learning
and the learning record). The versions live in the database (academy.core.pagecache, personalcache), so
every process drops a kept answer at the commit that changes it; the key also holds the path with its
query, the language and the minute (enrolment windows follow the clock). Only 200 answers are kept."""
import time
from functools import wraps

from flask import current_app, g, request
from sqlalchemy import select

from academy.core.pagecache import PUBLIC, report_result
from academy.core.personalcache import DISTRICT, PersonalVersion
from academy.extensions import db


def _served(key: tuple, families: tuple, view, args, kwargs):
    made = []

    def answer():
        response = view(*args, **kwargs)
        made.append(response)
        return response.get_data() if response.status_code == 200 else None

    body = report_result(key, answer, families)
    if made:  # answered just now: sent as it is
        return made[0]
    return current_app.response_class(body, mimetype="application/json")


def kept_public(view):
    """The same answer for every caller: kept per query, language, minute and public version."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return _served(("api", request.full_path, int(time.time() // 60)), (PUBLIC,), view, args, kwargs)

    return wrapped


def kept_personal(view):
    """The token holder's own answer: kept per holder and their version besides. Put it inside the
    scope check, so that only a request the view may answer reaches it."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        user_id = g.api_token.user_id
        own = db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == user_id)) or 0
        key = ("api", request.full_path, int(time.time() // 60), user_id, own)
        return _served(key, (PUBLIC, DISTRICT), view, args, kwargs)

    return wrapped
