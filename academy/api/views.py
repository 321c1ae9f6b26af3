"""A person's personal access tokens on their account page: created (shown once) and revoked."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.api import tokens
from academy.api.forms import TokenForm
from academy.api.models import ApiToken
from academy.core.forms import ConfirmForm
from academy.core.models import now_utc
from academy.core.views import attempt
from academy.extensions import db


def _page(form, created=None, status=200):
    user = current_user._get_current_object()
    return render_template("api/tokens.html", form=form, tokens=tokens.tokens_of(user.id), created=created,
                           now=now_utc(), revoke_form=ConfirmForm(), may_create=bool(tokens.scopes_for(user))), status


@login_required
def token_list():
    form = TokenForm()
    form.set_scopes(tokens.scopes_for(current_user))
    return _page(form)


@login_required
def token_create():
    user = current_user._get_current_object()
    form = TokenForm()
    form.set_scopes(tokens.scopes_for(user))
    if not form.validate_on_submit():
        return _page(form, status=400)
    done = attempt(lambda: tokens.create(user, name=form.name.data, scopes=form.scopes.data, days=form.days.data),
                   form=form)
    if not done:
        return _page(form, status=400)
    # The one time the token is shown: the page is not kept (no-store) and it is never stored in full.
    page, status = _page(TokenForm(formdata=None), created=done.value[1])
    return page, 201, {"Cache-Control": "no-store"}


@login_required
def token_revoke(token_id):
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit() and attempt(lambda: tokens.revoke(row, actor=current_user._get_current_object())):
        flash(_("The token “%(name)s” is revoked: it no longer opens the API.", name=row.name), "success")
    return redirect(url_for("api_tokens.token_list"))
