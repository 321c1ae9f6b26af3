"""Caches that are never stale: whole public pages for anonymous visitors, report results, the main menu.

Those pages are the same for every anonymous visitor but for the session's CSRF token, so the first
rendering is kept (the token replaced by a placeholder) and later visitors get it back with their own
token. The key holds the path with its query, the language, the minute (enrolment windows open and
close by the clock) and a version in the database that every commit changing what the pages show
increments: a course, its sessions or seats, a programme, an org unit or an instructor's name. The
version lives in the database, so every gunicorn process and every machine drops stale pages at once.
Signed-in users, flashed messages and anything but a 200 are never cached here (a worker's own pages
have their cache in `personalcache`).

Report results (the progress report's rows, the dashboard's figures, with their rendering) are kept
the same way under a second version, which the reports' summary tables increment whenever a commit
changes them, or under whichever versions a result names for what it shows. The main menu depends on
no data at all: it is kept per role, language and page.
"""
import time
from collections import OrderedDict
from functools import lru_cache, wraps
from threading import Lock

from flask import Response, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import String, insert, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.database import READ_ONLY_METHODS, read_outside_session
from academy.core.derived import Dependent, register, state
from academy.core.feeds import Feeds
from academy.extensions import db

PUBLIC = "public-pages"
REPORTS = "reports"
NAMES = "names"  # programmes' and subdistricts' names, kept per process (academy.programmes.names)
PLACEHOLDER = "\x00csrf-token\x00"  # never valid in HTML, so never present in a page by accident


class PageVersion(db.Model):
    """A counter per cached family of pages, incremented by every commit that changes them."""

    __tablename__ = "page_versions"
    __feeds__ = Feeds()  # the versions themselves

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class Store(OrderedDict):
    """Pages or results of one kind kept in this process, the most recently used last."""

    every: list = []

    def __init__(self, capacity: int):
        super().__init__()
        self.capacity = capacity
        Store.every.append(self)


_pages = Store(512)  # the catalogue's filter combinations seen most recently
_results = Store(512)
_menus = Store(256)  # the main menu per role, language and page
_names = Store(16)  # names that nearly every page shows (programmes, subdistricts)
_lock = Lock()


def clear_page_cache(*, names: bool = False) -> None:
    """Forget every kept page and result (and, with `names`, the kept names too)."""
    with _lock:
        for store in Store.every:
            if names or store is not _names:
                store.clear()


@lru_cache(maxsize=1)
def _versions_statement():
    table = PageVersion.__table__
    return select(table.c.name, table.c.version)


def _current_versions() -> dict:
    """Every family's version (a handful of rows) in one query, outside the session when it has not
    begun (it is the whole of a page served from the cache); once per request that writes nothing."""
    if not (has_request_context() and request.method in READ_ONLY_METHODS):
        return dict(read_outside_session(db.session, _versions_statement()))
    if "page_versions" not in g:
        g.page_versions = dict(read_outside_session(db.session, _versions_statement()))
    return g.page_versions


def versions(*names: str) -> tuple:
    """The current versions of these families, as part of a cache key."""
    current = _current_versions()
    return tuple(current.get(name, 0) for name in names)


@lru_cache(maxsize=None)
def _bump_statement(names: tuple):
    table = PageVersion.__table__
    return update(table).where(or_(*(table.c.name == name for name in names))).values(version=table.c.version + 1)


def _bump_now(session, names: set) -> None:
    names = tuple(sorted(names))  # one order everywhere: concurrent commits take the rows without deadlock
    connection = session.connection()
    if connection.execute(_bump_statement(names)).rowcount < len(names):  # a family's first change
        present = set(connection.scalars(select(PageVersion.name).where(PageVersion.name.in_(names))))
        connection.execute(insert(PageVersion.__table__), [{"name": name, "version": 1}
                                                           for name in names if name not in present])


def all_versions() -> dict:
    """Every family's version: {name: version}."""
    return dict(db.session.connection().execute(select(PageVersion.name, PageVersion.version)).all())


def move_past(earlier: dict) -> None:
    """After a restore: every version moves past both the value it was restored to and the value it had
    before, so that no process can serve a page it kept under a version the restored data reuses."""
    restored = all_versions()
    for name in sorted(earlier.keys() | restored.keys()):
        value = max(earlier.get(name, 0), restored.get(name, 0)) + 1
        if name in restored:
            db.session.execute(update(PageVersion).where(PageVersion.name == name).values(version=value))
        else:
            db.session.add(PageVersion(name=name, version=value))
    db.session.commit()


def remember(store: Store, key, compute):
    """compute() once per key while `store` keeps it (a None result is not kept)."""
    with _lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = compute()
    if value is not None:  # None: nothing to keep
        with _lock:
            store[key] = value
            while len(store) > store.capacity:
                store.popitem(last=False)
    return value


def navigation_menu() -> Markup:
    """The main menu, rendered once per role, language and page (whose link it marks current) and kept:
    it is the same for everyone with that role, changes with no data, and was a third of the rendering
    of a signed-in page's layout."""
    role = current_user.role if current_user.is_authenticated else None
    return remember(_menus, (role, str(get_locale()), request.endpoint),
                     lambda: Markup(render_template("_nav_menu.html", role=role)))  # nosec B704: autoescaped


def report_result(key: tuple, compute, families: tuple = (PUBLIC, REPORTS)):
    """compute() once per key, language and version of the reports and of the names shown in them (or of
    the `families` named: whatever the result shows must bump one of them when it changes)."""
    return remember(_results, (key, str(get_locale()), versions(*families)), compute)


def kept_while_current(key, families: tuple, load):
    """load() once per process and version of `families`: data that changes a few times a year and is
    shown nearly everywhere; every process sees a change at its next call."""
    return remember(_names, (key, versions(*families)), load)


def serve_kept(store: Store, key, view, *args, **kwargs):
    """The page kept under `key` with this visitor's own CSRF token, else the view's response (a page,
    kept with a placeholder for the token; a redirect or an error is sent as it is and not kept)."""
    rendered = []

    def render():
        response = view(*args, **kwargs)
        rendered.append(response)
        return response.replace(generate_csrf(), PLACEHOLDER) if isinstance(response, str) else None

    page = remember(store, key, render)
    if rendered:  # rendered just now: sent as it is
        return rendered[0]
    return Response(page.replace(PLACEHOLDER, generate_csrf()), mimetype="text/html")


def public_page(view):
    """Serve the view's page from the cache to anonymous visitors (see the module's docstring)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated or request.method != "GET" or session.get("_flashes"):
            return view(*args, **kwargs)
        key = (request.full_path, str(get_locale()), int(time.time() // 60), versions(PUBLIC))
        return serve_kept(_pages, key, view, *args, **kwargs)

    wrapped.public_page = True  # found by the test that every table such a page reads is declared public
    return wrapped


# -- what changes the public pages -------------------------------------------------------------------

def _collect(session, changes) -> None:
    """The families these changes show in: the public pages for a model that declares them (or only
    some of its columns), and whatever further families a model names."""
    families = state(session, "families", set)
    for change in changes:
        if change.feeds.shows_publicly(change.columns, change.new):
            families.add(PUBLIC)
        families.update(change.feeds.families)


def note_public_change(session) -> None:
    """The public pages change in this transaction: for writes that bypass the session."""
    bump_version(session, PUBLIC)


def bump_version(session, name: str) -> None:
    """Mark every cached page or result of this family stale, everywhere, when the transaction commits
    (every family a transaction bumps is bumped by one statement, the last before COMMIT)."""
    state(session, "families", set).add(name)


def _bump_at_commit(session) -> None:
    names = state(session, "families", set)
    if names:
        _bump_now(session, names)


def init_page_cache() -> None:
    register(Dependent("page versions", order=100, collect=_collect, at_commit=_bump_at_commit))
