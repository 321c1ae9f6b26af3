"""The administrator's side: schemes (versioned), a scheme's claims with the notice to publish, the
objections to resolve and the payment batches to record."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from flask_login import current_user

from academy.claims import notice as notice_ops
from academy.claims import operations
from academy.claims.forms import PaymentForm, PublishForm, ResolveForm, SchemeForm
from academy.claims.models import DEFAULT_MATERIALS, Claim, ClaimState, Objection, Scheme
from academy.claims.queries import (
    current_notice, pending_objections, running_notices, scheme_claims, schemes_page, state_counts,
)
from academy.core import i18n
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db


@role_required(Role.ADMIN)
def scheme_list():
    page = db.paginate(schemes_page(), per_page=20, error_out=False)
    return render_template("claims/schemes.html", page=page, today=i18n.local_today(),
                           noticed=running_notices(scheme.id for scheme in page.items))


def _scheme_form(scheme=None) -> SchemeForm:
    form = SchemeForm(obj=scheme)
    if request.method == "GET":
        materials = scheme.materials if scheme else DEFAULT_MATERIALS
        for level in ("assistant", "social_worker", "senior"):
            form[f"materials_{level}"].data = list(materials.get(level, []))
    return form


@role_required(Role.ADMIN)
def scheme_create():
    form = _scheme_form()
    if form.validate_on_submit():
        done = attempt(lambda: operations.create_scheme(actor=current_user, **form.values()), form=form,
                       success=_("The scheme is saved."))
        if done:
            return redirect(url_for("claims.scheme_detail", scheme_id=done.value.id))
    return render_template("claims/scheme_form.html", form=form, scheme=None)


def _scheme(scheme_id) -> Scheme:
    scheme = db.session.get(Scheme, scheme_id)
    if scheme is None:
        abort(404)
    return scheme


@role_required(Role.ADMIN)
def scheme_edit(scheme_id):
    scheme = _scheme(scheme_id)
    form = _scheme_form(scheme)
    if form.validate_on_submit():
        values = form.values()
        values.pop("exam_year")  # the exam year a scheme covers never changes
        if attempt(lambda: operations.change_scheme(scheme, actor=current_user, **values), form=form,
                   success=_("The scheme is changed; claims already submitted keep their terms.")):
            return redirect(url_for("claims.scheme_detail", scheme_id=scheme.id))
    return render_template("claims/scheme_form.html", form=form, scheme=scheme)


@role_required(Role.ADMIN)
def scheme_detail(scheme_id):
    scheme = _scheme(scheme_id)
    page = db.paginate(scheme_claims(scheme.id), per_page=50, error_out=False)
    payable = db.session.scalars(scheme_claims(scheme.id, ClaimState.APPROVED).limit(500)).all()
    payment = PaymentForm()
    payment.claims.choices = [SelectChoice(claim.id, f"{claim.worker.name} · {claim.certificate_no}") for claim in payable]
    return render_template("claims/scheme.html", scheme=scheme, page=page, payment=payment, publish=PublishForm(),
                           counts=state_counts([Claim.scheme_id == scheme.id]), notice=current_notice(scheme.id),
                           objections=pending_objections(scheme.id), resolve=ResolveForm(), states=ClaimState)


@role_required(Role.ADMIN)
def publish(scheme_id):
    scheme = _scheme(scheme_id)
    if PublishForm().validate_on_submit():
        attempt(lambda: notice_ops.publish_notice(scheme, actor=current_user),
                success=_("The notice is published."))
    return redirect(url_for("claims.scheme_detail", scheme_id=scheme.id))


@role_required(Role.ADMIN)
def resolve(objection_id):
    objection = db.session.get(Objection, objection_id)
    if objection is None:
        abort(404)
    form = ResolveForm()
    if form.validate_on_submit() and (form.uphold.data or form.dismiss.data):
        attempt(lambda: notice_ops.resolve_objection(objection, actor=current_user, upheld=bool(form.uphold.data),
                                                     reason=form.reason.data),
                success=_("The objection is resolved."))
    return redirect(url_for("claims.scheme_detail", scheme_id=objection.claim.scheme_id))


@role_required(Role.ADMIN)
def pay(scheme_id):
    scheme = _scheme(scheme_id)
    form = PaymentForm()
    payable = db.session.scalars(scheme_claims(scheme.id, ClaimState.APPROVED).limit(500)).all()
    form.claims.choices = [SelectChoice(claim.id, claim.certificate_no) for claim in payable]
    if form.validate_on_submit():
        chosen = [claim for claim in payable if claim.id in set(form.claims.data)]
        attempt(lambda: notice_ops.record_payment(chosen, actor=current_user, batch_no=form.batch_no.data,
                                                  paid_on=form.paid_on.data),
                success=_("The payment batch is recorded."))
    else:
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "danger")
    return redirect(url_for("claims.scheme_detail", scheme_id=scheme.id))
