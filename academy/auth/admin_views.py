"""Account administration: list, create, reset password, deactivate, sign out everywhere."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth import operations
from academy.auth.forms import PasswordResetForm, UserCreateForm
from academy.auth.models import User
from academy.auth.queries import USER_LIST_KEY, user_list_query
from academy.core.pagination import SeekSelectPagination, seek_from
from academy.core.forms import ConfirmForm
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db


def _get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@role_required(Role.ADMIN)
def user_list():
    role_value = request.args.get("role") or None
    role = Role(role_value) if role_value in set(Role) else None
    text = (request.args.get("q") or "").strip()[:50] or None
    page = SeekSelectPagination(select=user_list_query(role, text), session=db.session, key=USER_LIST_KEY,
                                descending=True, seek=seek_from(request.args), per_page=30, error_out=False)
    return render_template("auth/user_list.html", page=page, role=role, text=text or "", roles=list(Role))


@role_required(Role.ADMIN)
def user_create():
    form = UserCreateForm()
    done = form.validate_on_submit() and attempt(
        lambda: operations.create_user(
            role=form.role.data, phone=form.phone.data, name=form.name.data, password=form.password.data,
            email=form.email.data, street=form.street.data, work_unit=form.work_unit.data, actor=current_user,
        ),
        form=form, success=_("Account created for %(name)s.", name=form.name.data),
    )
    if done:
        return redirect(url_for("auth.user_detail", user_id=done.value.id))
    return render_template("auth/user_create.html", form=form)


@role_required(Role.ADMIN)
def user_detail(user_id):
    user = _get_user_or_404(user_id)
    return render_template("auth/user_detail.html", user=user, reset_form=PasswordResetForm())


@role_required(Role.ADMIN)
def user_reset_password(user_id):
    user = _get_user_or_404(user_id)
    form = PasswordResetForm()
    form.account = user  # the same policy as the user's own change
    if form.validate_on_submit() and attempt(
        lambda: operations.change_password(user, form.password.data, actor=current_user), form=form,
        success=_("The password is reset and the user's sessions have ended."),
    ):
        return redirect(url_for("auth.user_detail", user_id=user.id))
    return render_template("auth/user_detail.html", user=user, reset_form=form), 400


@role_required(Role.ADMIN)
def user_set_active(user_id):
    user = _get_user_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and attempt(lambda: operations.set_active(user, not user.active, actor=current_user)):
        flash(_("The account is active.") if user.active else _("The account is deactivated."), "success")
    return redirect(url_for("auth.user_detail", user_id=user.id))


@role_required(Role.ADMIN)
def user_verify_qualification(user_id):
    user = _get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: operations.verify_qualification(user, actor=current_user),
                success=_("The qualification level is verified; it now counts for course requirements."))
    return redirect(url_for("auth.user_detail", user_id=user.id))


@role_required(Role.ADMIN)
def user_sign_out(user_id):
    user = _get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        operations.sign_out_everywhere(user, actor=current_user)
        db.session.commit()
        flash(_("All of this user's sessions have ended."), "success")
    return redirect(url_for("auth.user_detail", user_id=user.id))
