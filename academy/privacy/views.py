"""The privacy notice, a person's consents and data, and closing an account on request."""
import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from academy.auth import consent
from academy.auth.enums import ConsentKind
from academy.core.forms import ConfirmForm
from academy.core.permissions import Role, role_required
from academy.core.urls import is_safe_local_path
from academy.core.views import attempt
from academy.extensions import db
from academy.privacy import download, operations
from academy.privacy.forms import ClosureDecisionForm, ClosureRequestForm, NoticeConsentForm
from academy.privacy.models import ClosureRequest, ClosureStatus
from academy.privacy.queries import closure_page


def notice():
    return render_template("privacy/notice.html", version=consent.notice_version())


def _mine(closure_form=None, status=200):
    user = current_user._get_current_object()
    history = db.session.scalars(select(ClosureRequest).where(ClosureRequest.user_id == user.id)
                                 .order_by(ClosureRequest.id.desc()).limit(20)).all()
    pending = next((closure for closure in history if closure.status == ClosureStatus.PENDING), None)
    return render_template("privacy/mine.html", user=user, answers=consent.standing(user.id),
                           kinds=ConsentKind, version=consent.notice_version(), history=history, pending=pending,
                           closure_form=closure_form or ClosureRequestForm(), form=ConfirmForm()), status


@login_required
def mine():
    return _mine()


@login_required
def data_download(fmt):
    if fmt not in ("json", "xlsx") or not ConfirmForm().validate_on_submit():
        abort(400 if fmt in ("json", "xlsx") else 404)
    data = operations.export(current_user._get_current_object())
    db.session.commit()  # the download is audited
    name = f"my-data-{current_user.id}"
    if fmt == "json":
        return send_file(io.BytesIO(download.as_json(data)), mimetype="application/json",
                         as_attachment=True, download_name=f"{name}.json")
    return send_file(download.as_xlsx(data), as_attachment=True, download_name=f"{name}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@login_required
def notice_consent():
    form = NoticeConsentForm()
    next_page = request.args.get("next")
    target = next_page if is_safe_local_path(next_page) else url_for("privacy.mine")
    user = current_user._get_current_object()
    if form.validate_on_submit() and attempt(lambda: consent.give(user, ConsentKind.PRIVACY_NOTICE),
                                             success=_("Thank you: your consent is recorded.")):
        return redirect(target)
    return render_template("privacy/consent.html", form=form, version=consent.notice_version(),
                           answers=consent.standing(user.id))


@login_required
def resident_id_withdraw():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(lambda: consent.withdraw(current_user._get_current_object(), ConsentKind.RESIDENT_ID),
            success=_("Your consent is withdrawn and your ID number is cleared from your profile."))
    return redirect(url_for("privacy.mine"))


@role_required(Role.WORKER)
def closure_request():
    form = ClosureRequestForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        return _mine(form, 400)
    if not user.check_password(form.password.data):
        form.password.errors.append(_("The password is wrong."))
        return _mine(form, 400)
    if attempt(lambda: operations.request_closure(user, reason=form.reason.data), form=form,
               success=_("Your request is sent. The academy decides within 15 working days and tells you here.")):
        return redirect(url_for("privacy.mine"))
    return _mine(form, 400)


@role_required(Role.WORKER)
def closure_cancel():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    closure = operations.open_request(current_user.id)
    if closure is None:
        abort(404)
    attempt(lambda: operations.cancel(closure, actor=current_user._get_current_object()),
            success=_("Your request is withdrawn: the account stays open."))
    return redirect(url_for("privacy.mine"))


@role_required(Role.ADMIN)
def closure_list():
    status = request.args.get("status") or ClosureStatus.PENDING.value
    if status not in set(ClosureStatus):
        abort(400)
    page = closure_page(ClosureStatus(status), request.args)
    # what would stop a closing is said when it is tried: the list runs the same statements for any length
    return render_template("privacy/closures.html", page=page, status=ClosureStatus(status), statuses=ClosureStatus,
                           form=ClosureDecisionForm())


@role_required(Role.ADMIN)
def closure_decide(closure_id):
    closure = db.session.get(ClosureRequest, closure_id)
    if closure is None:
        abort(404)
    form = ClosureDecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose a decision."), "danger")
    elif form.decision.data == "close":
        attempt(lambda: operations.close(closure, actor=current_user._get_current_object(), note=form.note.data),
                success=_("The account of %(name)s is closed: its personal details are cleared.",
                          name=closure.user.name))
    else:
        attempt(lambda: operations.refuse(closure, actor=current_user._get_current_object(), note=form.note.data or ""),
                form=form, success=_("The request is answered: the account stays open."))
        for error in form.note.errors:
            flash(error, "danger")
    return redirect(url_for("privacy.closure_list"))
