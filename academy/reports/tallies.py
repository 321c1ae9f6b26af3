"""Keeping the summary tables of academy.reports.models equal to the raw rows.

Session events do it, so every operation, present or future, keeps them current without calling
anything: before the first flush of a transaction that changes what a worker adds to the reports (an
enrolment's status, course or hours; the worker's subdistrict, qualification, account or
continuing-education standing; a course's dates or programme), that worker's contribution is read
from the database; at commit it is read again and the difference is written as increments, in key
order, so concurrent transactions neither lose counts nor deadlock (a worker's own changes are
serialised by locking the worker's row on PostgreSQL, by the write lock on SQLite). Writes that
bypass the flush (a worker's own enrolment, enrolment/selfservice.py) call note_workers before they
change the rows; bulk loads that bypass the ORM (the synthetic district) call raw_tallies.rebuild();
tests/test_writes_go_through_the_session.py finds any other bulk write of the rows followed here.
"""
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from itertools import chain

from sqlalchemy import bindparam, inspect, select

from academy.auth.models import User, WorkerProfile
from academy.core.database import listen_on_every_session, needs_row_locks, upsert
from academy.core.pagecache import REPORTS, bump_version
from academy.core.permissions import Role
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
PENDING_KEY = "academy.tallies.before"
TENTH, ZERO = Decimal("0.1"), Decimal("0")

# name: (table, key columns, value columns)
TABLES = {
    "tallies": (EnrolmentTally.__table__, ("programme_id", "year", "subdistrict_id", "qualification"),
                (*STATUSES, "hours")),
    "months": (MonthlyHours.__table__, ("programme_id", "year", "month", "subdistrict_id"), ("hours",)),
    "reach": (ReachTally.__table__, ("programme_id", "tier", "year", "subdistrict_id", "qualification"),
              ("workers", "ce_applicable", "ce_compliant", "listed_workers")),
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
            counted = seen.setdefault((worker, programme, tier_key, scope_year, street, level), [0, 0, 0, 1])
            if standing:
                counted[:3] = standing
    reach = defaultdict(lambda: [0, 0, 0, 0])
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


@lru_cache(maxsize=None)
def _upsert_statement(dialect_name: str, name: str):
    """INSERT ... ON CONFLICT DO UPDATE adding the increments; built once per table and dialect."""
    table, keys, values = TABLES[name]
    statement = upsert(dialect_name, table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: table.c[column] + statement.excluded[column] for column in values})


def apply_difference(connection, before: dict, after: dict) -> bool:
    """Write after - before as increments; True when any count changed."""
    changed = False
    for name, (_table, keys, values) in TABLES.items():
        old, new = before.get(name, {}), after.get(name, {})
        if old == new:
            continue
        zero = [0] * len(values)
        rows = []
        for key in sorted(old.keys() | new.keys()):  # one order everywhere: no deadlocks between increments
            delta = [n - o for n, o in zip(new.get(key, zero), old.get(key, zero))]
            if any(delta):
                rows.append(dict(zip(keys, key)) | dict(zip(values, delta)))
        if rows:
            connection.execute(_upsert_statement(connection.dialect.name, name), rows)
            changed = True
    return changed


def _changed(obj, names) -> bool:
    attributes = inspect(obj).attrs
    return any(attributes[name].history.has_changes() for name in names)


def _owner_id(obj, column: str, relation: str):
    """The worker's id from the column, or from the related object already in memory (None when new)."""
    related = obj.__dict__.get(relation)
    return getattr(obj, column) or (related.id if related is not None else None)


def _touched(session) -> tuple[set, set, set, list]:
    """What this flush may change: (workers whose enrolments change, workers who change themselves,
    courses whose dates or programme change, [(new object, column naming its worker, personal)] for
    workers not stored yet)."""
    enrolling, personal, courses, unresolved = set(), set(), set(), []

    def worker_of(obj, column, relation, is_personal=False):
        worker_id = _owner_id(obj, column, relation)
        if not worker_id:
            unresolved.append((obj, column, is_personal))
        else:
            (personal if is_personal else enrolling).add(worker_id)

    for obj in chain(session.new, session.dirty):
        new = obj in session.new
        if isinstance(obj, Enrolment):
            if new or _changed(obj, ("status", "credited_hours", "course_id", "worker_id")):
                worker_of(obj, "worker_id", "worker")
        elif isinstance(obj, CeStanding):
            if new or _changed(obj, ("applicable", "done", "required")):
                worker_of(obj, "worker_id", "worker", True)
        elif isinstance(obj, WorkerProfile):
            if new or _changed(obj, ("subdistrict_id", "qualification")):
                worker_of(obj, "user_id", "user", True)
        elif isinstance(obj, User):
            if not new and _changed(obj, ("active", "role")):
                personal.add(obj.id)
        elif isinstance(obj, Course):
            if obj.id is not None and _changed(obj, ("starts_on", "ends_on", "programme_id")):
                courses.add(obj.id)
    return enrolling, personal, courses, unresolved


class _Pending:
    """What one transaction has touched and each touched worker's contribution as it stood before the
    transaction changed it, summed: to the enrolment tables for workers whose enrolments (or selves)
    change, to the worker tallies for workers who change themselves."""

    def __init__(self):
        self.workers: set[int] = set()   # enrolment, month and reach tables
        self.people: set[int] = set()    # worker tallies
        self.unresolved: list = []
        self.before: dict = {}

    def add_before(self, contribution: dict) -> None:
        for name, rows in contribution.items():
            total = self.before.setdefault(name, {})
            for key, values in rows.items():
                total[key] = [a + b for a, b in zip(total.get(key, [0] * len(values)), values)]

    def resolve(self) -> None:
        """Workers stored by the last flush: they contributed nothing before this transaction."""
        waiting = []
        for obj, column, is_personal in self.unresolved:
            worker_id = getattr(obj, column)
            if not worker_id:
                waiting.append((obj, column, is_personal))
                continue
            self.workers.add(worker_id)
            if is_personal:
                self.people.add(worker_id)
        self.unresolved = waiting


def _pending(session) -> _Pending:
    return session.info.setdefault(PENDING_KEY, _Pending())


def _before_flush(session, flush_context, instances) -> None:
    enrolling, personal, courses, unresolved = _touched(session)
    if not (enrolling or personal or courses or unresolved):
        return
    _pending(session).unresolved += unresolved
    if courses:
        enrolling |= set(session.connection().scalars(
            select(Enrolment.worker_id).where(Enrolment.course_id.in_(courses))))
    # A worker's own change moves their enrolments' counts too (subdistrict, level, compliance).
    note_workers(session, enrolling | personal, personal)


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


def _after_flush(session, flush_context) -> None:
    pending = session.info.get(PENDING_KEY)
    if pending is not None and pending.unresolved:
        pending.resolve()


def _before_commit(session) -> None:
    """The difference is written once, at commit, in key order: increments from concurrent transactions
    then take their row locks in one order (no deadlocks), after every other lock they hold, and
    whatever a rolled-back savepoint undid is simply not in the state read here."""
    if session.in_nested_transaction():
        return  # a savepoint's release: the outermost commit writes
    session.flush()  # what is still unflushed may touch workers too
    pending = session.info.pop(PENDING_KEY, None)
    if pending is None or not (pending.workers or pending.people):
        return
    connection = session.connection()
    after = {}
    if pending.workers:
        after |= enrolment_contributions(_enrolment_facts(connection, pending.workers))
    if pending.people:
        after |= people_contributions(_people_facts(connection, pending.people))
    if apply_difference(connection, pending.before, after):
        bump_version(session, REPORTS)  # cached report results are stale now


def _transaction_ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


def init_tallies() -> None:
    """Listen on every ORM session (the app's and the tests'), once."""
    listen_on_every_session(before_flush=_before_flush, after_flush=_after_flush, before_commit=_before_commit,
                            after_transaction_end=_transaction_ended)
