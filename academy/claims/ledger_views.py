"""The ledger's XLSX (masked, or in full with a reason, audited) and the statistics page and export."""
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from academy.audit.operations import record as audit
from academy.claims.forms import LedgerFullForm
from academy.claims.ledger import LEDGER_HEADER, LEDGER_WIDTHS, ledger_claims, ledger_rows, statistics
from academy.claims.models import Claim, Scheme
from academy.core.exports import xlsx_response
from academy.core.forms import ConfirmForm
from academy.core.permissions import Role, role_required
from academy.extensions import db
from academy.jobs.operations import create_job
from academy.jobs.runner import enqueue
from academy.programmes.names import subdistrict_refs

STATS_HEADER = (_l("Group"), _l("Applicants"), _l("Approved"), _l("Rejected"), _l("Amount"))


def _scheme(scheme_id) -> Scheme:
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None:
        abort(404)
    return scheme


def _ledger(scheme: Scheme, full: bool):
    header = [str(text) for text in LEDGER_HEADER]
    title = _l("Exam subsidy ledger, %(year)s exam", year=scheme.exam_year)
    return xlsx_response(f"ledger-{scheme.exam_year}", f"{scheme.exam_year}", header,
                         ledger_rows(ledger_claims(scheme.id), full), LEDGER_WIDTHS, title=str(title))


@role_required(Role.ADMIN)
def ledger(scheme_id):
    """The masked ledger; a scheme with more claims than EXPORT_JOB_ROWS is offered as a job (a GET writes
    nothing: the job starts by POST)."""
    scheme = _scheme(scheme_id)
    limit = current_app.config["EXPORT_JOB_ROWS"]
    if db.session.scalar(select(func.count(Claim.id)).where(Claim.scheme_id == scheme.id,
                                                            Claim.submitted_at.is_not(None))) > limit:
        return render_template("jobs/start.html", limit=limit, form=ConfirmForm(),
                               back=url_for("claims.scheme_detail", scheme_id=scheme.id),
                               action=url_for("claims.ledger_job", scheme_id=scheme.id))
    return _ledger(scheme, full=False)


@role_required(Role.ADMIN)
def ledger_job(scheme_id):
    """The masked ledger written by a job; answers with the job's page."""
    scheme = _scheme(scheme_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = create_job(current_user, "claims_ledger", {"scheme_id": scheme.id})
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@role_required(Role.ADMIN)
def ledger_full(scheme_id):
    """Resident ID and bank account numbers in full: only with a reason, which goes to the audit trail."""
    scheme = _scheme(scheme_id)
    form = LedgerFullForm()
    if not form.validate_on_submit():
        return render_template("claims/ledger_full.html", form=form, scheme=scheme), 400
    audit("claims.ledger_export", scheme, actor=current_user, full=True, reason=form.reason.data)
    db.session.commit()
    return _ledger(scheme, full=True)


@role_required(Role.ADMIN)
def scheme_statistics(scheme_id):
    scheme = _scheme(scheme_id)
    stats = statistics(scheme)
    names = {ref.id: ref.name for ref in subdistrict_refs()}
    if request.args.get("format") == "xlsx":
        rows = [[level.label, t.applicants, t.approved, t.rejected, t.amount] for level, t in stats.levels.items()]
        rows += [[names.get(street, ""), t.applicants, t.approved, t.rejected, t.amount]
                 for street, t in sorted(stats.streets.items(), key=lambda item: names.get(item[0], ""))]
        rows.append([str(_l("Total")), stats.total.applicants, stats.total.approved, stats.total.rejected,
                     stats.total.amount])
        return xlsx_response(f"claims-{scheme.exam_year}", "statistics", [str(h) for h in STATS_HEADER], rows,
                             [24, 12, 12, 12, 14],
                             title=str(_l("Exam subsidy statistics, %(year)s exam", year=scheme.exam_year)))
    return render_template("claims/statistics.html", scheme=scheme, stats=stats, names=names,
                           full_form=LedgerFullForm())
