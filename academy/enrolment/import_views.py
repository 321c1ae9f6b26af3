"""Administrators enrol a class list: upload, preview every row, confirm to write the good rows."""
import re
import secrets
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.core.errors import OperationError
from academy.core.permissions import Role, role_required
from academy.enrolment.forms import ImportConfirmForm, ImportUploadForm
from academy.enrolment.importer import ImportFileError, Outcome, apply, judge, parse_rows, read_table
from academy.extensions import db

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


def _upload_path(token: str) -> Path:
    if not TOKEN_PATTERN.match(token or ""):
        abort(400)
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{token}.upload"


def _summary(rows) -> dict:
    return {outcome: sum(row.outcome == outcome for row in rows) for outcome in Outcome}


@role_required(Role.ADMIN)
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        try:
            rows = judge(parse_rows(read_table(data)))
        except ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            token = secrets.token_urlsafe(18)
            _upload_path(token).write_bytes(data)  # a generated name, outside static/
            confirm = ImportConfirmForm(token=token)
            return render_template("enrolment/import_preview.html", rows=rows, summary=_summary(rows),
                                   confirm=confirm, good=sum(row.outcome.is_good for row in rows))
    return render_template("enrolment/import_upload.html", form=form)


@role_required(Role.ADMIN)
def import_confirm():
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = _upload_path(form.token.data)
    if not path.exists():
        flash(_("This preview has expired or was already used. Upload the file again."), "warning")
        return redirect(url_for("enrolment.import_upload"))
    rows = judge(parse_rows(read_table(path.read_bytes())))
    try:
        written = apply(rows, actor=current_user)
    except OperationError as error:
        db.session.rollback()
        flash(_("Nothing was written: %(reason)s Upload the file again to see the current outcomes.",
                reason=error.message), "danger")
        return redirect(url_for("enrolment.import_upload"))
    db.session.commit()
    path.unlink(missing_ok=True)  # the class list holds personal data; the enrolments keep the result
    flash(_("%(count)d enrolments written; %(skipped)d rows skipped.", count=written,
            skipped=len(rows) - written), "success")
    return redirect(url_for("enrolment.import_upload"))
