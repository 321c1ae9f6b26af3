"""The progress report and the workers behind its figures, for administrators and the district's systems:
the same summary tables, filters, groupings and subdistrict scope as the report's page."""
from flask_babel import lazy_gettext as _l
from flask_smorest import Blueprint

from academy.api.access import caller_scope, errors, requires
from academy.api.admin_schemas import ProgressQuerySchema, ProgressSchema, WorkersPageSchema, WorkersQuerySchema
from academy.api.models import ApiScope
from academy.api.paging import BAD_CURSOR, after_id, page_of
from academy.core.errors import problem
from academy.core.exports import masked
from academy.core.pagecache import REPORTS, PUBLIC, report_result
from academy.extensions import db
from academy.programmes.names import reference_names
from academy.reports.queries import MEASURE_STATUSES, DrilldownPage, ReportFilters, lookup_names, progress_report

bp = Blueprint("api_reports", __name__, url_prefix="/api/v1/reports",
               description="The progress report and its workers (administrators and systems; masked).")
SECURED = [{"bearer": []}]
UNKNOWN_PROGRAMME = _l("No programme has this slug.")
FIGURES = ("enrolled", "completed", "not_completed", "withdrawn", "workers", "hours", "completion_rate", "ce_rate")


def _filters(arguments: dict) -> ReportFilters | None:
    """The report's filters from the arguments, narrowed to the caller's scope; None for an unknown programme."""
    programme = arguments.get("programme")
    if programme and programme.upper() not in {item.code for item in reference_names().programmes}:
        return None
    return ReportFilters(year=arguments.get("year"), programme=programme, tier=arguments.get("tier"),
                         subdistrict_id=caller_scope().narrow(arguments.get("subdistrict")))


def _unknown_programme():
    return problem(422, UNKNOWN_PROGRAMME, errors={"programme": [str(UNKNOWN_PROGRAMME)]})


def _figures(row) -> dict:
    return {name: getattr(row, name) for name in FIGURES}


@bp.route("/progress")
@requires(ApiScope.REPORTS_READ)
@bp.arguments(ProgressQuerySchema, location="query")
@bp.response(200, ProgressSchema)
@bp.doc(security=SECURED)
@errors(bp, 401, 403, 422)
def progress(arguments):
    """The progress report: its figures grouped by one or two of programme, tier, subdistrict,
    qualification level and year, with the total."""
    filters = _filters(arguments)
    if filters is None:
        return _unknown_programme()
    then = arguments.get("then")
    dimensions = [arguments["group"]] + ([then] if then and then != arguments["group"] else [])

    def compute():
        report = progress_report(db.session, dimensions, filters)
        return {"dimensions": dimensions, "total": _figures(report.total), "rows": [
            {"cells": [{"dimension": name, "code": str(key), "label": str(label)}
                       for name, key, label in zip(dimensions, row.keys, row.labels)], **_figures(row)}
            for row in report.rows]}

    # kept like the report's page: per filters, language and version of the summary tables
    return report_result(("api-progress", tuple(dimensions), filters), compute, (PUBLIC, REPORTS))


@bp.route("/workers")
@requires(ApiScope.WORKERS_READ)
@bp.arguments(WorkersQuerySchema, location="query")
@bp.response(200, WorkersPageSchema)
@bp.doc(security=SECURED)
@errors(bp, 400, 401, 403, 422)
def workers(arguments):
    """The workers behind the report, or behind one cell (`cell_<dimension>` from a row's cells) and one
    figure (`measure`), each with their counts there; phone and resident ID masked. Ordered by id."""
    filters = _filters(arguments)
    if filters is None:
        return _unknown_programme()
    after = after_id(arguments.get("cursor"))
    if after is False:
        return problem(400, BAD_CURSOR)
    cell = {name[5:]: value for name, value in arguments.items() if name.startswith("cell_")}
    if "programme" in cell:
        cell["programme"] = cell["programme"].upper()
    limit = arguments["limit"]
    page = DrilldownPage(filters=filters, cell=cell, statuses=MEASURE_STATUSES.get(arguments.get("measure")),
                         seek=("after", after) if after else None, page=1, per_page=limit + 1, error_out=False)
    names = lookup_names(db.session)["subdistricts"]
    rows = []
    for row in page.items:
        phone, resident_id = masked(row.phone, row.resident_id, full=False)
        rows.append({"id": row.id, "name": row.name, "phone": phone, "resident_id": resident_id,
                     "qualification": row.qualification, "enrolled": row.enrolled, "completed": row.completed,
                     "withdrawn": row.withdrawn, "hours": row.hours,
                     "subdistrict": {"id": row.subdistrict_id, "name": names[row.subdistrict_id]}
                     if row.subdistrict_id in names else None})
    return {"total": page.total, **page_of(rows, limit, lambda row: (row["id"],))}
