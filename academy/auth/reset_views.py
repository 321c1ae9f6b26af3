"""A password reset without SMS: an administrator or the worker's subdistrict administrator issues a
one-time link and hands it over; its holder sets a new password through it."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.auth import reset
from academy.auth.forms import NewPasswordForm
from academy.auth.models import User
from academy.core.forms import ConfirmForm
from academy.core.permissions import ADMIN_ROLES, role_required
from academy.core.views import attempt
from academy.extensions import db, limiter


@role_required(*ADMIN_ROLES)
def reset_link_issue(user_id):
    user = db.session.get(User, user_id)
    if user is None or not reset.may_issue(current_user, user):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    issued = attempt(lambda: reset.issue(user, actor=current_user))
    if not issued:
        abort(403)
    token, link = issued.value
    return render_template("auth/reset_link_issued.html", user=user, link=link,
                           url=url_for("auth.password_reset", token=token, _external=True))


@limiter.limit("20 per hour", methods=["POST"])
def password_reset(token):
    link = reset.valid_link(token)
    if link is None or not link.user.active:
        return render_template("auth/password_reset.html", form=None), 404
    form = NewPasswordForm()
    form.account = link.user  # the same policy as the user's own change
    if form.validate_on_submit() and attempt(lambda: reset.redeem(token, form.password.data), form=form):
        flash(_("Your new password is set and every earlier session has ended: sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/password_reset.html", form=form, user=link.user)
