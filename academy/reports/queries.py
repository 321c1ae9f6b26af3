"""Report aggregates, all computed by SQL (GROUP BY with conditional sums), never by looping rows."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, and_, case, cast, distinct, extract, func, select

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.core.reference import programme_refs, subdistrict_refs
from academy.programmes.models import Programme, Tier
from academy.progress.models import CeStanding

S = EnrolmentStatus

DIMENSIONS = {
    "programme": (_l("Programme"), Programme.code),
    "tier": (_l("Tier"), Programme.tier),
    "subdistrict": (_l("Subdistrict"), WorkerProfile.subdistrict_id),
    "qualification": (_l("Qualification level"), WorkerProfile.qualification),
    "year": (_l("Year"), cast(extract("year", Course.starts_on), Integer)),
}

MEASURES = (
    ("enrolled", _l("Enrolled")), ("completed", _l("Completed")), ("completion_rate", _l("Completion rate")),
    ("withdrawn", _l("Withdrawn")), ("workers", _l("Workers reached")), ("hours", _l("Hours delivered")),
    ("ce_rate", _l("Continuing-education compliance")),
)


@dataclass(frozen=True)
class ReportFilters:
    year: int | None = None
    programme: str | None = None   # programme code
    tier: str | None = None
    subdistrict_id: int | None = None

    def apply(self, query):
        if self.year:
            query = query.where(cast(extract("year", Course.starts_on), Integer) == self.year)
        if self.programme:
            query = query.where(Programme.code == self.programme.upper())
        if self.tier:
            query = query.where(Programme.tier == self.tier)
        if self.subdistrict_id:
            query = query.where(WorkerProfile.subdistrict_id == self.subdistrict_id)
        return query


def _base(query, standings: bool = True):
    """Enrolments with their course, programme, worker profile and (for compliance) CE standing."""
    query = (query.select_from(Enrolment)
             .join(Course, Course.id == Enrolment.course_id)
             .join(Programme, Programme.id == Course.programme_id)
             .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id))
    return query.outerjoin(CeStanding, CeStanding.worker_id == Enrolment.worker_id) if standings else query


def _measures():
    seated = Enrolment.status.in_(SEATED_STATUSES)
    applicable = and_(seated, CeStanding.applicable.is_(True))
    return (
        func.sum(case((seated, 1), else_=0)).label("enrolled"),
        func.sum(case((Enrolment.status == S.COMPLETED, 1), else_=0)).label("completed"),
        func.sum(case((Enrolment.status == S.NOT_COMPLETED, 1), else_=0)).label("not_completed"),
        func.sum(case((Enrolment.status == S.WITHDRAWN, 1), else_=0)).label("withdrawn"),
        func.count(distinct(case((seated, Enrolment.worker_id)))).label("workers"),
        func.coalesce(func.sum(case((Enrolment.status == S.COMPLETED, Enrolment.credited_hours))), 0).label("hours"),
        func.count(distinct(case((applicable, Enrolment.worker_id)))).label("ce_applicable"),
        func.count(distinct(case((and_(applicable, CeStanding.done >= CeStanding.required),
                                  Enrolment.worker_id)))).label("ce_compliant"),
    )


@dataclass
class ReportRow:
    keys: tuple
    labels: tuple
    enrolled: int = 0
    completed: int = 0
    not_completed: int = 0
    withdrawn: int = 0
    workers: int = 0
    hours: Decimal = Decimal("0")
    ce_applicable: int = 0
    ce_compliant: int = 0

    @property
    def completion_rate(self) -> Decimal | None:
        """Completed among those whose results were finalised."""
        decided = self.completed + self.not_completed
        return (Decimal(self.completed) * 100 / decided).quantize(Decimal("0.1")) if decided else None

    @property
    def ce_rate(self) -> Decimal | None:
        return (Decimal(self.ce_compliant) * 100 / self.ce_applicable).quantize(Decimal("0.1")) \
            if self.ce_applicable else None


@dataclass
class Report:
    dimensions: list
    rows: list = field(default_factory=list)
    total: ReportRow | None = None


def dimension_labeler(name: str, names: dict):
    """A function turning a group key into words (subdistrict ids into names, enums into labels)."""
    if name == "programme":
        return lambda key: names["programmes"].get(key, key)
    if name == "subdistrict":
        return lambda key: names["subdistricts"].get(key, key)
    if name == "tier":
        return lambda key: Tier(key).label if key else ""
    if name == "qualification":
        return lambda key: Qualification(key).label if key else ""
    return lambda key: str(key) if key is not None else ""


def lookup_names(session=None) -> dict:
    return {"programmes": {p.code: p.name_zh for p in programme_refs()},
            "subdistricts": {u.id: u.name_zh for u in subdistrict_refs()}}


def progress_report(session, dimensions: list[str], filters: ReportFilters) -> Report:
    columns = [DIMENSIONS[name][1] for name in dimensions]
    grouped = filters.apply(_base(select(*columns, *_measures()))).group_by(*columns).order_by(*columns)
    totals = filters.apply(_base(select(*_measures())))
    names = lookup_names(session)
    labelers = [dimension_labeler(name, names) for name in dimensions]
    report = Report(dimensions=dimensions)
    for row in session.execute(grouped):
        keys = tuple(row[: len(dimensions)])
        data = row._mapping
        report.rows.append(ReportRow(
            keys=tuple(str(k.value) if hasattr(k, "value") else k for k in keys),
            labels=tuple(label(k.value if hasattr(k, "value") else k) for label, k in zip(labelers, keys)),
            **{name: data[name] or 0 for name in ("enrolled", "completed", "not_completed", "withdrawn", "workers",
                                                  "hours", "ce_applicable", "ce_compliant")},
        ))
    data = session.execute(totals).one()._mapping
    report.total = ReportRow(keys=(), labels=(), **{name: data[name] or 0 for name in (
        "enrolled", "completed", "not_completed", "withdrawn", "workers", "hours", "ce_applicable", "ce_compliant")})
    return report


def drilldown_query(filters: ReportFilters, cell: dict):
    """The workers behind a report cell: each with their counts in it, for a list or an export."""
    seated = Enrolment.status.in_(SEATED_STATUSES)
    query = _base(select(
        User.id, User.name, User.phone, WorkerProfile.resident_id, WorkerProfile.subdistrict_id,
        WorkerProfile.qualification,
        func.sum(case((seated, 1), else_=0)).label("enrolled"),
        func.sum(case((Enrolment.status == S.COMPLETED, 1), else_=0)).label("completed"),
        func.sum(case((Enrolment.status == S.WITHDRAWN, 1), else_=0)).label("withdrawn"),
        func.coalesce(func.sum(case((Enrolment.status == S.COMPLETED, Enrolment.credited_hours))), 0).label("hours"),
    )).join(User, User.id == Enrolment.worker_id)
    query = filters.apply(query)
    for name, value in cell.items():
        query = query.where(DIMENSIONS[name][1] == value)
    return query.group_by(User.id, User.name, User.phone, WorkerProfile.resident_id, WorkerProfile.subdistrict_id,
                          WorkerProfile.qualification).order_by(User.id)


def enrolment_rows_query(filters: ReportFilters):
    """Every enrolment under the filters, flat, for the enrolments export (streamed)."""
    query = _base(select(
        User.name, User.phone, WorkerProfile.subdistrict_id, Course.code, Course.title, Programme.code.label("programme"),
        Course.starts_on, Enrolment.status, Enrolment.credited_hours,
    ), standings=False).join(User, User.id == Enrolment.worker_id)
    return filters.apply(query).order_by(Enrolment.id)
