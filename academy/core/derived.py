"""One mechanism for derived data (summary tables, page versions): what a transaction changed is
collected from the models' declarations (academy.core.feeds) and handed, at commit, to every
dependent in an explicit order.

Changes come from the flush (new, changed and deleted objects of models that feed something) and
from `note()`, which writes that bypass the flush (Core statements) call before they change the rows.
A dependent registers a `collect(session, changes)` hook, called while the rows are still as they
were, and an `at_commit(session)` hook; they run in ascending `order` (the summary tables first, the
page versions last, so the version rows are locked only for the commit). A rolled-back transaction
forgets everything it collected.
"""
from dataclasses import dataclass, field
from itertools import chain

from functools import lru_cache

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from academy.core.feeds import Feeds, feeds_of
from academy.extensions import db

STATE_KEY = "academy.derived"


@dataclass
class Change:
    """One row (or, from `note`, several rows) of `model` about to change."""

    model: type
    feeds: Feeds
    columns: frozenset  # the changed columns; every column for a new or deleted row
    owners: set = field(default_factory=set)  # worker ids known before the flush
    ids: set = field(default_factory=set)  # the rows' own ids, where known
    obj: object = None  # the ORM object, for owners only known after the flush
    new: bool = False
    bulk: bool = False  # a bulk statement: which rows is unknown


@dataclass(frozen=True)
class Dependent:
    name: str
    order: int
    collect: object = None  # (session, [Change]) -> None, before the rows change
    late: object = None  # (session, [Change]) -> None, for rows whose owners the flush just stored
    at_commit: object = None  # (session) -> None


_dependents: dict[str, Dependent] = {}
_in_order: list[Dependent] = []  # _dependents sorted by order, rebuilt at each registration


def register(dependent: Dependent) -> None:
    """Keep `dependent` current with every transaction (once per name; the last registration wins)."""
    _dependents[dependent.name] = dependent
    _in_order[:] = sorted(_dependents.values(), key=lambda dependent: dependent.order)
    _listen()


def dependents() -> list[Dependent]:
    return _in_order


def state(session, name: str, factory):
    """The dependent's own record of this transaction (created by `factory` on first use)."""
    return session.info.setdefault(STATE_KEY, {}).setdefault(name, factory())


@lru_cache(maxsize=None)
def model_named(name: str) -> type:
    """The mapped class called `name` (declarations name models by string, free of import cycles)."""
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(name)


def _owner_of(obj, column: str):
    """The worker id in the column, or through the related object already in memory."""
    value = obj.__dict__.get(column)
    if value:
        return value
    for relationship in inspect(obj).mapper.relationships:
        local = [c.key for c in relationship.local_columns]
        if local == [column]:
            related = obj.__dict__.get(relationship.key)
            return getattr(related, "id", None) if related is not None else None
    return None


def _values(obj, column: str) -> set:
    """The column's value now and, for a changed row, before."""
    state_ = inspect(obj)
    if state_.transient or state_.pending:
        value = _owner_of(obj, column)
        return {value} if value else set()
    history = state_.attrs[column].history
    values = {value for value in chain(history.added, history.deleted, history.unchanged) if value}
    return values or ({getattr(obj, column)} - {None})


@lru_cache(maxsize=None)
def _feeding(cls) -> Feeds | None:
    """The class's declaration if it feeds anything (asked at every flush of every object)."""
    feeds = feeds_of(cls)
    return None if feeds is None or feeds == Feeds() else feeds


def _change_of(obj, session) -> Change | None:
    feeds = _feeding(type(obj))
    if feeds is None:
        return None
    state_ = inspect(obj)
    new, deleted = obj in session.new, obj in session.deleted
    if new or deleted:
        columns = frozenset(state_.mapper.columns.keys())
    else:  # only attributes set since the load can have changed (committed_state holds their old values)
        attrs = state_.attrs
        columns = frozenset(key for key in state_.committed_state if attrs[key].history.has_changes())
        if not columns:
            return None
    owners = _values(obj, feeds.owner) if feeds.owner else set()
    ids = {state_.identity[0]} if state_.identity else set()
    return Change(type(obj), feeds, columns, owners, ids, obj, new)


def _before_flush(session, flush_context, instances) -> None:
    changes = [change for change in (_change_of(obj, session) for obj in
                                     chain(session.new, session.dirty, session.deleted)) if change is not None]
    if changes:
        _collect(session, changes)


def _collect(session, changes: list[Change]) -> None:
    waiting = state(session, "unresolved", list)
    waiting += [change for change in changes if change.feeds.owner and not change.owners and change.obj is not None]
    for dependent in dependents():
        if dependent.collect is not None:
            dependent.collect(session, changes)


def _after_flush(session, flush_context) -> None:
    """New rows now carry the ids they named through relationships."""
    waiting = session.info.get(STATE_KEY, {}).get("unresolved")
    if not waiting:
        return
    resolved, still = [], []
    for change in waiting:
        owner = inspect(change.obj).dict.get(change.feeds.owner)
        if owner:
            change.owners = {owner}
            change.ids = {inspect(change.obj).identity[0]} if inspect(change.obj).identity else change.ids
            resolved.append(change)
        else:
            still.append(change)
    waiting[:] = still
    for dependent in dependents():
        if dependent.late is not None and resolved:
            dependent.late(session, resolved)


def note(session, model: type, *, owners=(), ids=(), columns=None) -> None:
    """Rows of `model` owned by these workers (or with these ids) change through statements that bypass
    the flush: call it before changing them, as the flush would have seen them."""
    feeds = feeds_of(model)
    if feeds is None:
        raise LookupError(f"{model.__name__} declares nothing it feeds")
    columns = frozenset(columns if columns is not None else model.__table__.columns.keys())
    _collect(session, [Change(model, feeds, columns, set(owners), set(ids))])


def _note_statement(orm_execute_state) -> None:
    """A bulk UPDATE or DELETE through the session: which rows it met is unknown, so every dependent of
    the model hears that all of them may have changed (the guard test keeps such statements rare)."""
    if not (orm_execute_state.is_update or orm_execute_state.is_delete):
        return
    mapper = orm_execute_state.bind_mapper
    feeds = feeds_of(mapper.class_) if mapper is not None else None
    if feeds:
        _collect(orm_execute_state.session,
                 [Change(mapper.class_, feeds, frozenset(mapper.columns.keys()), bulk=True)])


def _before_commit(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's release: the outermost commit brings everything up to date
    session.flush()
    if STATE_KEY not in session.info:
        return
    for dependent in dependents():
        if dependent.at_commit is not None:
            dependent.at_commit(session)
    session.info.pop(STATE_KEY, None)


def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(STATE_KEY, None)


_LISTENERS = {"before_flush": _before_flush, "after_flush": _after_flush, "do_orm_execute": _note_statement,
              "before_commit": _before_commit, "after_transaction_end": _forget}


def _listen() -> None:
    """Once, on every ORM session (the app's and the tests')."""
    for name, listener in _LISTENERS.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
