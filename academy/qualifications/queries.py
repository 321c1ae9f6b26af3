"""Read helpers of the registry: a worker's records with their history, and the registry list."""
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.extensions import db
from academy.qualifications.models import QualificationEvent, QualificationRecord, RecordStatus, pending_first

R = QualificationRecord


def worker_records(worker_id: int) -> list[QualificationRecord]:
    """A worker's records, highest level first and the newest first within a level, with their events."""
    records = db.session.scalars(
        select(R).where(R.worker_id == worker_id)
        .options(joinedload(R.scan), selectinload(R.events).joinedload(QualificationEvent.actor))
        .order_by(R.exam_year.desc(), R.id.desc())).all()
    return sorted(records, key=lambda r: -r.level.rank)


def progression(records) -> list[QualificationRecord]:
    """The verified steps, lowest level first: assistant → intermediate → senior."""
    return sorted((r for r in records if r.status == RecordStatus.VERIFIED), key=lambda r: (r.level.rank, r.exam_year))


@dataclass(frozen=True)
class RegistryFilters:
    level: str | None = None
    subdistrict_id: int | None = None
    year: int | None = None
    status: str | None = None


def _filtered(query, filters: RegistryFilters):
    """Under the filters, pending verifications first, then the newest."""
    return _where(query, filters).order_by(pending_first(R.status), R.exam_year.desc(), R.id.desc())


def _where(query, filters: RegistryFilters):
    if filters.level:
        query = query.where(R.level == filters.level)
    if filters.subdistrict_id:
        query = query.where(WorkerProfile.subdistrict_id == filters.subdistrict_id)
    if filters.year:
        query = query.where(R.exam_year == filters.year)
    if filters.status:
        query = query.where(R.status == filters.status)
    return query


def registry_query(filters: RegistryFilters):
    """Records under the filters, pending verifications first, then the newest."""
    return _filtered(select(R).join(WorkerProfile, WorkerProfile.user_id == R.worker_id)
                     .options(joinedload(R.worker).joinedload(User.profile)), filters)


def _plain_rows():
    return (select(R.id, R.worker_id, User.name, WorkerProfile.resident_id, WorkerProfile.subdistrict_id, R.level,
                   R.certificate_no, R.exam_year, R.issued_on, R.issuing_authority, R.status)
            .select_from(R).join(WorkerProfile, WorkerProfile.user_id == R.worker_id)
            .join(User, User.id == R.worker_id))


def export_query(filters: RegistryFilters):
    """The same rows as plain columns, for the CSV and XLSX exports."""
    return _filtered(_plain_rows(), filters)


def rows_after(filters: RegistryFilters, after: int | None, limit: int):
    """Plain rows under the filters in the order of their ids, from after `after`: a page a system
    following the registry reads (new records come last)."""
    query = _where(_plain_rows(), filters)
    return query.where(R.id > after).order_by(R.id).limit(limit) if after else query.order_by(R.id).limit(limit)


def _newly_certified(year: int, subdistrict_id: int | None, *columns):
    query = (select(*columns).select_from(R).join(WorkerProfile, WorkerProfile.user_id == R.worker_id)
             .where(R.status == RecordStatus.VERIFIED, R.exam_year == year))
    return query.where(WorkerProfile.subdistrict_id == subdistrict_id) if subdistrict_id else query


def _highest_level_first():
    return case(*[(R.level == level, level.rank) for level in Qualification], else_=0).desc()


def ceremony_query(year: int, subdistrict_id: int | None = None):
    """Workers newly certified in `year` (verified records of that exam or review year): (record, worker
    name, subdistrict id), highest level first, then by subdistrict and name; to page or to read whole."""
    return (_newly_certified(year, subdistrict_id, R, User.name, WorkerProfile.subdistrict_id)
            .join(User, User.id == R.worker_id).order_by(_highest_level_first(), WorkerProfile.subdistrict_id, User.name, R.id))


def ceremony_rows(year: int, subdistrict_id: int | None = None):
    return db.session.execute(ceremony_query(year, subdistrict_id)).all()


def ceremony_counts(year: int, subdistrict_id: int | None = None) -> dict:
    """How many are newly certified, by (level, subdistrict id), counted in SQL."""
    rows = db.session.execute(_newly_certified(year, subdistrict_id, R.level, WorkerProfile.subdistrict_id,
                                               func.count(R.id))
                              .group_by(R.level, WorkerProfile.subdistrict_id))
    return {(level, street_id): count for level, street_id, count in rows}
