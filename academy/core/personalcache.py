"""Versions of a worker's own pages (my learning, the learning record): a counter per worker in
`personal_versions`, incremented by every commit that changes what those pages show, and a
district-wide one for changes no single worker owns. Which rows those are, each model declares
(`Feeds.owner`, `owner_through`, `everyone`); the pages are served from academy.site.personal_pages.
"""
from functools import lru_cache

from sqlalchemy import ForeignKey, select
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.database import upsert
from academy.core.derived import Dependent, model_named, register, state
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.pagecache import bump_version
from academy.extensions import db

DISTRICT = "personal-pages"  # the page_versions row for changes no single worker owns


class PersonalVersion(db.Model):
    """A counter per worker, incremented by every commit that changes what the worker's own pages show."""

    __tablename__ = "personal_versions"
    __feeds__ = Feeds()  # the versions themselves
    __personal__ = Personal()  # a cache counter

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


class _Pending:
    def __init__(self):
        self.workers: set[int] = set()
        self.through: dict[str, set[int]] = {}  # model name: ids of its rows whose owners are bumped
        self.queries: list = []  # statements selecting further workers, read at commit
        self.everyone = False


def _collect(session, changes) -> None:
    pending = state(session, "personal", _Pending)
    for change in changes:
        feeds = change.feeds
        if change.bulk and (feeds.owner or feeds.owner_through):
            pending.everyone = True
        elif feeds.owner:
            pending.workers |= change.owners
        elif feeds.owner_through:
            column, model = feeds.owner_through
            values = {getattr(change.obj, column, None)} if change.obj is not None else change.ids
            for value in values:
                if value:
                    _through(session, pending, model, value)
        if feeds.everyone:
            pending.everyone = True


def _through(session, pending: _Pending, model_name: str, row_id: int) -> None:
    """The owner of the row `row_id` of `model_name`: at once when the session holds that row loaded (a
    scan's enrolment, read with its seat), else read at commit with the others."""
    model = model_named(model_name)
    held = session.identity_map.get(identity_key(model, row_id))
    owner = held.__dict__.get(model.__feeds__.owner) if held is not None else None
    if owner is not None:
        pending.workers.add(owner)
    else:
        pending.through.setdefault(model_name, set()).add(row_id)


def note_workers(session, worker_ids=(), *, query=None) -> None:
    """These workers' pages change in this transaction (and those of the workers `query` selects at
    commit): for changes the declarations cannot see, such as places moving on a waitlist."""
    pending = state(session, "personal", _Pending)
    pending.workers |= set(worker_ids)
    if query is not None:
        pending.queries.append(query)


@lru_cache(maxsize=None)
def _bump_statement(dialect_name: str):
    statement = upsert(dialect_name, PersonalVersion)
    return statement.on_conflict_do_update(index_elements=[PersonalVersion.user_id],
                                           set_={"version": PersonalVersion.version + 1})


def _owners_of(connection, model_name: str, ids: set) -> set:
    model = model_named(model_name)
    owner = getattr(model, model.__feeds__.owner)
    return set(connection.scalars(select(owner).where(model.id.in_(sorted(ids)))))


def _at_commit(session) -> None:
    pending = state(session, "personal", _Pending)
    connection = session.connection()
    workers = set(pending.workers)
    for model_name, ids in pending.through.items():
        workers |= _owners_of(connection, model_name, ids)
    for query in pending.queries:
        workers |= set(connection.scalars(query))
    workers.discard(None)
    if workers:  # in one order everywhere: concurrent commits take the rows without deadlock
        connection.execute(_bump_statement(connection.dialect.name),
                           [{"user_id": worker_id, "version": 1} for worker_id in sorted(workers)])
    if pending.everyone:
        bump_version(session, DISTRICT)


def init_personal_cache() -> None:
    register(Dependent("personal versions", order=50, collect=_collect, late=_collect, at_commit=_at_commit))
