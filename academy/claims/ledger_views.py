"""The ledger's XLSX (masked, or in full with a reason, audited) and the statistics page and export."""
from flask import abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.audit.operations import record as audit
from academy.claims.forms import LedgerFullForm
from academy.claims.ledger import LEDGER_HEADER, LEDGER_WIDTHS, ledger_claims, ledger_rows, statistics
from academy.claims.models import Scheme
from academy.core.exports import xlsx_response
from academy.core.permissions import Role, role_required
from academy.extensions import db
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
    return _ledger(_scheme(scheme_id), full=False)


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
