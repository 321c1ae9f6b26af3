"""Keeping the summary tables of academy.reports.models equal to the raw rows.

A dependent of academy.core.derived: before a transaction changes what a worker adds to the reports
(the columns each model declares in `Feeds.summaries`), that worker's contribution is read from the
database; at commit it is read again and the difference is written as increments, in key order, so
concurrent transactions neither lose counts nor deadlock (a worker's own changes are serialised by
locking the worker's row on PostgreSQL, by the write lock on SQLite). Bulk loads that bypass the
session call raw_tallies.rebuild().
"""
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import bindparam, select

from academy.auth.models import User, WorkerProfile
from academy.core.database import needs_row_locks
from academy.core.derived import Dependent, model_named, register, state
from academy.core.pagecache import REPORTS, bump_version
from academy.core.permissions import Role
from academy.core.tallying import add_into, apply_difference
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.programmes.models import Programme
from academy.progress.models import CeStanding
from academy.reports.models import EnrolmentTally, MonthlyHours, ReachTally, WorkerTally
from academy.reports.queries import enrolment_joins

SEATED = frozenset(status.value for status in SEATED_STATUSES)
COMPLETED = EnrolmentStatus.COMPLETED.value
STATUSES = tuple(status.value for status in EnrolmentStatus)  # the count columns of enrolment_tallies
STATUS_INDEX = {status: index for index, status in enumerate(STATUSES)}
TENTH, ZERO = Decimal("0.1"), Decimal("0")

# name: (table, key columns, value columns)
TABLES = {
    "tallies": (EnrolmentTally.__table__, ("programme_id", "year", "subdistrict_id", "qualification"),
                (*STATUSES, "hours")),
    "months": (MonthlyHours.__table__, ("programme_id", "year", "month", "subdistrict_id"), ("hours",)),
    "reach": (ReachTally.__table__, ("programme_id", "tier", "year", "subdistrict_id", "qualification"),
              ("workers", "ce_applicable", "ce_compliant", "listed_workers", "completed_workers")),
    "people": (WorkerTally.__table__, ("subdistrict_id", "qualification"),
               ("active_workers", "ce_applicable", "ce_compliant")),
}


def plain_value(value):
    return value.value if hasattr(value, "value") else value


def hours_value(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(TENTH)


def _scopes(programme_id: int, tier: str, year: int) -> tuple:
    """The scopes one enrolment counts its worker in (year-scoped ones only for dated courses)."""
    if not year:
        return (programme_id, "", 0), (0, tier, 0), (0, "", 0)
    return (programme_id, "", 0), (programme_id, "", year), (0, tier, 0), (0, tier, year), (0, "", 0), (0, "", year)


def _in_chunks(connection, statement, ids) -> list:
    """The statement's rows for these ids (its expanding `ids` parameter), 500 ids at a time."""
    rows = []
    ids = sorted(ids)
    for start in range(0, len(ids), 500):
        rows += connection.execute(statement, {"ids": ids[start:start + 500]}).all()
    return rows


@lru_cache(maxsize=1)
def _enrolment_facts_statement():
    return (enrolment_joins(select(
        Enrolment.worker_id, Enrolment.status, Enrolment.credited_hours, Course.programme_id, Programme.tier,
        Course.starts_on, Course.ends_on, WorkerProfile.subdistrict_id, WorkerProfile.qualification,
        CeStanding.applicable, (CeStanding.done >= CeStanding.required).label("compliant")))
        .outerjoin(CeStanding, CeStanding.worker_id == Enrolment.worker_id)
        .where(Enrolment.worker_id.in_(bindparam("ids", expanding=True))))


@lru_cache(maxsize=1)
def _people_facts_statement():
    return (select(WorkerProfile.subdistrict_id, WorkerProfile.qualification, User.role, User.active,
                   CeStanding.applicable, (CeStanding.done >= CeStanding.required).label("compliant"))
            .select_from(WorkerProfile).join(User, User.id == WorkerProfile.user_id)
            .outerjoin(CeStanding, CeStanding.worker_id == WorkerProfile.user_id)
            .where(WorkerProfile.user_id.in_(bindparam("ids", expanding=True))))


def _enrolment_facts(connection, worker_ids) -> list:
    """These workers' enrolments with what the tables need to know about each (the statement is built
    once: every write that touches an enrolment runs it twice)."""
    return _in_chunks(connection, _enrolment_facts_statement(), worker_ids)


def _people_facts(connection, worker_ids) -> list:
    """These workers themselves: where they work, their level, account and continuing education."""
    return _in_chunks(connection, _people_facts_statement(), worker_ids)


def enrolment_contributions(rows) -> dict:
    """What these enrolment facts add to the enrolment, month and reach tables: {table: {key: [values]}}
    (every write that touches an enrolment runs this twice, so the loop unpacks rows by position)."""
    tallies = defaultdict(lambda: [0] * len(STATUSES) + [ZERO])
    months = defaultdict(lambda: [ZERO])
    seen = {}
    for worker, status, credited, programme_id, tier, starts, ends, street, level, applicable, compliant in rows:
        status, tier, level = plain_value(status), plain_value(tier), plain_value(level)
        year = starts.year if starts else 0
        cell = tallies[(programme_id, year, street, level)]
        cell[STATUS_INDEX[status]] += 1
        if status == COMPLETED:
            hours = hours_value(credited)
            cell[-1] += hours
            months[(programme_id, year, ends.month if ends else 0, street)][0] += hours
        # holding a seat: counted among the workers reached, with their standing; else only listed
        standing = (1, int(bool(applicable)), int(bool(applicable) and bool(compliant))) if status in SEATED else None
        for programme, tier_key, scope_year in _scopes(programme_id, tier, year):
            counted = seen.setdefault((worker, programme, tier_key, scope_year, street, level), [0, 0, 0, 1, 0])
            if standing:
                counted[:3] = standing
            if status == COMPLETED:
                counted[4] = 1
    reach = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (_worker, *key), values in seen.items():
        cell = reach[tuple(key)]
        for index, value in enumerate(values):
            cell[index] += value
    return {"tallies": tallies, "months": months, "reach": reach}


def people_contributions(rows) -> dict:
    """What these workers add to the worker tallies."""
    people = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        applicable = bool(row.applicable)
        cell = people[(row.subdistrict_id, plain_value(row.qualification))]
        cell[0] += int(plain_value(row.role) == Role.WORKER.value and bool(row.active))
        cell[1] += int(applicable)
        cell[2] += int(applicable and bool(row.compliant))
    return {"people": people}


class _Pending:
    """What one transaction has touched and each touched worker's contribution as it stood before the
    transaction changed it, summed: to the enrolment tables for workers whose enrolments (or selves)
    change, to the worker tallies for workers who change themselves."""

    def __init__(self):
        self.workers: set[int] = set()   # enrolment, month and reach tables
        self.people: set[int] = set()    # worker tallies
        self.before: dict = {}

    def add_before(self, contribution: dict) -> None:
        add_into(self.before, contribution)


def _pending(session) -> _Pending:
    return state(session, "tallies", _Pending)


def _collect(session, changes) -> None:
    """Before the rows change: the workers whose contributions these changes move (as each model
    declares: `Feeds.summaries`), with what they contribute now."""
    enrolling, personal, via = set(), set(), {}
    for change in changes:
        summaries = change.feeds.summaries
        if not summaries or not (change.columns & set(summaries)):
            continue
        if change.bulk:
            raise RuntimeError(f"a bulk statement on {change.model.__name__}, which the summary tables follow: "
                               "change the rows through the session, or note them with academy.core.derived.note")
        if change.feeds.summaries_via:
            if change.ids:
                via.setdefault(change.feeds.summaries_via, set()).update(change.ids)
        else:
            (enrolling if change.model is Enrolment else personal).update(change.owners)
    connection = None
    for (model_name, column), ids in via.items():
        model = model_named(model_name)
        connection = connection or session.connection()
        enrolling |= set(connection.scalars(select(getattr(model, model.__feeds__.owner))
                                            .where(getattr(model, column).in_(sorted(ids)))))
    if enrolling or personal:
        # A worker's own change moves their enrolments' counts too (subdistrict, level, compliance).
        note_workers(session, enrolling | personal, personal)


def _late(session, changes) -> None:
    """Workers stored by the last flush: they contributed nothing before this transaction."""
    pending = _pending(session)
    for change in changes:
        if change.feeds.summaries and not change.feeds.summaries_via:
            pending.workers |= change.owners
            if change.model is not Enrolment:
                pending.people |= change.owners


def note_workers(session, enrolling, personal=frozenset()) -> None:
    """These workers' enrolments (and, for `personal`, the workers themselves) are about to change in
    this transaction: keep what they contribute now, so that the commit writes the difference. Writes
    that bypass the session's flush (Core statements) call this before they change the rows."""
    pending = _pending(session)
    new_workers = (set(enrolling) | set(personal)) - pending.workers
    new_people = set(personal) - pending.people
    if not (new_workers or new_people):
        return
    connection = session.connection()
    # A worker's contribution changes in one transaction at a time: the rows are locked on PostgreSQL, and
    # on SQLite a request takes the write lock here (if it has not yet), before reading what it will subtract.
    if needs_row_locks(connection):
        connection.execute(select(User.id).where(User.id.in_(sorted(new_workers | new_people))).order_by(User.id)
                           .with_for_update())
    if new_workers:
        pending.add_before(enrolment_contributions(_enrolment_facts(connection, new_workers)))
        pending.workers |= new_workers
    if new_people:
        pending.add_before(people_contributions(_people_facts(connection, new_people)))
        pending.people |= new_people


def _at_commit(session) -> None:
    """The difference is written once, at commit, in key order: increments from concurrent transactions
    then take their row locks in one order (no deadlocks), after every other lock they hold, and
    whatever a rolled-back savepoint undid is simply not in the state read here."""
    pending = _pending(session)
    if not (pending.workers or pending.people):
        return
    connection = session.connection()
    after = {}
    if pending.workers:
        after |= enrolment_contributions(_enrolment_facts(connection, pending.workers))
    if pending.people:
        after |= people_contributions(_people_facts(connection, pending.people))
    if apply_difference(connection, TABLES, pending.before, after):
        bump_version(session, REPORTS)  # cached report results are stale now


def init_tallies() -> None:
    register(Dependent("summary tables", order=10, collect=_collect, late=_late, at_commit=_at_commit))
