"""The reports' long work: the export of every enrolment (above EXPORT_JOB_ROWS rows) and the annual
return, written to a file by a job. Who may open the file is who may open the report it came from: an
administrator, or the subdistrict administrator of the subdistrict it covers."""
from dataclasses import asdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from academy.core.exports import driver_batches, write_csv, write_xlsx
from academy.core.permissions import ADMIN_ROLES, Role
from academy.core.scope import Scope
from academy.enrolment.models import EnrolmentStatus
from academy.extensions import db
from academy.jobs.kinds import JobKind, register
from academy.reports.queries import ReportFilters, enrolment_rows_query, export_title

ENROLMENT_WIDTHS = [10, 14, 14, 16, 28, 12, 12, 10, 10]
ENROLMENT_HEADER = (_l("Name"), _l("Mobile number"), _l("Subdistrict"), _l("Course code"), _l("Course"),
                    _l("Programme"), _l("First day"), _l("Status"), _l("Credited hours"))


def _in_scope(user, params) -> bool:
    if user.role not in ADMIN_ROLES:
        return False
    return user.role == Role.ADMIN or params.get("subdistrict_id") == Scope.of(user).subdistrict_id


def enrolment_params(filters: ReportFilters, export_format: str) -> dict:
    return {"filters": asdict(filters), "format": export_format, "subdistrict_id": filters.subdistrict_id}


def count_rows(query, up_to: int | None = None) -> int:
    """The query's rows; with `up_to`, counting stops past it (is the export large? reads at most up_to + 1)."""
    inner = query.order_by(None)
    if up_to is not None:
        inner = inner.limit(up_to + 1)
    return db.session.scalar(select(func.count()).select_from(inner.subquery()))


def export_enrolments(run) -> None:
    statuses = {status: str(status.label) for status in EnrolmentStatus}
    filters = ReportFilters(**run.params["filters"])
    query = enrolment_rows_query(filters, statuses)
    run.progress(0, count_rows(query), force=True)
    header = [str(text) for text in ENROLMENT_HEADER]

    def counted(batches):
        done = 0
        for batch in batches:
            yield batch
            done += len(batch)
            run.progress(done)

    batches = counted(driver_batches(db.session, query))
    if run.params.get("format") == "xlsx":
        with run.open_result("enrolments.xlsx", ".xlsx") as handle:
            write_xlsx(handle, "enrolments", header, (row for batch in batches for row in batch), ENROLMENT_WIDTHS,
                       ready=True, title=export_title(_l("Enrolment list"), filters))
    else:
        with run.open_result("enrolments.csv", ".csv") as handle:
            write_csv(handle, header, batches)


def export_annual_return(run) -> None:
    from academy.reports.annual import write_annual_return

    year = int(run.params["year"])
    run.progress(0, 1, force=True)
    with run.open_result(f"annual-return-{year}.xlsx", ".xlsx") as handle:
        write_annual_return(handle, db.session, year, Scope(run.params.get("subdistrict_id")))
    run.done = 1


def monthly_report(run) -> None:
    """The progress report of the year so far, by programme then subdistrict (a subdistrict administrator's:
    their subdistrict), as XLSX: the scheduler starts one for each administrator on the first working day."""
    from academy.reports.queries import DIMENSIONS, MEASURES, progress_report

    filters = ReportFilters(year=int(run.params["year"]), subdistrict_id=run.params.get("subdistrict_id"))
    dimensions = ["programme", "subdistrict"]
    report = progress_report(db.session, dimensions, filters)
    header = [str(DIMENSIONS[name][0]) for name in dimensions] + [str(label) for name, label in MEASURES]
    rows = [list(row.labels) + [getattr(row, name) for name, label in MEASURES] for row in report.rows]
    rows.append(["", str(_l("Total"))] + [getattr(report.total, name) for name, label in MEASURES])
    run.progress(0, len(rows), force=True)
    with run.open_result(f"progress-report-{run.params['month']}.xlsx", ".xlsx") as handle:
        write_xlsx(handle, "progress", header, rows, [18] * len(header), title=export_title(_l("Progress report"), filters),
                   percent_columns=[len(dimensions) + index for index, (name, _label) in enumerate(MEASURES)
                                    if name in ("completion_rate", "ce_rate")])
    run.done = len(rows)


register(JobKind("enrolments_export", _l("Export of every enrolment"), export_enrolments, _in_scope,
                 back="reports.progress"))
register(JobKind("annual_return", _l("Annual statistical return"), export_annual_return, _in_scope,
                 back="reports.dashboard"))
register(JobKind("monthly_report", _l("Monthly progress report"), monthly_report, _in_scope, back="reports.progress"))
