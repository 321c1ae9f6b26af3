"""The registry's summary tables (HolderTally, CertificateTally) kept equal to the records.

A dependent of academy.core.derived, as the reports' tables are (academy.reports.tallies): before a
transaction changes what a worker adds to them (the columns each model declares in
`Feeds.tallies["registry"]`), the worker's contribution is read; at commit it is read again and the
difference written as increments (academy.core.tallying). The counts page then reads a few hundred
summary rows whatever the number of workers.
"""
from collections import defaultdict
from functools import lru_cache

from sqlalchemy import and_, bindparam, select

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.core import tallying
from academy.core.database import needs_row_locks
from academy.core.derived import Dependent, register, state
from academy.core.pagecache import REPORTS, bump_version
from academy.core.permissions import Role
from academy.qualifications.counts import holder_rows, year_rows
from academy.qualifications.models import LEVELS, CertificateTally, HolderTally, QualificationRecord, RecordStatus

FAMILY = "registry"
NONE = Qualification.NONE.value
TABLES = {
    "holders": (HolderTally.__table__, ("subdistrict_id", "level"), ("workers",)),
    "certificates": (CertificateTally.__table__, ("exam_year", "level", "subdistrict_id"), ("certificates",)),
}
_BY_RANK = {level.rank: level.value for level in LEVELS}


def _value(level) -> str:
    return level.value if hasattr(level, "value") else level


@lru_cache(maxsize=1)
def _facts_statement():
    """Each worker once per verified record (or once without one), with where they work and their account."""
    record = QualificationRecord
    return (select(WorkerProfile.user_id, WorkerProfile.subdistrict_id, User.role, User.active, record.level,
                   record.exam_year)
            .select_from(WorkerProfile).join(User, User.id == WorkerProfile.user_id)
            .outerjoin(record, and_(record.worker_id == WorkerProfile.user_id,
                                    record.status == RecordStatus.VERIFIED))
            .where(WorkerProfile.user_id.in_(bindparam("ids", expanding=True))))


def contributions(rows) -> dict:
    """What these facts add to the tables: {table: {key: [values]}}."""
    holders, certificates, top = defaultdict(lambda: [0]), defaultdict(lambda: [0]), {}
    for worker, street, role, active, level, year in rows:
        counted = _value(role) == Role.WORKER.value and bool(active)
        rank = Qualification(_value(level)).rank if level is not None else 0
        top[worker] = (street, counted, max(rank, top.get(worker, (None, None, 0))[2]))
        if level is not None:
            certificates[(year, _value(level), street)][0] += 1
    for street, counted, rank in top.values():
        if counted:
            holders[(street, _BY_RANK.get(rank, NONE))][0] += 1
    return {"holders": holders, "certificates": certificates}


def _facts(connection, worker_ids) -> list:
    rows, ids = [], sorted(worker_ids)
    for start in range(0, len(ids), 500):
        rows += connection.execute(_facts_statement(), {"ids": ids[start:start + 500]}).all()
    return rows


def raw(connection) -> dict:
    """The tables computed from the records by SQL aggregates (the definition; rebuild and the tests)."""
    holders = {}
    for street, rank, workers in holder_rows(connection):
        if workers:
            key = (street, _BY_RANK.get(rank or 0, NONE))
            holders[key] = [holders.get(key, [0])[0] + workers]
    certificates = {(year, _value(level), street): [count] for year, level, street, count in year_rows(connection)}
    return {"holders": holders, "certificates": certificates}


TALLIES = tallying.Family(FAMILY, TABLES, raw)


class _Pending:
    def __init__(self):
        self.workers: set[int] = set()
        self.before: dict = {}


def _pending(session) -> _Pending:
    return state(session, FAMILY, _Pending)


def _touched(changes) -> set[int]:
    workers = set()
    for change in changes:
        columns = change.feeds.tallied(FAMILY)
        if not columns or not (change.columns & set(columns)):
            continue
        if change.bulk:
            raise RuntimeError(f"a bulk statement on {change.model.__name__}, which the registry's counts follow: "
                               "change the rows through the session, or note them with academy.core.derived.note")
        workers |= change.owners
    return workers


def _collect(session, changes) -> None:
    """Before the rows change: what the workers these changes touch contribute now."""
    pending = _pending(session)
    new = _touched(changes) - pending.workers
    if not new:
        return
    connection = session.connection()
    if needs_row_locks(connection):  # one transaction at a time changes a worker's contribution
        connection.execute(select(User.id).where(User.id.in_(sorted(new))).order_by(User.id).with_for_update())
    tallying.add_into(pending.before, contributions(_facts(connection, new)))
    pending.workers |= new


def _late(session, changes) -> None:
    """Workers stored by the last flush: they contributed nothing before this transaction."""
    _pending(session).workers |= _touched(changes)


def _at_commit(session) -> None:
    pending = _pending(session)
    if not pending.workers:
        return
    connection = session.connection()
    after = contributions(_facts(connection, pending.workers))
    if tallying.apply_difference(connection, TABLES, pending.before, after):
        bump_version(session, REPORTS)


def init_registry_tallies() -> None:
    register(Dependent("registry counts", order=20, collect=_collect, late=_late, at_commit=_at_commit))
