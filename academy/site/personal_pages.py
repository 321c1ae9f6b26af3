"""A signed-in person's own pages served again while nothing on them changed: a worker's (my learning, the
learning record, a course page as they see it) and the public pages (home, programmes, partners, the
catalogue) as everyone signed in sees them, under their own header.

One query answers whether the kept page is still right: it reads the signed-in account (active, its
session version, role, language, unread notifications for the header) together with three versions:
the public pages' (course titles, dates and seats, programme and instructors' names), the worker's own
(academy.core.personalcache) and the district-wide one. The versions live in the database, so every
process and machine sees a change at once; the key also holds the path, the language and the minute,
as the pages' dates and the right to withdraw follow the clock.

Only GET requests of an active account holding one of the page's roles, with no flashed message waiting,
are served from the cache; anything else runs the view as usual.
"""
import time
from functools import lru_cache, wraps

from flask import request, session
from sqlalchemy import bindparam, func, select

from academy.auth.models import User
from academy.core.database import read_outside_session
from academy.core.i18n import account_locale, cookie_locale
from academy.core.pagecache import PUBLIC, PageVersion, Store, serve_kept
from academy.core.permissions import Role
from academy.core.personalcache import DISTRICT, PersonalVersion
from academy.extensions import db
from academy.notifications.operations import unread_count_column

_kept = Store(1024)  # a few pages for each of the workers signed in lately


@lru_cache(maxsize=1)
def _viewer_statement():
    def version_of(name):
        return select(PageVersion.version).where(PageVersion.name == name).scalar_subquery()

    own = select(PersonalVersion.version).where(PersonalVersion.user_id == User.id).scalar_subquery()
    return (select(User.active, User.session_version, User.role, User.locale, unread_count_column(User.id),
                   func.coalesce(own, 0), version_of(PUBLIC), version_of(DISTRICT))
            .where(User.id == bindparam("user_id")))


def _key_for(roles):
    """The cache key of this request, or None when it is not one the cache may answer."""
    if request.method != "GET" or session.get("_flashes"):
        return None
    user_id, _, version = str(session.get("_user_id", "")).partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    rows = read_outside_session(db.session, _viewer_statement(), {"user_id": int(user_id)})
    if not rows:
        return None
    active, session_version, account_role, locale, unread, *versions = rows[0]
    if not active or session_version != int(version) or account_role not in roles:
        return None  # the view answers: to sign-in, or 403
    return (request.full_path, cookie_locale() or account_locale(locale), int(time.time() // 60),
            int(user_id), str(account_role), unread, *versions)


def personal_page(*roles):
    """Serve the view's page from the cache to the signed-in account it belongs to, when it holds one of
    `roles` (see the docstring). Put it outside the view's permission check: a request it does not answer
    goes through that check."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            key = _key_for(roles)
            if key is None:
                return view(*args, **kwargs)
            return serve_kept(_kept, key, view, *args, **kwargs)

        return wrapped

    return decorate


def everyone_page(view):
    """A public page as everyone signed in sees it: the public pages' content under the person's own header
    and menu (their role is in the key, for a role's own buttons), kept per person. Only for views whose
    page shows nothing else of the person or their role's data."""
    return personal_page(*Role)(view)
