"""Report aggregates, all computed by SQL (GROUP BY with conditional sums), never by looping rows."""
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, case, cast, distinct, extract, func, select
from sqlalchemy.orm import aliased

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.core.masking import mask_phone_sql
from academy.core.pagination import SeekPagination
from academy.programmes.names import reference_names
from academy.core.spreadsheets import spreadsheet_safe_sql
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.programmes.models import Programme, Tier
from academy.reports.models import EnrolmentTally, ReachTally

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
# The enrolments each figure counts, which its drill-down lists: a rate lists those it is taken over.
MEASURE_STATUSES = {
    "enrolled": SEATED_STATUSES, "completed": (S.COMPLETED,), "completion_rate": (S.COMPLETED, S.NOT_COMPLETED),
    "withdrawn": (S.WITHDRAWN,), "workers": SEATED_STATUSES, "hours": (S.COMPLETED,), "ce_rate": SEATED_STATUSES,
}


@dataclass(frozen=True)
class ReportFilters:
    year: int | None = None
    programme: str | None = None   # programme code
    tier: str | None = None
    subdistrict_id: int | None = None

    def apply(self, query, year=None, subdistrict=None):
        """The filters on a query joined to programmes; year and subdistrict are read from the raw rows'
        columns unless others are named (the summary tables keep their own)."""
        year = year if year is not None else cast(extract("year", Course.starts_on), Integer)
        subdistrict = subdistrict if subdistrict is not None else WorkerProfile.subdistrict_id
        if self.year:
            query = query.where(year == self.year)
        if self.programme:
            query = query.where(Programme.code == self.programme.upper())
        if self.tier:
            query = query.where(Programme.tier == self.tier)
        if self.subdistrict_id:
            query = query.where(subdistrict == self.subdistrict_id)
        return query


def enrolment_joins(query):
    """Enrolments with their course, programme and worker profile: what reports group raw rows by."""
    return (query.select_from(Enrolment)
            .join(Course, Course.id == Enrolment.course_id)
            .join(Programme, Programme.id == Course.programme_id)
            .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id))


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
    """Programme and subdistrict names in the reader's language (results are kept per language)."""
    names = reference_names()
    return {"programmes": {p.code: p.short_name for p in names.programmes},
            "subdistricts": {u.id: u.name for u in names.subdistricts}}


# The report reads the summary tables (academy.reports.models), never the raw enrolments.
T, R = EnrolmentTally, ReachTally
TALLY_COLUMNS = {"programme": Programme.code, "tier": Programme.tier, "subdistrict": T.subdistrict_id,
                 "qualification": T.qualification, "year": T.year}
COUNTS = ("enrolled", "completed", "not_completed", "withdrawn", "workers", "hours", "ce_applicable", "ce_compliant")


def _tally_query(dimensions: list[str], filters: ReportFilters):
    """Enrolled, completed, not completed, withdrawn and hours: sums of the enrolment tallies."""
    def count_of(*statuses):
        return func.sum(T.count_of(*statuses))

    columns = [TALLY_COLUMNS[name] for name in dimensions]
    query = (select(*columns, count_of(*SEATED_STATUSES).label("enrolled"), count_of(S.COMPLETED).label("completed"),
                    count_of(S.NOT_COMPLETED).label("not_completed"), count_of(S.WITHDRAWN).label("withdrawn"),
                    func.coalesce(func.sum(T.hours), 0).label("hours"))
             .select_from(T).join(Programme, Programme.id == T.programme_id))
    query = filters.apply(query, year=T.year, subdistrict=T.subdistrict_id)
    if not columns:
        return query
    # A tally that went back to zero stays as a row of zeros; it is no group of the report.
    return query.group_by(*columns).having(func.sum(T.count_of(*S)) > 0).order_by(*columns)


def _reach_query(dimensions: list[str], filters: ReportFilters):
    """Workers reached and their compliance, from the one scope of the reach tallies that answers exactly:
    per programme when the report splits or filters by programme, else per tier when it does by tier,
    else every programme; per year when it splits or filters by year, else all years."""
    columns = {"subdistrict": R.subdistrict_id, "qualification": R.qualification, "year": R.year}
    query = select().select_from(R)
    if "programme" in dimensions or filters.programme:
        query = query.join(Programme, Programme.id == R.programme_id).where(R.tier == "")
        columns |= {"programme": Programme.code, "tier": Programme.tier}
        if filters.programme:
            query = query.where(Programme.code == filters.programme.upper())
        if filters.tier:
            query = query.where(Programme.tier == filters.tier)
    else:
        by_tier = "tier" in dimensions or filters.tier
        query = query.where(R.programme_id == 0, R.tier != "" if by_tier else R.tier == "")
        columns["tier"] = R.tier
        if filters.tier:
            query = query.where(R.tier == filters.tier)
    query = query.where(R.year > 0 if ("year" in dimensions or filters.year) else R.year == 0)
    if filters.year:
        query = query.where(R.year == filters.year)
    if filters.subdistrict_id:
        query = query.where(R.subdistrict_id == filters.subdistrict_id)
    grouped = [columns[name] for name in dimensions]
    query = query.add_columns(*grouped, func.sum(R.workers).label("workers"),
                              func.sum(R.ce_applicable).label("ce_applicable"),
                              func.sum(R.ce_compliant).label("ce_compliant"))
    return query.group_by(*grouped) if grouped else query


def _key(value):
    return str(value.value) if hasattr(value, "value") else value


def progress_report(session, dimensions: list[str], filters: ReportFilters, *, totals: bool = True) -> Report:
    """Four small aggregates over the summary tables, whatever the number of enrolments (two without the
    totals row, for a reader who adds its own)."""
    width = len(dimensions)
    reach = {tuple(_key(k) for k in row[:width]): row._mapping for row in
             session.execute(_reach_query(dimensions, filters))}
    names = lookup_names(session)
    labelers = [dimension_labeler(name, names) for name in dimensions]
    report = Report(dimensions=dimensions)
    for row in session.execute(_tally_query(dimensions, filters)):
        keys = tuple(_key(k) for k in row[:width])
        data = dict(row._mapping) | dict(reach.get(keys, {}))
        report.rows.append(ReportRow(keys=keys, labels=tuple(label(key) for label, key in zip(labelers, keys)),
                                     **{name: data.get(name) or 0 for name in COUNTS}))
    if not totals:
        return report
    data = dict(session.execute(_tally_query([], filters)).one()._mapping)
    data |= dict(session.execute(_reach_query([], filters)).one()._mapping)
    report.total = ReportRow(keys=(), labels=(), **{name: data.get(name) or 0 for name in COUNTS})
    return report


def _in_cell(query, filters: ReportFilters, cell: dict, statuses=None):
    """The enrolments under the report's filters and in one of its cells (in these statuses)."""
    query = filters.apply(enrolment_joins(query))
    for name, value in cell.items():
        query = query.where(DIMENSIONS[name][1] == value)
    return query.where(Enrolment.status.in_(statuses)) if statuses else query


def drilldown_query(filters: ReportFilters, cell: dict, statuses=None):
    """The workers behind a report cell (or one figure of it: the enrolments in `statuses`), each with
    their counts in it, for a list or an export."""
    seated = Enrolment.status.in_(SEATED_STATUSES)
    query = _in_cell(select(
        User.id, User.name, User.phone, WorkerProfile.resident_id, WorkerProfile.subdistrict_id,
        WorkerProfile.qualification,
        func.sum(case((seated, 1), else_=0)).label("enrolled"),
        func.sum(case((Enrolment.status == S.COMPLETED, 1), else_=0)).label("completed"),
        func.sum(case((Enrolment.status == S.WITHDRAWN, 1), else_=0)).label("withdrawn"),
        func.coalesce(func.sum(case((Enrolment.status == S.COMPLETED, Enrolment.credited_hours))), 0).label("hours"),
    ), filters, cell, statuses).join(User, User.id == Enrolment.worker_id)
    return query.group_by(User.id, User.name, User.phone, WorkerProfile.resident_id, WorkerProfile.subdistrict_id,
                          WorkerProfile.qualification).order_by(User.id)


class DrilldownPage(SeekPagination):
    """A page of drilldown_query's rows without aggregating every worker in the cell: the page's worker
    ids come first, in the order of the enrolments' worker index, then only those workers are
    aggregated; the total comes from the reach tallies' listed workers. Its pages are turned by seeking
    (core/pagination), so the last costs what the first does (figures: docs/performance.md)."""

    def _seek_key(self):
        return Enrolment.worker_id

    def _args(self) -> tuple:
        return self._query_args["filters"], self._query_args["cell"], self._query_args.get("statuses")

    def _seek_statement(self):
        filters, cell, statuses = self._args()
        return _in_cell(select(Enrolment.worker_id), filters, cell, statuses).group_by(Enrolment.worker_id)

    def _seek_rows(self, statement) -> list:
        ids = db.session.scalars(statement).all()
        if not ids:
            return []
        filters, cell, statuses = self._args()
        rows = {row.id: row for row in db.session.execute(
            drilldown_query(filters, cell, statuses).where(Enrolment.worker_id.in_(ids)))}
        return [rows[worker_id] for worker_id in ids if worker_id in rows]

    def _count(self) -> int:
        """From the reach tallies where one of their scopes answers (every worker listed in the cell, or
        those holding a seat); else by counting the enrolments."""
        filters, cell, statuses = self._args()
        scope = _cell_scope(filters, cell)
        tallied = {None: R.listed_workers, SEATED_STATUSES: R.workers}.get(statuses)
        if scope is None or tallied is None:
            return db.session.scalar(_in_cell(select(func.count(distinct(Enrolment.worker_id))), filters, cell,
                                              statuses))
        merged, qualification = scope
        query = _reach_query([], merged).with_only_columns(func.coalesce(func.sum(tallied), 0))
        if qualification is not None:
            query = query.where(R.qualification == qualification)
        return db.session.scalar(query)


def _cell_scope(filters: ReportFilters, cell: dict):
    """The report's filters narrowed to one cell, as the reach tallies' scopes take them, with the cell's
    qualification; None when filter and cell disagree or the year is not a course year."""
    merged = {}
    for name, field_name in (("programme", "programme"), ("tier", "tier"), ("subdistrict", "subdistrict_id"),
                             ("year", "year")):
        chosen = {value for value in (getattr(filters, field_name), cell.get(name)) if value}
        if name == "programme":
            chosen = {value.upper() for value in chosen}
        if len(chosen) > 1 or (name in cell and not cell[name]):
            return None
        merged[field_name] = chosen.pop() if chosen else None
    return ReportFilters(**merged), cell.get("qualification")


def enrolment_rows_query(filters: ReportFilters, status_labels: dict):
    """Every enrolment under the filters, flat and already in the words of the export (masked phone,
    names, translated status, ISO date), so that rows go from the database driver to the file untouched."""
    street = aliased(OrgUnit)
    query = enrolment_joins(select(
        spreadsheet_safe_sql(User.name), mask_phone_sql(User.phone), street.name_zh, spreadsheet_safe_sql(Course.code),
        spreadsheet_safe_sql(Course.title), Programme.name_zh,
        cast(Course.starts_on, String), case(status_labels, value=Enrolment.status, else_=""),
        Enrolment.credited_hours,
    )).join(User, User.id == Enrolment.worker_id).join(street, street.id == WorkerProfile.subdistrict_id)
    return filters.apply(query).order_by(Enrolment.id)


def export_title(name, filters) -> str:
    """What an export holds and whose: its name, the year, the programme and the subdistrict filtered on."""
    names = lookup_names(db.session)
    parts = [str(name), str(filters.year) if filters.year else str(_l("all years"))]
    if filters.programme:
        parts.append(names["programmes"].get(filters.programme.upper(), filters.programme))
    if filters.tier:
        parts.append(str(Tier(filters.tier).label))
    parts.append(names["subdistricts"].get(filters.subdistrict_id, "") if filters.subdistrict_id
                 else str(_l("the whole district")))
    return " · ".join(parts)
