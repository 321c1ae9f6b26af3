"""The progress report computed straight from the raw rows (COUNT DISTINCT over four joins): the oracle
the summary-table report must always equal."""
from sqlalchemy import and_, case, distinct, func, select

from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus as S
from academy.progress.models import CeStanding
from academy.reports.queries import DIMENSIONS, enrolment_joins

NAMES = ("enrolled", "completed", "not_completed", "withdrawn", "workers", "hours", "ce_applicable", "ce_compliant")


def _measures():
    seated = Enrolment.status.in_(SEATED_STATUSES)
    applicable = and_(seated, CeStanding.applicable.is_(True))
    return (
        func.sum(case((seated, 1), else_=0)),
        func.sum(case((Enrolment.status == S.COMPLETED, 1), else_=0)),
        func.sum(case((Enrolment.status == S.NOT_COMPLETED, 1), else_=0)),
        func.sum(case((Enrolment.status == S.WITHDRAWN, 1), else_=0)),
        func.count(distinct(case((seated, Enrolment.worker_id)))),
        func.coalesce(func.sum(case((Enrolment.status == S.COMPLETED, Enrolment.credited_hours))), 0),
        func.count(distinct(case((applicable, Enrolment.worker_id)))),
        func.count(distinct(case((and_(applicable, CeStanding.done >= CeStanding.required), Enrolment.worker_id)))),
    )


def _base(query):
    return enrolment_joins(query).outerjoin(CeStanding, CeStanding.worker_id == Enrolment.worker_id)


def _plain(value):
    return str(value.value) if hasattr(value, "value") else value


def raw_report(session, dimensions, filters) -> dict:
    """{group keys: {measure: value}}, the key () holding the totals."""
    columns = [DIMENSIONS[name][1] for name in dimensions]
    result = {}
    for row in session.execute(filters.apply(_base(select(*columns, *_measures()))).group_by(*columns)):
        result[tuple(_plain(key) for key in row[:len(columns)])] = dict(zip(NAMES, row[len(columns):]))
    result[()] = dict(zip(NAMES, session.execute(filters.apply(_base(select(*_measures())))).one()))
    return result
