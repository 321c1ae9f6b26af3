"""Administrators import the annual results list: upload, preview every row, confirm to write the
verified records (the preview/confirm steps are academy.core.imports', shared with the class lists)."""
from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from academy.core import imports
from academy.core.permissions import Role, role_required
from academy.jobs.imports import start_if_large
from academy.qualifications import jobs as results_jobs
from academy.qualifications.forms import ImportConfirmForm, ImportUploadForm
from academy.qualifications.importer import Outcome, apply, judge, parse_rows


def _judge(data: bytes):
    return judge(parse_rows(imports.read_table(data)))


@role_required(Role.ADMIN)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit() and (result := imports.preview(form, _judge)):
        rows, token = result
        return render_template("qualifications/import_preview.html", rows=rows, summary=imports.summary(rows, Outcome),
                               confirm=ImportConfirmForm(token=token), good=sum(row.outcome.is_good for row in rows))
    return render_template("qualifications/import_upload.html", form=form)


@role_required(Role.ADMIN)
def import_confirm():
    """Above IMPORT_JOB_ROWS rows the records are written by a job, whose page answers at once."""
    form = ImportConfirmForm()
    started = start_if_large(form, results_jobs.count_rows, "results_import")
    if started is not None:
        return started
    return imports.confirm(
        form, _judge, lambda rows: apply(rows, actor=current_user), "qualifications.import_upload",
        lambda written, rows: _("%(count)d verified records written; %(skipped)d rows skipped.", count=written,
                                skipped=len(rows) - written))
