"""The reviewers' side: each level's queue with its counts and deadlines (overdue first reviews
highlighted), one claim with the cross-check checklist, and bulk forwarding of checked claims."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice
from flask_login import current_user
from sqlalchemy import select

from academy.claims import operations
from academy.claims.forms import BulkForwardForm, ReviewForm
from academy.claims.models import Claim, ClaimState
from academy.claims.queries import claim_or_none, queue_query, state_counts
from academy.claims.rules import first_review_overdue
from academy.core import i18n
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db

REVIEWERS = (Role.STREET_ADMIN, Role.ADMIN, Role.DISTRICT_REVIEWER)


def _scope_conditions():
    if current_user.role == Role.STREET_ADMIN:
        return [Claim.subdistrict_id == current_user.street_id]
    return []


@role_required(*REVIEWERS)
def queue():
    conditions = operations.queue_filter(current_user)
    page = db.paginate(queue_query(conditions), per_page=30, error_out=False)
    bulk = BulkForwardForm()
    bulk.claims.choices = [SelectChoice(claim.id, claim.certificate_no) for claim in page.items]
    today = i18n.local_today()
    overdue = {claim.id for claim in page.items if first_review_overdue(claim.state, claim.scheme.first_review_by, today)}
    return render_template("claims/queue.html", page=page, bulk=bulk, overdue=overdue, today=today,
                           counts=state_counts(_scope_conditions()), states=ClaimState)


def _visible_claim(claim_id) -> Claim:
    claim = claim_or_none(claim_id)
    if claim is None or not operations.can_see(current_user, claim):
        abort(404)
    return claim


@role_required(*REVIEWERS)
def review(claim_id):
    claim = _visible_claim(claim_id)
    form = ReviewForm(state=claim.state.value)
    return render_template("claims/review.html", claim=claim, form=form, refusal=operations.may_review(current_user,
                                                                                                        claim),
                           latest=claim.latest_uploads(), needed=claim.materials_needed())


@role_required(*REVIEWERS)
def decide(claim_id):
    claim = _visible_claim(claim_id)
    form = ReviewForm()
    if not form.validate_on_submit() or form.state.data not in ClaimState.__members__.values():
        flash(_("The form expired; reload the claim and try again."), "danger")
        return redirect(url_for("claims.review", claim_id=claim.id))
    state_read, ticks, note = ClaimState(form.state.data), form.ticks(), form.note.data
    if form.forward.data:
        action = lambda: operations.forward(claim, actor=current_user, checklist=ticks, state_read=state_read)  # noqa: E731
    elif form.send_back.data:
        action = lambda: operations.send_back(claim, actor=current_user, note=note, checklist=ticks,  # noqa: E731
                                              state_read=state_read)
    elif form.reject.data:
        action = lambda: operations.reject(claim, actor=current_user, reason=note, checklist=ticks,  # noqa: E731
                                           state_read=state_read)
    else:
        return redirect(url_for("claims.review", claim_id=claim.id))
    if attempt(action, success=_("The decision is saved and the worker is told.")):
        return redirect(url_for("claims.queue"))
    return redirect(url_for("claims.review", claim_id=claim.id))


@role_required(*REVIEWERS)
def bulk_forward():
    form = BulkForwardForm()
    asked = [value for value in (form.claims.data or []) if isinstance(value, int)][:200]
    waiting = db.session.scalars(select(Claim).where(*operations.queue_filter(current_user), Claim.id.in_(asked))
                                 .order_by(Claim.id)).all()
    form.claims.choices = [SelectChoice(claim.id, claim.certificate_no) for claim in waiting]
    if form.validate_on_submit():
        chosen = [claim for claim in waiting if claim.id in set(form.claims.data)]
        attempt(lambda: operations.bulk_forward(chosen, actor=current_user, checklist=form.ticks()),
                success=_("%(count)d claims forwarded.", count=len(chosen)))
    else:
        flash(_("Choose the claims to forward and tick every cross-check."), "danger")
    return redirect(url_for("claims.queue"))
