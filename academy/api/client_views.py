"""The administrators' page of the district's systems: their client credentials created (the secret
shown once) and revoked."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.api import clients
from academy.api.forms import ClientForm
from academy.api.models import CLIENT_SCOPES, ApiClient
from academy.core.forms import ConfirmForm
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.programmes.names import subdistrict_refs


def _form(**kwargs) -> ClientForm:
    form = ClientForm(**kwargs)
    form.set_choices(CLIENT_SCOPES, subdistrict_refs())
    return form


def _page(form, created=None, status=200):
    names = {unit.id: unit.name for unit in subdistrict_refs()}
    return render_template("api/clients.html", form=form, clients=clients.clients(), created=created, names=names,
                           revoke_form=ConfirmForm()), status


@role_required(Role.ADMIN)
def client_list():
    return _page(_form())


@role_required(Role.ADMIN)
def client_create():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, status=400)
    actor = current_user._get_current_object()
    done = attempt(lambda: clients.create_client(actor, name=form.name.data, scopes=form.scopes.data,
                                                 subdistrict_id=form.subdistrict_id), form=form)
    if not done:
        return _page(form, status=400)
    client, secret = done.value
    # The one time the secret is shown: the page is not kept (no-store) and it is never stored in full.
    page, _status = _page(_form(formdata=None), created={"client_id": client.client_key, "secret": secret})
    return page, 201, {"Cache-Control": "no-store"}


@role_required(Role.ADMIN)
def client_revoke(client_id):
    client = db.session.get(ApiClient, client_id)
    if client is None:
        abort(404)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: clients.revoke_client(client, actor=current_user._get_current_object())):
        flash(_("The credentials of “%(name)s” are revoked: the system and its tokens no longer open the API.",
                name=client.name), "success")
    return redirect(url_for("api_tokens.client_list"))
