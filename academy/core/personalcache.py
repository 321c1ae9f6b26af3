"""A worker's own pages (my learning, the learning record) served again while nothing on them changed.

One query answers whether the kept page is still right: it reads the signed-in account (active, its
session version, role, language, unread notifications for the header) together with three versions —
the public pages' (course titles, dates and seats, programme and instructors' names), the worker's own
row in `personal_versions`, and a district-wide one. Every commit that changes what a worker's pages
show increments that worker's row: their enrolments, attendance, outside records and evidence,
certificates, continuing-education standing, profile and account, and everyone's on a course's
waitlist when a place on it moves. A change no single worker owns (a continuing-education rule, a
partner's name; any table not named below) increments the district-wide one. The versions live in the
database, so every process and machine sees a change at once; the key also holds the path, the
language and the minute, as the pages' dates and the right to withdraw follow the clock.

Only GET requests of an active account holding the page's role, with no flashed message waiting, are
served from the cache; anything else runs the view as usual. Pages are kept per process, the
most recently used last, each with a placeholder for the visitor's own CSRF token.
"""
import time
from functools import lru_cache, wraps
from itertools import chain

from flask import request, session
from sqlalchemy import ForeignKey, bindparam, func, inspect, select
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.database import listen_on_every_session, read_outside_session, upsert
from academy.core.i18n import account_locale, cookie_locale
from academy.core.pagecache import PUBLIC, PageVersion, Store, bump_version, serve_kept
from academy.extensions import db

DISTRICT = "personal-pages"  # the page_versions row for changes no single worker owns
PENDING_KEY = "academy.personalcache.pending"

_kept = Store(256)


class PersonalVersion(db.Model):
    """A counter per worker, incremented by every commit that changes what the worker's own pages show."""

    __tablename__ = "personal_versions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


# -- serving ----------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _viewer_statement():
    from academy.auth.models import User
    from academy.notifications.operations import unread_count_column

    def version_of(name):
        return select(PageVersion.version).where(PageVersion.name == name).scalar_subquery()

    own = select(PersonalVersion.version).where(PersonalVersion.user_id == User.id).scalar_subquery()
    return (select(User.active, User.session_version, User.role, User.locale, unread_count_column(User.id),
                   func.coalesce(own, 0), version_of(PUBLIC), version_of(DISTRICT))
            .where(User.id == bindparam("user_id")))


def _key_for(role):
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
    if not active or session_version != int(version) or account_role != role:
        return None  # the view answers: to sign-in, or 403
    return (request.full_path, cookie_locale() or account_locale(locale), int(time.time() // 60),
            int(user_id), unread, *versions)


def personal_page(role):
    """Serve the view's page from the cache to the signed-in account it belongs to (see the docstring).
    Put it outside the view's permission check: a request it does not answer goes through that check."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            key = _key_for(role)
            if key is None:
                return view(*args, **kwargs)
            return serve_kept(_kept, key, view, *args, **kwargs)

        return wrapped

    return decorate


# -- what changes a worker's pages -------------------------------------------------------------------

@lru_cache(maxsize=1)
def _owner_columns() -> dict:
    """Tables whose rows belong to one worker: the column naming the worker."""
    from academy.auth.models import User, WorkerProfile
    from academy.certificates.models import Certificate
    from academy.enrolment.models import Enrolment
    from academy.progress.models import CeStanding, EvidenceFile, ExternalRecord

    return {User: "id", WorkerProfile: "user_id", Enrolment: "worker_id", ExternalRecord: "worker_id",
            EvidenceFile: "owner_id", Certificate: "worker_id", CeStanding: "worker_id"}


@lru_cache(maxsize=1)
def _elsewhere() -> tuple:
    """Tables never shown on a worker's own pages, or shown only through the public pages' version or
    the unread count, both in the key."""
    from academy.attendance.models import AttendanceChange
    from academy.audit.models import AuditEvent
    from academy.courses.models import Course, CourseEvent, CourseSession
    from academy.enrolment.models import EnrolmentEvent
    from academy.notifications.models import Notification
    from academy.orgs.models import OrgUnit
    from academy.partners.models import AgreementEvent
    from academy.programmes.models import Programme
    from academy.reports.models import EnrolmentTally, MonthlyHours, ReachTally, WorkerTally

    return (Course, CourseSession, Programme, OrgUnit, Notification, AuditEvent, CourseEvent, EnrolmentEvent,
            AttendanceChange, AgreementEvent, EnrolmentTally, MonthlyHours, ReachTally, WorkerTally,
            PageVersion, PersonalVersion)


class _Pending:
    """What one transaction changed: objects naming their worker, enrolments whose worker is found at
    commit, courses whose waitlist moved, and whether a change belongs to no single worker."""

    def __init__(self):
        self.workers: set[int] = set()
        self.unresolved: list = []  # (object, column): new objects get their ids at the flush
        self.enrolments: set[int] = set()
        self.waitlists: set[int] = set()
        self.everyone = False

    def note(self, obj, owners: dict, elsewhere: tuple) -> None:
        from academy.attendance.models import AttendanceMark
        from academy.enrolment.models import Enrolment

        if isinstance(obj, elsewhere):
            return
        column = owners.get(type(obj))
        if column is None and isinstance(obj, AttendanceMark):
            self._add(obj, "enrolment_id", self.enrolments)
        elif column is None:
            self.everyone = True
        else:
            self._add(obj, column, self.workers)
            if isinstance(obj, Enrolment) and _left_waitlist(obj):
                self.waitlists |= {value for value in _values(obj, "course_id") if value}

    def _add(self, obj, column, ids: set) -> None:
        values = {value for value in _values(obj, column) if value}
        ids |= values
        if not values:  # named through a relationship: the flush fills the column in
            self.unresolved.append((obj, column))

    def resolve(self) -> None:
        """Objects stored by the last flush now carry the ids they named through relationships."""
        from academy.attendance.models import AttendanceMark

        waiting = []
        for obj, column in self.unresolved:
            value = inspect(obj).dict.get(column)
            if value:
                (self.enrolments if isinstance(obj, AttendanceMark) else self.workers).add(value)
            else:
                waiting.append((obj, column))
        self.unresolved = waiting

    def workers_to_bump(self, connection) -> list[int]:
        from academy.enrolment.models import Enrolment, EnrolmentStatus

        if self.enrolments:
            self.workers |= set(connection.scalars(
                select(Enrolment.worker_id).where(Enrolment.id.in_(sorted(self.enrolments)))))
        if self.waitlists:
            self.workers |= set(connection.scalars(select(Enrolment.worker_id).where(
                Enrolment.course_id.in_(sorted(self.waitlists)), Enrolment.status == EnrolmentStatus.WAITLISTED)))
        return sorted(self.workers)  # one order everywhere: concurrent commits take the rows without deadlock


def _values(obj, column) -> list:
    """The column's value now and, for a changed row, before."""
    state = inspect(obj)
    if state.transient or state.pending:
        return [getattr(obj, column, None)]
    return list(state.attrs[column].history.sum()) or [getattr(obj, column, None)]


def _left_waitlist(enrolment) -> bool:
    """Whether the enrolment leaves the waitlist (or moves on it): the places behind it change. Joining
    at the end changes no one else's place."""
    from academy.enrolment.models import EnrolmentStatus

    waitlisted, state = EnrolmentStatus.WAITLISTED, inspect(enrolment)
    if state.transient or state.pending:
        return False
    history = state.attrs.status.history
    return waitlisted in history.deleted or (
        waitlisted in history.unchanged and state.attrs.queued_at.history.has_changes())


def _note_flush(session, flush_context, instances) -> None:
    pending = session.info.setdefault(PENDING_KEY, _Pending())
    owners, elsewhere = _owner_columns(), _elsewhere()
    for obj in chain(session.new, session.dirty, session.deleted):
        pending.note(obj, owners, elsewhere)


def note_workers(session, worker_ids, *, waitlists=()) -> None:
    """These workers' pages change in this transaction (and the places of everyone waiting for these
    courses): for writes that bypass the session's flush (Core statements)."""
    pending = session.info.setdefault(PENDING_KEY, _Pending())
    pending.workers |= set(worker_ids)
    pending.waitlists |= set(waitlists)


def _after_flush(session, flush_context) -> None:
    pending = session.info.get(PENDING_KEY)
    if pending is not None and pending.unresolved:
        pending.resolve()


def _note_statement(state) -> None:
    """A bulk UPDATE or DELETE through the session on a worker's table: which rows it met is unknown here."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None:
        cls = state.bind_mapper.class_
        if not issubclass(cls, _elsewhere()):
            state.session.info.setdefault(PENDING_KEY, _Pending()).everyone = True


@lru_cache(maxsize=None)
def _bump_statement(dialect_name: str):
    statement = upsert(dialect_name, PersonalVersion)
    return statement.on_conflict_do_update(index_elements=[PersonalVersion.user_id],
                                           set_={"version": PersonalVersion.version + 1})


def _bump_on_commit(session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    pending = session.info.pop(PENDING_KEY, None)
    if pending is None:
        return
    connection = session.connection()
    workers = pending.workers_to_bump(connection)
    if workers:
        connection.execute(_bump_statement(connection.dialect.name),
                           [{"user_id": worker_id, "version": 1} for worker_id in workers])
    if pending.everyone:
        bump_version(session, DISTRICT)


def _forget(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


def init_personal_cache() -> None:
    listen_on_every_session(before_flush=_note_flush, after_flush=_after_flush, do_orm_execute=_note_statement,
                            before_commit=_bump_on_commit, after_transaction_end=_forget)
