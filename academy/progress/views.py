"""The learning record (学习档案): the worker's own, any worker's for administrators; outside records
and their review; the continuing-education rules."""
import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.auth.models import User, WorkerProfile
from academy.certificates.seal import seal_data_uri, signature_lines
from academy.core.forms import ConfirmForm
from academy.core.i18n import local_today
from academy.core.models import now_utc
from academy.core.permissions import ADMIN_ROLES, Role, role_required
from academy.site.personal_pages import personal_page
from academy.core.views import attempt
from academy.extensions import db
from academy.programmes.models import Tier
from academy.progress import operations
from academy.progress.evidence import evidence_path
from academy.progress.forms import DegreeForm, ResearchForm, ReviewForm, RuleForm, TrainingForm
from academy.progress.models import ContinuingEducationRule, EvidenceFile, ExternalRecord, RecordKind, ReviewStatus
from academy.progress.pdf import render_record
from academy.progress.queries import learning_record

FORMS = {RecordKind.DEGREE: DegreeForm, RecordKind.TRAINING: TrainingForm, RecordKind.RESEARCH: ResearchForm}


def _render_record(worker, template, back=None, **extra):
    return render_template(template, record=learning_record(worker, local_today()), worker=worker,
                           own=worker.id == current_user.id, kinds=RecordKind, tiers=Tier, now=now_utc(), back=back,
                           **extra)


def _render_print(worker, back):
    """The printable record ends with the signature block under the academy's seal, as its PDF does."""
    return _render_record(worker, "progress/print.html", back=back, seal=seal_data_uri(),
                          signature=signature_lines(local_today()))


@personal_page(Role.WORKER)
@role_required(Role.WORKER)
def my_record():
    return _render_record(current_user, "progress/record.html")


@role_required(Role.WORKER)
def my_record_print():
    return _render_print(current_user, back=url_for("progress.my_record"))


def _visible_worker(user_id) -> User:
    worker = db.session.scalar(
        select(User).where(User.id == user_id)
        .options(joinedload(User.profile).joinedload(WorkerProfile.work_unit),
                 joinedload(User.profile).joinedload(WorkerProfile.subdistrict)))
    if worker is None or worker.profile is None or not operations.can_see_worker(current_user, worker):
        abort(404)
    return worker


def _record_pdf(worker):
    data = render_record(learning_record(worker, local_today()))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"learning-record-{worker.id}.pdf")


@role_required(Role.WORKER)
def my_record_pdf():
    return _record_pdf(current_user)


@role_required(*ADMIN_ROLES)
def worker_record_pdf(user_id):
    return _record_pdf(_visible_worker(user_id))


@role_required(*ADMIN_ROLES)
def worker_record(user_id):
    return _render_record(_visible_worker(user_id), "progress/record.html")


@role_required(*ADMIN_ROLES)
def worker_record_print(user_id):
    return _render_print(_visible_worker(user_id), back=url_for("progress.worker_record", user_id=user_id))


def _submitted(form, kind) -> tuple[dict, dict]:
    """The record's values and its evidence upload, as the operations take them."""
    values = {name: form[name].data for name in operations.FIELDS[kind]}
    upload = form.evidence.data
    data = upload.read(10 * 1024 * 1024 + 1) if upload else None
    return values, {"evidence_name": upload.filename if upload else None, "evidence_data": data or None}


@role_required(Role.WORKER)
def record_create(kind):
    try:
        kind = RecordKind(kind)
    except ValueError:
        abort(404)
    form = FORMS[kind]()
    if form.validate_on_submit():
        values, evidence = _submitted(form, kind)
        if attempt(lambda: operations.add_record(current_user, kind, **evidence, **values),
                   form=form, success=_("The record is sent for verification.")):
            return redirect(url_for("progress.my_record"))
    return render_template("progress/record_form.html", form=form, kind=kind)


def _own_pending_record(record_id) -> ExternalRecord:
    item = db.session.get(ExternalRecord, record_id)
    if item is None or item.worker_id != current_user.id:
        abort(404)
    return item


@role_required(Role.WORKER)
def record_edit(record_id):
    item = _own_pending_record(record_id)
    form = FORMS[item.kind](obj=item)
    if item.review_status != ReviewStatus.PENDING:
        flash(_("Only a record awaiting verification can be changed or withdrawn."), "warning")
        return redirect(url_for("progress.my_record"))
    if form.validate_on_submit():
        values, evidence = _submitted(form, item.kind)
        if attempt(lambda: operations.update_record(item, current_user, **evidence, **values),
                   form=form, success=_("The record is changed and still awaits verification.")):
            return redirect(url_for("progress.my_record"))
    return render_template("progress/record_form.html", form=form, kind=item.kind, item=item,
                           withdraw_form=ConfirmForm())


@role_required(Role.WORKER)
def record_withdraw(record_id):
    item = _own_pending_record(record_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: operations.withdraw_record(item, current_user), success=_("The record is withdrawn."))
    return redirect(url_for("progress.my_record"))


@login_required
def evidence_download(evidence_id):
    evidence = db.session.get(EvidenceFile, evidence_id)
    owner = db.session.get(User, evidence.owner_id) if evidence else None
    if evidence is None or not operations.can_see_worker(current_user, owner):
        abort(404)
    return send_file(evidence_path(evidence), mimetype=evidence.content_type, as_attachment=True,
                     download_name=evidence.display_name)


@role_required(Role.ADMIN)
def review_list():
    status = request.args.get("status", ReviewStatus.PENDING.value)
    status = ReviewStatus(status) if status in set(ReviewStatus) else ReviewStatus.PENDING
    query = (select(ExternalRecord).where(ExternalRecord.review_status == status)
             .options(joinedload(ExternalRecord.worker), joinedload(ExternalRecord.evidence))
             .order_by(ExternalRecord.created_at))
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("progress/review_list.html", page=page, status=status, statuses=list(ReviewStatus),
                           form=ReviewForm())


@role_required(Role.ADMIN)
def review(record_id):
    item = db.session.get(ExternalRecord, record_id)
    if item is None:
        abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        attempt(lambda: operations.review(item, actor=current_user, verified=bool(form.verify.data),
                                          reason=form.reason.data),
                success=_("The review is saved and the worker is told."))
    return redirect(url_for("progress.review_list"))


@role_required(Role.ADMIN)
def rule_list():
    rules = db.session.scalars(select(ContinuingEducationRule).order_by(ContinuingEducationRule.id)).all()
    return render_template("progress/rules.html", rules=rules)


@role_required(Role.ADMIN)
def rule_edit(rule_id):
    rule = db.session.get(ContinuingEducationRule, rule_id)
    if rule is None:
        abort(404)
    form = RuleForm(obj=rule)
    if form.validate_on_submit() and attempt(
        lambda: operations.update_rule(rule, actor=current_user,
                                       **{name: form[name].data for name in operations.RULE_FIELDS}),
        form=form,
    ):
        return redirect(url_for("progress.rule_list"))
    return render_template("progress/rule_edit.html", form=form, rule=rule)
