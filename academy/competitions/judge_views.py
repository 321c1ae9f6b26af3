"""The judge's pages, phone first: their rounds and assigned entries, a score sheet that saves as they
go and is submitted once, and declaring a conflict of interest. Any account may be assigned as a judge."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from academy.auth.models import User
from academy.competitions import judging
from academy.competitions.enums import ModuleKind
from academy.competitions.forms import ConflictForm, sheet_form
from academy.competitions.models import Module, Round, ScoreSheet, Team, TeamMember
from academy.competitions.queries import judge_rounds, judge_sheets
from academy.core.errors import OperationError
from academy.core.views import attempt
from academy.extensions import db


@login_required
def judge_home():
    rounds = judge_rounds(current_user.id)
    return render_template("competitions/judge_home.html", rounds=rounds)


@login_required
def judge_round(round_id):
    round_ = db.get_or_404(Round, round_id)
    entries = judging.judge_entries(current_user, round_)
    if not entries and round_ not in judge_rounds(current_user.id):
        abort(404)
    modules = [m for m in round_.modules if m.kind != ModuleKind.THEORY]
    members = [m.worker_id for team, _barred in entries for m in team.members]
    form = ConflictForm(options={"worker": lambda: select(User).where(User.id.in_(members)).order_by(User.name)})
    return render_template("competitions/judge_round.html", round=round_, entries=entries, modules=modules,
                           sheets=judge_sheets(current_user.id, round_.id), form=form)


def _scoring(team_id, module_id) -> tuple[Team, Module]:
    team, module = db.session.get(Team, team_id), db.session.get(Module, module_id)
    if team is None or module is None or module.round.competition_id != team.competition_id:
        abort(404)
    try:
        judging.may_score(current_user, team, module)
    except OperationError:
        abort(404)  # not theirs to see: no hint of what exists
    return team, module


@login_required
def score_sheet(team_id, module_id):
    team, module = _scoring(team_id, module_id)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == current_user.id,
                                                       ScoreSheet.team_id == team.id, ScoreSheet.module_id == module.id))
    values = {}
    if sheet is not None:
        for line in sheet.lines:
            values[f"points_{line.criterion_id}"] = line.points
            values[f"comment_{line.criterion_id}"] = line.comment
    form = sheet_form(module.criteria, data=dict(values, version=sheet.version if sheet else 0))
    if form.validate_on_submit():
        scores = {c.id: (form[f"points_{c.id}"].data, form[f"comment_{c.id}"].data) for c in module.criteria}
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = -1

        def save():
            current = sheet if sheet is not None else judging.open_sheet(current_user, team, module)
            read = current.version if sheet is None and version == 0 else version
            judging.save_sheet(current, current_user, version=read, scores=scores)
            if form.submit_sheet.data:
                judging.submit_sheet(current, current_user, version=current.version)
            return current

        message = _("Submitted: the sheet is locked.") if form.submit_sheet.data else _("Saved.")
        attempt(save, success=message)  # refused or not, show the sheet as it is now saved
        return redirect(url_for("competitions.score_sheet", team_id=team.id, module_id=module.id))
    elif form.is_submitted():
        flash(_("Check the points: each is from 0 to the criterion's maximum."), "danger")
    return render_template("competitions/sheet.html", team=team, module=module, sheet=sheet, form=form)


@login_required
def conflict_declare(round_id):
    round_ = db.get_or_404(Round, round_id)
    if round_ not in judge_rounds(current_user.id):
        abort(404)
    form = ConflictForm(options={"worker": lambda: (select(User).join(TeamMember, TeamMember.worker_id == User.id)
                                                    .where(TeamMember.competition_id == round_.competition_id))})
    if form.validate_on_submit():
        attempt(lambda: judging.declare_conflict(round_.competition_id, current_user, worker_id=form.worker.data.id,
                                                 reason=form.reason.data),
                form=form, success=_("The conflict is declared: you will not score that team."))
    else:
        flash(_("Choose the member and give the reason."), "danger")
    return redirect(url_for("competitions.judge_round", round_id=round_.id))
