"""The summary tables' definition: the same figures computed from the raw rows by SQL aggregates.

The tables kept by academy.reports.tallies must always equal raw_tallies (the tests compare them
after every kind of change); rebuild() writes them afresh from it, after a bulk load that bypasses
the session (the synthetic district) or to repair (`academy rebuild-tallies`).
"""
from sqlalchemy import Integer, and_, case, cast, distinct, extract, func, literal_column, select

from academy.auth.models import User, WorkerProfile
from academy.core import tallying
from academy.core.permissions import Role
from academy.core.tallying import without_zeros  # noqa: F401  (part of this module's interface)
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.programmes.models import Programme
from academy.progress.models import CeStanding
from academy.reports.queries import enrolment_joins
from academy.reports.tallies import TABLES, hours_value, plain_value


def raw_tallies(connection) -> dict:
    """The tables computed from the raw rows by SQL aggregates (for rebuild() and for the tests)."""
    year = func.coalesce(cast(extract("year", Course.starts_on), Integer), literal_column("0"))
    month = func.coalesce(cast(extract("month", Course.ends_on), Integer), literal_column("0"))
    completed = Enrolment.status == EnrolmentStatus.COMPLETED
    hours = func.sum(case((completed, func.coalesce(Enrolment.credited_hours, literal_column("0"))),
                          else_=literal_column("0")))
    street, qualification = WorkerProfile.subdistrict_id, WorkerProfile.qualification
    result = {name: {} for name in TABLES}
    keys = (Course.programme_id, year, street, qualification)
    counts = [func.sum(case((Enrolment.status == status, 1), else_=0)) for status in EnrolmentStatus]
    for row in connection.execute(enrolment_joins(select(*keys, *counts, hours)).group_by(*keys)):
        result["tallies"][tuple(plain_value(part) for part in row[:4])] = [*row[4:-1], hours_value(row[-1])]
    keys = (Course.programme_id, year, month, street)
    for *key, total in connection.execute(enrolment_joins(select(*keys, hours)).where(completed).group_by(*keys)):
        result["months"][tuple(key)] = [hours_value(total)]

    seated = Enrolment.status.in_(SEATED_STATUSES)
    applicable = CeStanding.applicable.is_(True)
    compliant = and_(applicable, CeStanding.done >= CeStanding.required)
    every_programme, no_tier, all_years = literal_column("0"), literal_column("''"), literal_column("0")
    for programme_key in (Course.programme_id, Programme.tier, None):
        for year_key in (year, None):
            columns = (programme_key if programme_key is Course.programme_id else every_programme,
                       programme_key if programme_key is Programme.tier else no_tier,
                       year if year_key is not None else all_years, street, qualification)
            grouped = [column for column in (programme_key, year_key, street, qualification) if column is not None]
            query = (enrolment_joins(select(*columns, func.count(distinct(case((seated, Enrolment.worker_id)))),
                                            func.count(distinct(case((and_(seated, applicable), Enrolment.worker_id)))),
                                            func.count(distinct(case((and_(seated, compliant), Enrolment.worker_id)))),
                                            func.count(distinct(Enrolment.worker_id)),
                                            func.count(distinct(case((completed, Enrolment.worker_id))))))
                     .outerjoin(CeStanding, CeStanding.worker_id == Enrolment.worker_id))
            if year_key is not None:
                query = query.where(year > 0)
            for row in connection.execute(query.group_by(*grouped)):
                result["reach"][tuple(plain_value(part) for part in row[:5])] = list(row[5:])

    active = and_(User.role == Role.WORKER, User.active.is_(True))
    keys = (WorkerProfile.subdistrict_id, WorkerProfile.qualification)
    for *key, workers, ce_applicable, ce_compliant in connection.execute(
            select(*keys, func.sum(case((active, 1), else_=0)), func.sum(case((applicable, 1), else_=0)),
                   func.sum(case((compliant, 1), else_=0)))
            .select_from(WorkerProfile).join(User, User.id == WorkerProfile.user_id)
            .outerjoin(CeStanding, CeStanding.worker_id == WorkerProfile.user_id).group_by(*keys)):
        result["people"][tuple(plain_value(part) for part in key)] = [workers, ce_applicable, ce_compliant]
    return result


def _stored_value(column, value):
    return hours_value(value) if column == "hours" else value


FAMILY = tallying.Family("reports", TABLES, raw_tallies, _stored_value)


def stored_tallies(connection) -> dict:
    """The tables as they are, rows of zeros left out."""
    return tallying.stored_of(connection, FAMILY)


def lock_for_rebuild(connection) -> None:
    tallying.lock_tables(connection, TABLES)


def rebuild(connection) -> dict:
    """Recompute the tables from the raw rows (after a bulk load, or to repair), under the lock of
    academy.core.tallying; returns row counts."""
    return tallying.rebuild(connection, TABLES, raw_tallies)
