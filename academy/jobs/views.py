"""A job's progress page (and the JSON it polls), its file, a retry; "my downloads"; every job for the
administrators, who may also queue the maintenance work. A job and its file are shown only to the user
who started it (and the administrators), and only while its kind's page would still let them in."""
from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.core.errors import OperationError
from academy.core.forms import ConfirmForm
from academy.core.models import now_utc
from academy.auth.models import User
from academy.core.permissions import Role, role_required
from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs.kinds import KINDS, kind_of
from academy.jobs.models import Job, JobEvent, JobStatus
from academy.jobs.forms import ReminderSettingsForm
from academy.jobs.reminders import KINDS as KIND_LABELS
from academy.jobs.reminders import OPTIONAL, opted_out_kinds, read_stop_token, set_opt_outs
from academy.jobs.runner import enqueue

MAINTENANCE = ("rebuild_tallies", "refresh_standings")


def _visible_job(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not (job.user_id == current_user.id or current_user.role == Role.ADMIN):
        abort(404)
    kind = kind_of(job.kind)
    if kind is None or not kind.allowed(current_user, job.params or {}):
        abort(404)
    return job


def _status(job: Job) -> dict:
    done = job.status == JobStatus.DONE
    return {"status": str(job.status), "label": str(job.status.label), "done": job.done, "total": job.total,
            "percent": job.percent, "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
            "download": url_for("jobs.download", job_id=job.id) if done and job.result_file else None,
            "error": job.error}


@login_required
def job_page(job_id):
    job = _visible_job(job_id)
    events = db.session.scalars(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.id)).all()
    return render_template("jobs/job.html", job=job, kind=kind_of(job.kind), events=events,
                           available=ops.result_path(job) is not None, form=ConfirmForm())


@login_required
def job_status(job_id):
    response = jsonify(_status(_visible_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
def download(job_id):
    job = _visible_job(job_id)
    path = ops.result_path(job) if job.status == JobStatus.DONE else None
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=job.result_name or path.name)


@login_required
def retry(job_id):
    job = _visible_job(job_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        ops.retry(job, current_user)
    except OperationError as error:
        flash(str(error.message), "danger")
        return redirect(url_for("jobs.job_page", job_id=job.id))
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@login_required
def my_downloads():
    since = now_utc() - ops.KEEP_FILES
    query = (select(Job).where(Job.user_id == current_user.id, Job.created_at >= since)
             .order_by(Job.id.desc()))
    page = db.paginate(query, per_page=20, error_out=False)
    return render_template("jobs/mine.html", page=page, kind_of=kind_of)


@role_required(Role.ADMIN)
def job_list():
    status = request.args.get("status")
    query = select(Job).options(joinedload(Job.user)).order_by(Job.id.desc())
    if status in {member.value for member in JobStatus}:
        query = query.where(Job.status == status)
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("jobs/list.html", page=page, kind_of=kind_of, statuses=list(JobStatus),
                           maintenance=[KINDS[name] for name in MAINTENANCE if name in KINDS], form=ConfirmForm())


@role_required(Role.ADMIN)
def queue_maintenance(work):
    if work not in MAINTENANCE or work not in KINDS:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = ops.create_job(current_user, work)
    db.session.commit()
    enqueue(job)
    flash(_("The work is queued."), "success")
    return redirect(url_for("jobs.job_page", job_id=job.id))


@login_required
def reminder_settings():
    """Which optional reminders the user receives (by notification, e-mail and SMS)."""
    off = opted_out_kinds(current_user.id)
    form = ReminderSettingsForm(data={kind: kind not in off for kind in OPTIONAL})
    if form.validate_on_submit():
        set_opt_outs(current_user, {kind for kind in OPTIONAL if not form[kind].data})
        db.session.commit()
        flash(_("Your reminder settings are saved."), "success")
        return redirect(url_for("jobs.reminder_settings"))
    return render_template("jobs/reminders.html", form=form, duties=[KIND_LABELS[kind] for kind in KIND_LABELS
                                                                     if kind not in OPTIONAL])


def stop_reminders(token):
    """The one-click link of a reminder e-mail (no sign-in): a page to confirm, a POST to turn the kind off."""
    found = read_stop_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None:
        abort(404)
    kind = found[1]
    form = ConfirmForm()
    if form.validate_on_submit():
        set_opt_outs(user, opted_out_kinds(user.id) | {kind})
        db.session.commit()
        return render_template("jobs/stop_reminders.html", kind=KIND_LABELS[kind], done=True, form=form)
    return render_template("jobs/stop_reminders.html", kind=KIND_LABELS[kind], done=kind in opted_out_kinds(user.id),
                           form=form)
