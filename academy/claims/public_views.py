"""The public notice (公示) of a scheme: masked names, units, levels, amounts, the period, and the
objection form that needs no account (CSRF-protected and rate-limited)."""
from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from academy.claims import notice as notice_ops
from academy.claims.forms import ObjectionForm
from academy.claims.models import Scheme
from academy.claims.queries import current_notice, notice_claims
from academy.core import i18n
from academy.core.masking import mask_name
from academy.core.views import attempt
from academy.extensions import db, limiter

OBJECTION_LIMIT = "5 per hour"


@limiter.limit(OBJECTION_LIMIT, methods=["POST"])
def notice_page(scheme_id):
    scheme = db.session.get(Scheme, scheme_id)
    notice = current_notice(scheme_id) if scheme else None
    if notice is None:
        abort(404)
    page = db.paginate(notice_claims(notice.id), per_page=100, error_out=False)
    form = ObjectionForm()
    form.claim.choices = [SelectChoice(claim.id, f"{mask_name(claim.worker.name)} · {claim.level.label}") for claim in page.items]
    today = i18n.local_today()
    is_open = notice.starts_on <= today <= notice.ends_on and notice.closed_at is None
    if form.validate_on_submit():
        claim = next(claim for claim in page.items if claim.id == form.claim.data)
        if attempt(lambda: notice_ops.file_objection(claim, grounds=form.grounds.data, contact=form.contact.data),
                   form=form, success=_("Your objection is filed; the academy will contact you.")):
            return redirect(url_for("claims.notice_page", scheme_id=scheme_id))
    return render_template("claims/notice.html", scheme=scheme, notice=notice, page=page, form=form,
                           is_open=is_open, mask_name=mask_name)
