"""Standings as scores arrive (every figure opens onto the scores behind it; judges' names only for
administrators), reopening sheets, publishing results, theory scores, and a member's own competitions."""
from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from academy.auth.models import User
from academy.competitions import judging
from academy.competitions.enums import ModuleKind
from academy.competitions.forms import ConfirmForm, ReasonForm, TheoryForm
from academy.competitions.models import Award, Module, Round, ScoreSheet, TeamMember, TheoryScore
from academy.competitions.queries import my_teams, standings
from academy.competitions.results import publish_results
from academy.competitions.scoring import shown
from academy.core.permissions import ADMIN_ROLES, Role, role_required
from academy.core.views import attempt
from academy.extensions import db
from academy.programmes.names import subdistrict_refs


@role_required(*ADMIN_ROLES)
def round_standings(round_id):
    round_ = db.get_or_404(Round, round_id)
    result = standings(round_)
    names = {ref.id: ref.name for ref in subdistrict_refs()}
    return render_template("competitions/standings.html", round=round_, result=result, shown=shown, streets=names,
                           show_judges=current_user.role == Role.ADMIN, publish_form=ConfirmForm(),
                           ModuleKind=ModuleKind)


@role_required(Role.WORKER)
def member_standings(round_id):
    """A published round's standings for the members of its competition's teams: every figure opens onto
    the scores behind it, judges unnamed."""
    round_ = db.get_or_404(Round, round_id)
    member = db.session.scalar(select(TeamMember.id).where(TeamMember.competition_id == round_.competition_id,
                                                           TeamMember.worker_id == current_user.id).limit(1))
    if round_.results_published_at is None or member is None:
        abort(404)
    names = {ref.id: ref.name for ref in subdistrict_refs()}
    return render_template("competitions/standings.html", round=round_, result=standings(round_), shown=shown,
                           streets=names, show_judges=False, publish_form=None, ModuleKind=ModuleKind)


@role_required(Role.ADMIN)
def round_publish(round_id):
    round_ = db.get_or_404(Round, round_id)
    if ConfirmForm().validate_on_submit():
        attempt(lambda: publish_results(round_, current_user), success=_("The results are published and the teams told."))
    return redirect(url_for("competitions.round_standings", round_id=round_.id))


@role_required(Role.ADMIN)
def sheet_detail(sheet_id):
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    return render_template("competitions/sheet_detail.html", sheet=sheet, form=ReasonForm())


@role_required(Role.ADMIN)
def sheet_reopen(sheet_id):
    sheet = db.get_or_404(ScoreSheet, sheet_id)
    form = ReasonForm()
    if form.validate_on_submit():
        attempt(lambda: judging.reopen_sheet(sheet, current_user, form.reason.data), form=form,
                success=_("The sheet is reopened; the judge can correct it."))
    return redirect(url_for("competitions.sheet_detail", sheet_id=sheet.id))


@role_required(Role.ADMIN)
def theory_scores(module_id):
    module = db.get_or_404(Module, module_id)
    if module.kind != ModuleKind.THEORY:
        abort(404)
    form = TheoryForm(options={"worker": lambda: (select(User).join(TeamMember, TeamMember.worker_id == User.id)
                                                  .where(TeamMember.competition_id == module.round.competition_id)
                                                  .order_by(User.name))})
    if form.validate_on_submit():
        if attempt(lambda: judging.enter_theory_score(module, current_user, worker_id=form.worker.data.id,
                                                      score=form.score.data), form=form, success=_("Saved.")):
            return redirect(url_for("competitions.theory_scores", module_id=module.id))
    page = db.paginate(select(TheoryScore).join(User, User.id == TheoryScore.worker_id)
                       .options(contains_eager(TheoryScore.worker))
                       .where(TheoryScore.module_id == module.id).order_by(User.name), per_page=50, error_out=False)
    return render_template("competitions/theory.html", module=module, form=form, page=page)


@role_required(Role.WORKER)
def my_competitions():
    teams = my_teams(current_user.id)
    team_ids = [team.id for team in teams]
    awards = db.session.scalars(select(Award).where(or_(Award.team_id.in_(team_ids), Award.worker_id == current_user.id),
                                                    Award.revoked_at.is_(None))
                                .options(joinedload(Award.tier), joinedload(Award.competition))).all()
    return render_template("competitions/mine.html", teams=teams, awards=awards)
