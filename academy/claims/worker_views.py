"""The worker's side (phone-first): open schemes, starting a claim from a registry record, details and
uploads, the declaration, submission, state and history, correction and resubmission."""
import io

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from flask_login import current_user

from academy.claims import operations
from academy.claims.forms import ClaimDetailsForm, StartClaimForm, SubmitClaimForm, UploadForm
from academy.claims.models import ClaimUpload, Material, Scheme
from academy.claims.pdf import render_application
from academy.claims.queries import claim_or_none, my_claims, open_schemes
from academy.claims.rules import EDITABLE
from academy.core import i18n
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.qualifications.operations import declare
from academy.progress.evidence import MAX_BYTES, evidence_path


@role_required(Role.WORKER)
def my_claims_page():
    return render_template("claims/my_claims.html", claims=my_claims(current_user.id),
                           schemes=open_schemes(i18n.local_today()))


@role_required(Role.WORKER)
def claim_start(scheme_id):
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None:
        abort(404)
    records = operations.claimable_records(current_user)
    form = StartClaimForm()
    form.set_records(records)
    if request.method == "GET" and not records:
        form.record.data, form.exam_year.data = form.NEW, scheme.exam_year
    if form.validate_on_submit():
        chosen = next((r for r in records if r.id == form.record.data), None)
        done = attempt(lambda: operations.start_claim(current_user, scheme, chosen or _declared(form)), form=form,
                       success=_("The claim is started: add the payment details and the materials, then submit."))
        if done:
            return redirect(url_for("claims.my_claim", claim_id=done.value.id))
    return render_template("claims/start.html", form=form, scheme=scheme, records=records)


def _declared(form):
    """A new certificate declared with the claim: it enters the registry awaiting verification."""
    return declare(current_user, level=form.level.data, certificate_no=form.certificate_no.data or "",
                   exam_year=form.exam_year.data, issued_on=form.issued_on.data,
                   issuing_authority=form.issuing_authority.data or "")


def _own_claim(claim_id):
    claim = claim_or_none(claim_id)
    if claim is None or claim.worker_id != current_user.id:
        abort(404)
    return claim


def _claim_page(claim, details=None, upload=None):
    details = details or ClaimDetailsForm(obj=claim)
    upload = upload or UploadForm()
    upload.material.choices = [SelectChoice(kind, Material(kind).label) for kind in claim.scheme.materials_for(claim.level)]
    return render_template("claims/my_claim.html", claim=claim, details=details, upload=upload,
                           submit=SubmitClaimForm(), editable=claim.state in EDITABLE,
                           needed=claim.materials_needed(), latest=claim.latest_uploads())


@role_required(Role.WORKER)
def my_claim(claim_id):
    return _claim_page(_own_claim(claim_id))


@role_required(Role.WORKER)
def claim_details(claim_id):
    claim = _own_claim(claim_id)
    form = ClaimDetailsForm()
    if form.validate_on_submit():
        if attempt(lambda: operations.edit_claim(claim, current_user, bank_name=form.bank_name.data,
                                                 bank_account=form.bank_account.data,
                                                 account_holder=form.account_holder.data, declared=form.declared.data),
                   form=form, success=_("Saved.")):
            return redirect(url_for("claims.my_claim", claim_id=claim.id))
    return _claim_page(claim, details=form), 400


@role_required(Role.WORKER)
def claim_upload(claim_id):
    claim = _own_claim(claim_id)
    form = UploadForm()
    form.material.choices = [SelectChoice(kind, Material(kind).label) for kind in claim.scheme.materials_for(claim.level)]
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        if attempt(lambda: operations.upload_material(claim, current_user, Material(form.material.data),
                                                      form.file.data.filename, data),
                   form=form, success=_("The file is uploaded.")):
            return redirect(url_for("claims.my_claim", claim_id=claim.id))
    return _claim_page(claim, upload=form), 400


@role_required(Role.WORKER)
def claim_submit(claim_id):
    claim = _own_claim(claim_id)
    if SubmitClaimForm().validate_on_submit():
        attempt(lambda: operations.submit(claim, current_user),
                success=_("The claim is submitted: your subdistrict reviews it first."))
    return redirect(url_for("claims.my_claim", claim_id=claim.id))


@role_required(Role.WORKER)
def application_form(claim_id):
    """The filled application form (申请表) as a PDF, to sign and upload back."""
    claim = _own_claim(claim_id)
    return send_file(io.BytesIO(render_application(claim)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"application-{claim.id}.pdf")


@role_required(Role.WORKER, Role.STREET_ADMIN, Role.ADMIN, Role.DISTRICT_REVIEWER)
def upload_file(upload_id):
    """A claim's material, for its worker and the reviewers who see the claim."""
    upload = db.session.get(ClaimUpload, upload_id)
    if upload is None or not operations.can_see(current_user, upload.claim):
        abort(404)
    return send_file(evidence_path(upload.file), mimetype=upload.file.content_type, as_attachment=True,
                     download_name=upload.file.original_name)
