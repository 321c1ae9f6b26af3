"""The quarterly report: an administrator writes its text and issues it; the figures are frozen and the
PDF and XLSX made once, kept unchanged and listed with who issued them."""
import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.core.i18n import local_today
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.plans.models import QuarterlyReport
from academy.plans.operations import issue_quarterly_report
from academy.reports.forms import QuarterlyReportForm
from academy.reports.quarterly import frozen, quarterly_figures
from academy.reports.quarterly_documents import render_pdf, render_xlsx


@role_required(Role.ADMIN)
def quarterly():
    form = QuarterlyReportForm()
    today = local_today()
    if request.method == "GET":
        form.year.data = today.year
        form.quarter.data = (today.month - 1) // 3 + 1
    if form.validate_on_submit():
        figures = quarterly_figures(db.session, form.year.data, form.quarter.data, form.text.data, today)
        done = attempt(lambda: issue_quarterly_report(
            current_user, year=form.year.data, quarter=form.quarter.data, text=form.text.data, figures=frozen(figures),
            pdf=render_pdf(figures, today), xlsx=render_xlsx(figures)),
            form=form, success=_("The quarterly report is issued and kept as it is."))
        if done:
            return redirect(url_for("reports.quarterly"))
    page = db.paginate(select(QuarterlyReport).options(joinedload(QuarterlyReport.issued_by))
                       .order_by(QuarterlyReport.issued_at.desc(), QuarterlyReport.id.desc()),
                       per_page=20, error_out=False)
    return render_template("reports/quarterly.html", form=form, page=page)


def _document(report_id: int, column, mimetype: str, suffix: str):
    found = db.session.execute(select(QuarterlyReport.year, QuarterlyReport.quarter, column)
                               .where(QuarterlyReport.id == report_id)).one_or_none()
    if found is None:
        abort(404)
    year, quarter, data = found
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                     download_name=f"quarterly-report-{year}-q{quarter}-{report_id}.{suffix}")


@role_required(Role.ADMIN)
def quarterly_pdf(report_id):
    return _document(report_id, QuarterlyReport.pdf, "application/pdf", "pdf")


@role_required(Role.ADMIN)
def quarterly_xlsx(report_id):
    return _document(report_id, QuarterlyReport.xlsx,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
