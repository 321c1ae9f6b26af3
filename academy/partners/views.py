"""Partner pages (public list), agreements (administrators only) and practice bases (staff read)."""
import csv
import io

from flask import Response, abort, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from academy.core.i18n import local_today, name_list
from academy.core.pagecache import public_page
from academy.core.permissions import Role, role_required
from academy.site.personal_pages import everyone_page
from academy.core.spreadsheets import spreadsheet_safe
from academy.core.views import attempt
from academy.extensions import db
from academy.partners import operations
from academy.partners.forms import (
    AgreementFilterForm, AgreementForm, PartnerForm, PracticeBaseForm, RenewForm, TerminateForm,
)
from academy.partners.models import Agreement, Partner, PracticeBase
from academy.partners.queries import agreement_query, partner_overview
from academy.programmes.models import Programme
from academy.progress.evidence import evidence_path

STAFF = (Role.INSTRUCTOR, Role.ADMIN)
PARTNERS_PER_PAGE = 30
BASES_PER_PAGE = 30


def _get_or_404(model, object_id):
    item = db.session.get(model, object_id)
    if item is None:
        abort(404)
    return item


def _upload(field):
    """(file name, bytes) of an uploaded file, or None."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return upload.filename, upload.read(operations.DOCUMENT_LIMIT + 1)


@everyone_page
@public_page
def partner_list():
    page = db.paginate(select(Partner).order_by(Partner.id), per_page=PARTNERS_PER_PAGE,
                       max_per_page=PARTNERS_PER_PAGE, error_out=False)
    return render_template("partners/list.html", partners=page.items, page=page)


def partner_detail(partner_id):
    partner = _get_or_404(Partner, partner_id)
    staff = current_user.is_authenticated and current_user.role in STAFF
    overview = partner_overview(partner, local_today()) if staff else None
    return render_template("partners/detail.html", partner=partner, overview=overview, today=local_today())


@role_required(Role.ADMIN)
def partner_edit(partner_id=None):
    partner = _get_or_404(Partner, partner_id) if partner_id else None
    form = PartnerForm(obj=partner)
    done = form.validate_on_submit() and attempt(
        lambda: operations.save_partner(partner, actor=current_user,
                                        **{name: form[name].data for name in operations.PARTNER_FIELDS}),
        form=form, success=_("The partner is saved."),
    )
    if done:
        return redirect(url_for("partners.partner_detail", partner_id=done.value.id))
    return render_template("partners/partner_form.html", form=form, partner=partner)


def _filtered_agreements():
    partners = db.session.scalars(select(Partner).order_by(Partner.id)).all()
    programmes = db.session.scalars(select(Programme).order_by(Programme.sort_order)).all()
    form = AgreementFilterForm(request.args)
    form.set_choices(partners, programmes)
    form.validate()
    partner = form.valid_value("partner")
    query = agreement_query(local_today(), status=form.valid_value("status"), type=form.valid_value("type"),
                            partner_id=int(partner) if partner else None, programme_code=form.valid_value("programme"))
    return form, query


@role_required(Role.ADMIN)  # agreements are administrators' only: docs/security.md
def agreement_list():
    form, query = _filtered_agreements()
    page = db.paginate(query, per_page=30, error_out=False)
    return render_template("partners/agreement_list.html", form=form, page=page, today=local_today())


@role_required(Role.ADMIN)  # agreements are administrators' only: docs/security.md
def agreement_export():
    query = _filtered_agreements()[1]
    today = local_today()
    header = [_("Agreement title"), _("Type"), _("Agreement number"), _("Parties"), _("Programmes it serves"), _("Signed on"),
              _("Effective from"), _("Effective to"), _("Status")]

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        yield "\ufeff"  # a BOM so Excel reads the Chinese correctly
        for row in [header] + [
            [a.title, a.type.label, a.number or "", name_list(p.name for p in a.parties),
             name_list(p.short_name for p in a.programmes), a.signed_on or "", a.effective_from or "",
             a.effective_to or _("open-ended"), a.status_on(today).label]
            for a in db.session.scalars(query.options(selectinload(Agreement.programmes)))
        ]:
            writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)

    return Response(stream_with_context(rows()), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=agreements.csv"})


@role_required(Role.ADMIN)  # agreements are administrators' only: docs/security.md
def agreement_detail(agreement_id):
    agreement = _get_or_404(Agreement, agreement_id)
    chain = []
    item = agreement
    while item.predecessor is not None:  # renewal chains are short: a few generations
        item = item.predecessor
    while item is not None:
        chain.append(item)
        item = item.successor
    return render_template("partners/agreement_detail.html", agreement=agreement, chain=chain, today=local_today())


@role_required(Role.ADMIN)  # agreements are administrators' only: docs/security.md
def agreement_document(agreement_id):
    agreement = _get_or_404(Agreement, agreement_id)
    if agreement.document is None:
        abort(404)
    return send_file(evidence_path(agreement.document), mimetype="application/pdf", as_attachment=True,
                     download_name=agreement.document.display_name)


@role_required(Role.ADMIN)
def agreement_edit(agreement_id=None):
    agreement = _get_or_404(Agreement, agreement_id) if agreement_id else None
    form = AgreementForm(obj=agreement)
    done = form.validate_on_submit() and attempt(
        lambda: operations.save_agreement(agreement, actor=current_user, document=_upload(form.document),
                                          **{name: form[name].data for name in operations.AGREEMENT_FIELDS}),
        form=form, success=_("The agreement is saved."),
    )
    if done:
        return redirect(url_for("partners.agreement_detail", agreement_id=done.value.id))
    return render_template("partners/agreement_form.html", form=form, agreement=agreement)


@role_required(Role.ADMIN)
def agreement_renew(agreement_id):
    agreement = _get_or_404(Agreement, agreement_id)
    form = RenewForm()
    done = form.validate_on_submit() and attempt(
        lambda: operations.renew(agreement, actor=current_user, effective_from=form.effective_from.data,
                                 effective_to=form.effective_to.data, signed_on=form.signed_on.data,
                                 number=form.number.data, document=_upload(form.document)),
        form=form, success=_("The renewed agreement is saved; the earlier one stays in its history."),
    )
    if done:
        return redirect(url_for("partners.agreement_detail", agreement_id=done.value.id))
    return render_template("partners/agreement_action.html", form=form, agreement=agreement,
                           title=_("Renew agreement"))


@role_required(Role.ADMIN)
def agreement_terminate(agreement_id):
    agreement = _get_or_404(Agreement, agreement_id)
    form = TerminateForm()
    if form.validate_on_submit() and attempt(
        lambda: operations.terminate(agreement, actor=current_user, on=form.terminated_on.data, reason=form.reason.data),
        form=form, success=_("The agreement is terminated."),
    ):
        return redirect(url_for("partners.agreement_detail", agreement_id=agreement.id))
    return render_template("partners/agreement_action.html", form=form, agreement=agreement,
                           title=_("Terminate agreement"))


@role_required(*STAFF)
def base_list():
    query = (select(PracticeBase).order_by(PracticeBase.name, PracticeBase.id)
             .options(joinedload(PracticeBase.host_partner), joinedload(PracticeBase.host_unit),
                      joinedload(PracticeBase.subdistrict), joinedload(PracticeBase.agreement)))
    page = db.paginate(query, per_page=BASES_PER_PAGE, max_per_page=BASES_PER_PAGE, error_out=False)
    return render_template("partners/base_list.html", bases=page.items, page=page)


@role_required(Role.ADMIN)
def base_edit(base_id=None):
    base = _get_or_404(PracticeBase, base_id) if base_id else None
    form = PracticeBaseForm(obj=base)
    if form.validate_on_submit() and attempt(
        lambda: operations.save_base(base, actor=current_user,
                                     **{name: form[name].data for name in operations.BASE_FIELDS}),
        form=form, success=_("The practice base is saved."),
    ):
        return redirect(url_for("partners.base_list"))
    return render_template("partners/base_form.html", form=form, base=base)
