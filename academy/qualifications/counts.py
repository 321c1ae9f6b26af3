"""The registry's counts: current holders by level and subdistrict, new certificates per year by level
with the change on the year before, cumulative totals, each subdistrict's rank and the share of its
workers certified. The page reads the registry's summary tables (academy.qualifications.tallies), a
few hundred rows whatever the number of workers; holder_rows and year_rows compute the same rows from the
records themselves, which define the tables; the rest is arithmetic."""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, select

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role
from academy.qualifications.models import LEVELS, CertificateTally, HolderTally, QualificationRecord, RecordStatus

R = QualificationRecord
RANK = case(*((R.level == level, level.rank) for level in LEVELS), else_=0)


def percent(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class StreetRow:
    id: int
    name: str
    workers: int = 0
    holders: dict = field(default_factory=dict)  # level -> current holders
    rank: int | None = None

    @property
    def certified(self) -> int:
        return sum(self.holders.values())

    @property
    def share(self) -> Decimal | None:
        return percent(self.certified, self.workers)


@dataclass
class YearRow:
    year: int
    new: dict              # level -> new certificates in the year
    change: dict           # level -> % change on the year before (None when there were none)
    cumulative: dict       # level -> certificates up to and including the year

    @property
    def total(self) -> int:
        return sum(self.new.values())


@dataclass
class Counts:
    streets: list          # StreetRow, ranked
    district: StreetRow
    years: list            # YearRow of the district, oldest first
    street_years: list     # YearRow of the viewer's subdistrict (subdistrict administrators)
    scope: StreetRow | None = None


def holder_rows(session):
    """(subdistrict, highest verified level rank or None, active workers): every active worker once."""
    top = (select(R.worker_id, func.max(RANK).label("top")).where(R.status == RecordStatus.VERIFIED)
           .group_by(R.worker_id).subquery())
    return session.execute(
        select(WorkerProfile.subdistrict_id, top.c.top, func.count())
        .join(User, and_(User.id == WorkerProfile.user_id, User.active.is_(True), User.role == Role.WORKER))
        .outerjoin(top, top.c.worker_id == WorkerProfile.user_id)
        .group_by(WorkerProfile.subdistrict_id, top.c.top)).all()


def year_rows(session):
    """(exam year, level, subdistrict, verified certificates)."""
    return session.execute(
        select(R.exam_year, R.level, WorkerProfile.subdistrict_id, func.count())
        .join(WorkerProfile, WorkerProfile.user_id == R.worker_id).where(R.status == RecordStatus.VERIFIED)
        .group_by(R.exam_year, R.level, WorkerProfile.subdistrict_id)).all()


def tallied_holder_rows(session):
    """holder_rows, from the summary table."""
    return [(street, Qualification(level).rank or None, workers) for street, level, workers in session.execute(
        select(HolderTally.subdistrict_id, HolderTally.level, HolderTally.workers).where(HolderTally.workers != 0))]


def tallied_year_rows(session):
    """year_rows, from the summary table."""
    return [(year, Qualification(level), street, count) for year, level, street, count in session.execute(
        select(CertificateTally.exam_year, CertificateTally.level, CertificateTally.subdistrict_id,
               CertificateTally.certificates).where(CertificateTally.certificates != 0))]


def _series(cells: dict, first: int, last: int) -> list[YearRow]:
    rows, running, before = [], {level: 0 for level in LEVELS}, None
    for year in range(first, last + 1):
        new = {level: cells.get((year, level), 0) for level in LEVELS}
        running = {level: running[level] + new[level] for level in LEVELS}
        change = {level: (percent(new[level] - before[level], before[level]) if before else None) for level in LEVELS}
        rows.append(YearRow(year, new, change, dict(running)))
        before = new
    return rows


def build_counts(holders, years, subdistricts, scope_id: int | None = None, this_year: int | None = None) -> Counts:
    by_rank = {level.rank: level for level in LEVELS}
    streets = {u.id: StreetRow(u.id, u.name, holders={level: 0 for level in LEVELS}) for u in subdistricts}
    for street_id, top, workers in holders:
        row = streets.get(street_id)
        if row is None:
            continue
        row.workers += workers
        if top:
            row.holders[by_rank[top]] += workers
    ranked = sorted(streets.values(), key=lambda r: -r.certified)
    for position, row in enumerate(ranked):
        row.rank = ranked[position - 1].rank if position and row.certified == ranked[position - 1].certified \
            else position + 1
    district = StreetRow(0, "", workers=sum(r.workers for r in ranked),
                         holders={level: sum(r.holders[level] for r in ranked) for level in LEVELS})
    district_cells, street_cells = {}, {}
    for year, level, street_id, count in years:
        district_cells[(year, level)] = district_cells.get((year, level), 0) + count
        if street_id == scope_id:
            street_cells[(year, level)] = street_cells.get((year, level), 0) + count
    seen = [year for year, _ in district_cells]
    first, last = (min(seen), max(max(seen), this_year or 0)) if seen else (this_year or 0, this_year or 0)
    return Counts(streets=ranked, district=district, years=_series(district_cells, first, last) if seen else [],
                  street_years=_series(street_cells, first, last) if seen and scope_id else [],
                  scope=streets.get(scope_id))
