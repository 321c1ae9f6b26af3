"""Dashboard, progress report with drill-down, exports and the annual statistical return. Reports only
read; a full export (unmasked) is the one thing written, to the audit trail."""
from urllib.parse import parse_qsl, urlencode

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from academy.audit.operations import record
from academy.claims.ledger import dashboard_figures as claim_figures
from academy.auth.enums import Qualification
from academy.core.database import needs_transaction
from academy.core.forms import ConfirmForm
from academy.core.i18n import local_today
from academy.core.pagecache import PUBLIC, REPORTS, report_result
from academy.core.pagination import SEEK_ARGUMENTS, seek_from
from academy.core.permissions import ADMIN_ROLES, Role, role_required
from academy.core.urls import MAX_ID, whole_number_arg
from academy.programmes.names import reference_names
from academy.enrolment.models import EnrolmentStatus
from academy.evaluations.models import DIMENSION_LABELS as EVALUATION_LABELS
from academy.evaluations.models import DIMENSIONS as EVALUATION_SCORES
from academy.evaluations.models import EVALUATIONS
from academy.extensions import db
from academy.partners.models import AGREEMENTS
from academy.partners.queries import expiring_agreements
from academy.plans.models import PLANS
from academy.programmes.models import Tier
from academy.progress.operations import awaiting_review_count
from academy.jobs.operations import create_job
from academy.jobs.runner import enqueue
from academy.reports import annual
from academy.reports import jobs as report_jobs
from academy.reports.dashboard import build_dashboard
from academy.reports.evaluations import evaluation_cells
from academy.reports.plans_progress import progress_against_plans
from academy.core.exports import csv_export, csv_response, driver_batches, masked, xlsx_response
from academy.reports.forms import FullExportForm, ReportForm
from academy.reports.queries import (
    DIMENSIONS, MEASURE_STATUSES, MEASURES, DrilldownPage, ReportFilters, drilldown_query, enrolment_rows_query,
    export_title, lookup_names, progress_report,
)
from academy.core.scope import Scope

def _cell_id(text: str) -> int:
    """A whole-number cell (a year, a subdistrict's id): ValueError beyond the ids' range too."""
    value = int(text)
    if not 0 <= value <= MAX_ID:
        raise ValueError(text)
    return value


CELL_TYPES = {"year": _cell_id, "subdistrict": _cell_id}


@role_required(*ADMIN_ROLES)
def dashboard():
    scope = Scope.of(current_user)
    year = whole_number_arg("year", minimum=2000, maximum=2100) or local_today().year
    today, show_expiring = local_today(), current_user.role == Role.ADMIN

    def build():
        return {"board": build_dashboard(db.session, year, scope.subdistrict_id), "today": today,
                "show_expiring": show_expiring, "expiring": expiring_agreements(today) if show_expiring else [],
                # the district's own plans (a subdistrict's administrator: theirs too); every subdistrict's
                # share is in the progress report
                "plans": progress_against_plans(db.session, year, scope.subdistrict_id, today, district_only=True),
                "claims": claim_figures(db.session, scope.subdistrict_id)}  # the latest exam-subsidy scheme

    found, board_html = kept_with_rendering(("dashboard", year, scope.subdistrict_id, today, show_expiring), build,
                                            "reports/_dashboard_board.html",
                                            families=(PUBLIC, REPORTS, AGREEMENTS, PLANS, EVALUATIONS))
    awaiting = awaiting_review_count() if current_user.role == Role.ADMIN else 0  # who reviews outside records
    return render_template("reports/dashboard.html", board=found["board"], board_html=board_html, awaiting=awaiting)


def kept_with_rendering(key: tuple, compute, template: str, families: tuple = (PUBLIC, REPORTS), **context) -> tuple:
    """A report's figures and their rendering by `template`: compute() gives the figures (a dict, passed to
    the template with `context`); both are computed and rendered once per key, language and version of
    `families`, and kept together. Rendering the charts and tables costs more than reading the summary
    tables, and is the same for everyone the key admits (it holds their scope; nothing personal, no form
    token, is in the template)."""
    def build():
        found = compute()
        return found, Markup(render_template(template, **found, **context))  # nosec B704: an autoescaped template

    return report_result(key, build, families)


def _report_form(args=None):
    form = ReportForm(args if args is not None else request.args)
    names = reference_names()
    form.set_choices(names.programmes, names.subdistricts, list(Tier))
    form.validate()
    return form


def _filters(form, scope: Scope) -> ReportFilters:
    subdistrict = form.valid_value("subdistrict")
    return ReportFilters(year=form.valid_value("year"), programme=form.valid_value("programme"), tier=form.valid_value("tier"),
                         subdistrict_id=scope.narrow(int(subdistrict) if subdistrict else None))


def _dimensions(form) -> list[str]:
    first = form.valid_value("group") or "programme"
    then = form.valid_value("then")
    return [first] + ([then] if then and then != first else [])


PERCENT_MEASURES = ("completion_rate", "ce_rate")


def _report_table(report):
    header = [str(DIMENSIONS[name][0]) for name in report.dimensions] + [str(label) for name, label in MEASURES]
    rows = [list(row.labels) + [getattr(row, name) for name, label in MEASURES] for row in report.rows]
    return header, rows


@role_required(*ADMIN_ROLES)
def progress():
    form = _report_form()
    scope = Scope.of(current_user)
    dimensions, filters = _dimensions(form), _filters(form, scope)
    query_args = {key: value for key, value in request.args.items() if key not in ("format",) and value}
    found, table = kept_with_rendering(
        ("progress", tuple(dimensions), filters, tuple(sorted(query_args.items()))),  # the links carry the query
        lambda: {"report": progress_report(db.session, dimensions, filters)}, "reports/_progress_table.html",
        measures=MEASURES, dimensions=DIMENSIONS, query_args=query_args)
    report = found["report"]
    plans_year = filters.year or local_today().year
    today = local_today()
    _found, plans_html = kept_with_rendering(
        ("plans", plans_year, filters.subdistrict_id, filters.programme, today),
        lambda: {"plans": [item for item in progress_against_plans(db.session, plans_year, filters.subdistrict_id, today)
                           if not filters.programme or item.plan.programme.code == filters.programme.upper()],
                 "plans_year": plans_year},
        "reports/_plans_section.html", families=(PUBLIC, REPORTS, PLANS))
    export_format = request.args.get("format")
    if export_format in ("csv", "xlsx"):
        header, rows = _report_table(report)
        rows.append([""] * (len(report.dimensions) - 1) + [_("Total")]
                    + [getattr(report.total, name) for name, label in MEASURES])
        _with_evaluations(header, rows, report, filters, scoped=scope.subdistrict_id is not None)
        rates = [len(report.dimensions) + index for index, (name, _label) in enumerate(MEASURES)
                 if name in PERCENT_MEASURES]
        if export_format == "csv":
            return csv_response("progress-report", header, [
                [f"{value}%" if index in rates and value is not None else value for index, value in enumerate(row)]
                for row in rows])
        return xlsx_response("progress-report", "progress", header, rows, [18] * len(header),
                             title=export_title(_("Progress report"), filters), percent_columns=rates)
    return render_template("reports/progress.html", form=form, table=table, query_args=query_args,
                           scoped=scope.subdistrict_id is not None, plans_html=plans_html)


def _with_evaluations(header: list, rows: list, report, filters, *, scoped: bool) -> None:
    """The export's evaluation columns: answers and each score's average per row and in total; for a
    subdistrict's administrator, averages only from EVALUATION_MIN_ANSWERS answers (as instructors see them)."""
    minimum = current_app.config["EVALUATION_MIN_ANSWERS"] if scoped else 1
    empty = (0, [None] * len(EVALUATION_SCORES))
    cells = evaluation_cells(db.session, report.dimensions, filters, minimum=minimum)
    total = evaluation_cells(db.session, [], filters, minimum=minimum).get((), empty)
    header += [_("Evaluation answers")] + [_("Evaluation: %(question)s", question=EVALUATION_LABELS[name])
                                           for name in EVALUATION_SCORES]
    for row, keys in zip(rows, [item.keys for item in report.rows] + [None]):  # the last row is the total
        answers, averages = total if keys is None else cells.get(keys, empty)
        row += [answers, *averages]


def _cell_from(args) -> dict:
    """The report cell a drill-down is for, from cell_<dimension> arguments (ValueError if malformed)."""
    return {name: CELL_TYPES.get(name, str)(args[f"cell_{name}"]) for name in DIMENSIONS if args.get(f"cell_{name}")}


WORKER_WIDTHS = [12, 14, 22, 16, 18, 10, 10, 10, 12]
WORKER_HEADER = (_l("Name"), _l("Mobile number"), _l("Resident ID number"), _l("Subdistrict"),
                 _l("Qualification level"), _l("Enrolled"), _l("Completed"), _l("Withdrawn"), _l("Hours delivered"))


def _worker_rows(query, full: bool):
    names = lookup_names(db.session)["subdistricts"]
    levels = {level: str(level.label) for level in Qualification}  # translated once, not per row
    needs_transaction(db.session.connection())  # rows come through a server-side cursor
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        phone, resident_id = masked(row.phone, row.resident_id, full)
        yield [row.name, phone, resident_id, names.get(row.subdistrict_id, ""), levels.get(row.qualification, ""),
               row.enrolled, row.completed, row.withdrawn, row.hours]


@role_required(*ADMIN_ROLES)
def workers():
    form = _report_form()
    scope = Scope.of(current_user)
    try:
        cell = _cell_from(request.args)
    except ValueError:
        abort(400)
    measure = _measure_from(request.args)
    statuses = MEASURE_STATUSES.get(measure)
    filters = _filters(form, scope)
    export_format = request.args.get("format")
    header = [str(text) for text in WORKER_HEADER]
    if export_format == "csv":
        return csv_response("workers", header, _worker_rows(drilldown_query(filters, cell, statuses), full=False))
    if export_format == "xlsx":
        return xlsx_response("workers", "workers", header,
                             _worker_rows(drilldown_query(filters, cell, statuses), full=False), WORKER_WIDTHS,
                             title=export_title(_("Workers"), filters))
    page = DrilldownPage(filters=filters, cell=cell, statuses=statuses, seek=seek_from(request.args), per_page=50,
                         error_out=False)
    names = lookup_names(db.session)["subdistricts"]
    export_query = urlencode({k: v for k, v in request.args.items() if k not in ("format", *SEEK_ARGUMENTS)})
    return render_template("reports/workers.html", page=page, names=names, form=form, measure=measure,
                           measure_label=dict(MEASURES).get(measure), export_form=FullExportForm(query=export_query),
                           export_query=export_query)


def _measure_from(args) -> str | None:
    """The figure of the cell a drill-down lists (none: every worker in the cell); 400 when unknown."""
    measure = args.get("measure") or None
    if measure is not None and measure not in MEASURE_STATUSES:
        abort(400)
    return measure


@role_required(Role.ADMIN)
def workers_full_export():
    """Unmasked mobile and ID numbers: only with a reason, which goes to the audit trail."""
    form = FullExportForm()
    if not form.validate_on_submit():
        return render_template("reports/full_export.html", form=form), 400
    args = MultiDict(parse_qsl(form.query.data or ""))
    report_form = _report_form(args)
    try:
        cell = _cell_from(args)
    except ValueError:
        abort(400)
    statuses = MEASURE_STATUSES.get(_measure_from(args))
    query = drilldown_query(_filters(report_form, Scope.of(current_user)), cell, statuses)
    record("report.full_export", actor=current_user, reason=form.reason.data, query=form.query.data,
           format=form.format.data)
    db.session.commit()
    header = [str(text) for text in WORKER_HEADER]
    if form.format.data == "csv":
        return csv_response("workers-full", header, _worker_rows(query, full=True))
    return xlsx_response("workers-full", "workers", header, _worker_rows(query, full=True), WORKER_WIDTHS,
                         title=export_title(_("Workers"), _filters(report_form, Scope.of(current_user))))


ENROLMENT_HEADER = report_jobs.ENROLMENT_HEADER


@role_required(*ADMIN_ROLES)
def enrolments_export():
    """Every enrolment under the report's filters, one per row (masked), as CSV or XLSX; above
    EXPORT_JOB_ROWS rows written by a job, whose page the request answers with at once."""
    form = _report_form()
    statuses = {status: str(status.label) for status in EnrolmentStatus}  # translated once, not per row
    filters = _filters(form, Scope.of(current_user))
    query = enrolment_rows_query(filters, statuses)
    limit = current_app.config["EXPORT_JOB_ROWS"]
    rows = report_jobs.count_rows(query, up_to=limit)
    if rows > limit:  # a GET changes nothing: the job starts by POST
        return render_template("jobs/start.html", limit=limit, form=ConfirmForm(), back=url_for("reports.progress"),
                               action=url_for("reports.enrolments_export_job", **request.args))
    header = [str(text) for text in ENROLMENT_HEADER]
    if request.args.get("format") == "xlsx":
        rows = (row for batch in driver_batches(db.session, query) for row in batch)
        return xlsx_response("enrolments", "enrolments", header, rows, [10, 14, 14, 16, 28, 12, 12, 10, 10], ready=True,
                             title=export_title(_("Enrolment list"), filters))
    return csv_export(db.session, "enrolments", header, query)


def _start_job(kind: str, params: dict):
    job = create_job(current_user, kind, params)
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@role_required(*ADMIN_ROLES)
def enrolments_export_job():
    """Every enrolment under the filters in the URL, written by a job; answers with the job's page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    filters = _filters(_report_form(), Scope.of(current_user))
    export_format = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    return _start_job("enrolments_export", report_jobs.enrolment_params(filters, export_format))


@role_required(*ADMIN_ROLES)
def annual_return_job():
    """The annual return prepared in the background (POST): its job page answers at once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    year = whole_number_arg("year", minimum=2000, maximum=2100) or local_today().year
    return _start_job("annual_return", {"year": year, "subdistrict_id": Scope.of(current_user).subdistrict_id})


@role_required(*ADMIN_ROLES)
def annual_return():
    year = whole_number_arg("year", minimum=2000, maximum=2100) or local_today().year
    return annual.annual_return_response(db.session, year, Scope.of(current_user))
