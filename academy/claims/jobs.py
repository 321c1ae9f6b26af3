"""The claims' long work: a scheme's ledger above EXPORT_JOB_ROWS claims, written (masked) by a job. Only
administrators, who keep the ledger, may open the file."""
from flask_babel import lazy_gettext as _l

from academy.claims.ledger import LEDGER_HEADER, LEDGER_WIDTHS, ledger_claims, ledger_rows
from academy.claims.models import Scheme
from academy.core.exports import write_xlsx
from academy.core.permissions import Role
from academy.extensions import db
from academy.jobs.kinds import JobKind, register


def _administrators_only(user, params) -> bool:
    return user.role == Role.ADMIN


def export_ledger(run) -> None:
    scheme = db.session.get(Scheme, int(run.params["scheme_id"]))
    claims = ledger_claims(scheme.id)
    run.progress(0, len(claims), force=True)

    def counted(rows):
        for done, row in enumerate(rows, start=1):
            yield row
            run.progress(done)

    with run.open_result(f"ledger-{scheme.exam_year}.xlsx", ".xlsx") as handle:
        write_xlsx(handle, f"{scheme.exam_year}", [str(text) for text in LEDGER_HEADER],
                   counted(ledger_rows(claims, False)), LEDGER_WIDTHS,
                   title=str(_l("Exam subsidy ledger, %(year)s exam", year=scheme.exam_year)))


register(JobKind("claims_ledger", _l("Exam subsidy ledger"), export_ledger, _administrators_only,
                 back="claims.scheme_list"))
