"""Public verification, downloads for the holder and the course's staff, revocation."""
import io
import re

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from academy.auth.models import WorkerProfile
from academy.certificates import jobs as certificate_jobs
from academy.certificates import operations, verification
from academy.certificates.forms import RevokeForm, VerifyForm
from academy.certificates.models import Certificate
from academy.certificates.pdf import render_certificate
from academy.core.filenames import entry_name_part
from academy.core.forms import ConfirmForm
from academy.core.masking import mask_name
from academy.core.permissions import Role, role_required
from academy.core.scope import Scope
from academy.core.views import attempt
from academy.evaluations.operations import may_download_certificate
from academy.courses.queries import get_course_or_404
from academy.extensions import db, limiter
from academy.jobs.operations import create_job
from academy.jobs.runner import enqueue

VERIFY_LIMIT = "30 per minute"


@limiter.limit(VERIFY_LIMIT, exempt_when=lambda: not request.args)
def verify_form():
    """Look a certificate up by its verification code or by its serial number, both printed on it."""
    form = VerifyForm(request.args)
    if request.args and form.validate():
        if operations.SERIAL.match(re.sub(r"\s+", "", form.code.data).upper()):
            return _verify_result(operations.lookup_statement(form.code.data), code=None)
        return redirect(url_for("certificates.verify", code=operations.normalise_code(form.code.data)))
    return render_template("certificates/verify_form.html", form=form)


@limiter.limit(VERIFY_LIMIT)
def verify(code):
    return _verify_result(operations.lookup_statement(code), code=operations.normalise_code(code))


def _verify_result(query, code: str | None):
    """The certificate the query finds, else (for a code) another domain's document, else a 404."""
    cert = db.session.scalar(query)
    if cert is None:
        other = verification.find(code) if code else None
        if other is not None:
            template, context = other
            return render_template(template, form=VerifyForm(formdata=None), **context)
        return render_template("certificates/verify_result.html", cert=None, form=VerifyForm(formdata=None)), 404
    return render_template("certificates/verify_result.html", cert=cert, holder=mask_name(cert.holder_name),
                           form=VerifyForm(formdata=None))


def _pdf_response(cert: Certificate):
    data = render_certificate(cert, operations.verify_url(cert))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{cert.serial}.pdf")


def _holder_in_scope(cert: Certificate) -> bool:
    """The holder works in the signed-in subdistrict administrator's subdistrict."""
    scope = Scope.of(current_user)
    return scope.subdistrict_id is not None and db.session.scalar(
        select(WorkerProfile.subdistrict_id).where(WorkerProfile.user_id == cert.worker_id)) == scope.subdistrict_id


@login_required
def download(certificate_id):
    cert = db.session.get(Certificate, certificate_id)
    if cert is None or not (cert.worker_id == current_user.id or current_user.role == Role.ADMIN
                            or _holder_in_scope(cert)):
        abort(404)
    if cert.is_revoked:
        return render_template("certificates/revoked.html", cert=cert), 410
    if cert.worker_id == current_user.id and not may_download_certificate(cert.course, current_user.id):
        flash(_("Please evaluate the course first: its certificate can be downloaded once you have answered."), "info")
        return redirect(url_for("evaluations.answer_form", course_id=cert.course_id))
    return _pdf_response(cert)


@role_required(Role.INSTRUCTOR, Role.ADMIN)
def course_zip(course_id):
    """Every valid certificate of the course in one ZIP; above CERT_ZIP_JOB_COUNT written by a job."""
    course = get_course_or_404(course_id, editable=True)
    certs = db.session.scalars(certificate_jobs.course_certificates(course.id)).all()
    if len(certs) > current_app.config["CERT_ZIP_JOB_COUNT"]:  # a GET changes nothing: the job starts by POST
        return render_template("jobs/start.html", limit=current_app.config["CERT_ZIP_JOB_COUNT"], form=ConfirmForm(),
                               back=url_for("courses.course_manage", course_id=course.id),
                               action=url_for("certificates.course_zip_job", course_id=course.id))
    buffer = io.BytesIO()
    certificate_jobs.write_zip(buffer, certs, operations.verify_url)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"{entry_name_part(course.code)}-certificates.zip")


@role_required(Role.INSTRUCTOR, Role.ADMIN)
def course_zip_job(course_id):
    """The course's certificates as a ZIP written by a job; answers with the job's page."""
    course = get_course_or_404(course_id, editable=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job = create_job(current_user, "certificates_zip", {"course_id": course.id, "base": request.url_root})
    db.session.commit()
    enqueue(job)
    return redirect(url_for("jobs.job_page", job_id=job.id))


@role_required(Role.ADMIN, Role.STREET_ADMIN)
def certificate_list():
    """Every certificate for administrators; a subdistrict administrator's, those of their subdistrict's workers."""
    text = (request.args.get("q") or "").strip()[:50]
    query = select(Certificate).options(joinedload(Certificate.programme)).order_by(Certificate.id.desc())
    scope = Scope.of(current_user)
    if scope.subdistrict_id is not None:
        query = query.join(WorkerProfile, WorkerProfile.user_id == Certificate.worker_id).where(
            WorkerProfile.subdistrict_id == scope.subdistrict_id)
    if text:
        query = query.where(or_(Certificate.serial.contains(text, autoescape=True),
                                Certificate.holder_name.contains(text, autoescape=True)))
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("certificates/list.html", page=page, text=text)


@role_required(Role.ADMIN)
def revoke(certificate_id):
    cert = db.session.get(Certificate, certificate_id)
    if cert is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit() and attempt(
        lambda: operations.revoke(cert, actor=current_user, reason=form.reason.data), form=form,
        success=_("The certificate is revoked; it now verifies as revoked."),
    ):
        return redirect(url_for("certificates.certificate_list"))
    return render_template("certificates/revoke.html", form=form, cert=cert)
