"""Imports after their preview as jobs: a kept upload of more than IMPORT_JOB_ROWS rows is judged again
and applied by a job (academy.core.imports keeps the upload between preview and confirmation)."""
from flask import current_app, redirect, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.auth.models import User
from academy.core.errors import OperationError
from academy.core.imports import kept_upload
from academy.extensions import db
from academy.jobs.kinds import JobError
from academy.jobs.operations import create_job, write_lock
from academy.jobs.runner import enqueue


def start_if_large(form, count_rows, kind: str):
    """The job's page when the confirmed upload holds more than IMPORT_JOB_ROWS rows, else None (the caller
    confirms at once). `count_rows(data)` reads the rows without judging them."""
    if not form.validate_on_submit():
        return None
    path = kept_upload(form.token.data)
    if not path.exists() or count_rows(path.read_bytes()) <= current_app.config["IMPORT_JOB_ROWS"]:
        return None
    job = create_job(current_user, kind, {"token": form.token.data})
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id))


def apply_kept_upload(run, judge_bytes, apply) -> None:
    """Judge the kept file against the database as it is now, apply the good rows (one transaction, the
    runner commits), forget the file (it holds personal data). The page shows rows written of rows read."""
    path = kept_upload(run.params["token"])
    if not path.exists():
        raise JobError(_l("This preview has expired or was already used. Upload the file again."))
    rows = judge_bytes(path.read_bytes())
    run.progress(0, len(rows), force=True)
    write_lock(db.session)
    try:
        written = apply(rows, actor=db.session.get(User, run.job.user_id))
    except OperationError as error:
        raise JobError(str(error.message)) from None
    path.unlink(missing_ok=True)
    run.done = written
