"""The administrators' plan pages: the list, setting a plan, and changing it (each change says why; the
history of versions is shown with it). Progress against the plans is on the dashboard and the progress
report (academy/reports)."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.core.i18n import local_today
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.plans import operations
from academy.plans.forms import PlanChangeForm, PlanCreateForm, PlanFilterForm
from academy.plans.queries import plan_list_query, plan_with_history
from academy.plans.rules import TARGETS


@role_required(Role.ADMIN)
def plan_list():
    filters = PlanFilterForm(request.args)
    filters.validate()
    year = filters.valid_value("year")
    page = db.paginate(plan_list_query(year), per_page=30, error_out=False)
    return render_template("plans/list.html", page=page, filters=filters, targets=TARGETS)


@role_required(Role.ADMIN)
def plan_create():
    form = PlanCreateForm()
    if request.method == "GET" and not form.year.data:
        form.year.data = local_today().year
    if form.validate_on_submit():
        done = attempt(lambda: operations.create_plan(
            current_user, year=form.year.data, programme=form.programme.data, subdistrict=form.subdistrict.data,
            figures=form.figures(), weights=form.weights()), form=form, success=_("The plan is set."))
        if done:
            return redirect(url_for("plans.plan_detail", plan_id=done.value.id))
    return render_template("plans/create.html", form=form)


@role_required(Role.ADMIN)
def plan_detail(plan_id):
    plan = plan_with_history(plan_id)
    if plan is None:
        abort(404)
    form = PlanChangeForm(obj=None if request.method == "POST" else plan)
    if request.method == "GET":
        form.month_weights.data = plan.month_weights
    if form.validate_on_submit():
        if attempt(lambda: operations.change_plan(plan, current_user, figures=form.figures(), weights=form.weights(),
                                                  reason=form.reason.data),
                   form=form, success=_("The plan is changed; the figures before are kept in its history.")):
            return redirect(url_for("plans.plan_detail", plan_id=plan.id))
    return render_template("plans/detail.html", plan=plan, form=form, targets=TARGETS)
