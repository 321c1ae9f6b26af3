"""Administrators keep the list of communities and agencies under each subdistrict."""
from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.orgs import operations
from academy.orgs.forms import UnitCreateForm, UnitNamesForm
from academy.orgs.models import OrgKind, OrgUnit


@role_required(Role.ADMIN)
def unit_list():
    form = UnitCreateForm()
    if form.validate_on_submit() and attempt(
        lambda: operations.add_unit(parent=form.parent.data, kind=form.kind.data, name_zh=form.name_zh.data,
                                    name_en=form.name_en.data, actor=current_user),
        form=form, success=_("%(name)s is added.", name=form.name_zh.data),
    ):
        return redirect(url_for("orgs.unit_list"))
    subdistricts = db.session.scalars(
        select(OrgUnit)
        .where(OrgUnit.kind == OrgKind.SUBDISTRICT)
        .options(selectinload(OrgUnit.children))
        .order_by(OrgUnit.code)
    ).all()
    return render_template("orgs/unit_list.html", subdistricts=subdistricts, form=form)


@role_required(Role.ADMIN)
def unit_edit(unit_id):
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        abort(404)
    form = UnitNamesForm(obj=unit)
    if form.validate_on_submit() and attempt(
        lambda: operations.rename_unit(unit, name_zh=form.name_zh.data, name_en=form.name_en.data,
                                       actor=current_user),
        form=form, success=_("The name is saved."),
    ):
        return redirect(url_for("orgs.unit_list"))
    return render_template("orgs/unit_edit.html", unit=unit, form=form)
