"""Administrators set a competition up; administrators and subdistrict administrators register teams
(a subdistrict administrator only their own subdistrict's, of their own workers)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.auth.models import User, WorkerProfile
from academy.competitions import judging, operations
from academy.competitions.enums import CompetitionStatus
from academy.competitions.forms import (
    AssignJudgeForm, CompetitionForm, CriterionEditForm, CriterionForm, ModuleEditForm, ModuleForm, RoundForm,
    StatusForm, TeamForm, WithdrawForm,
)
from academy.competitions.models import Competition, Criterion, JudgeAssignment, Module, Round, Team
from academy.competitions.queries import competition_with_rounds, teams_query
from academy.competitions.rules import eligibility
from academy.core.permissions import ADMIN_ROLES, Role, role_required
from academy.core.scope import Scope
from academy.core.views import attempt
from academy.extensions import db
from academy.programmes.names import subdistrict_refs


ATTACHMENT_LIMIT = 10 * 1024 * 1024


def _competition(competition_id) -> Competition:
    competition = competition_with_rounds(competition_id)
    if competition is None:
        abort(404)
    return competition


@role_required(*ADMIN_ROLES)
def competition_list():
    page = db.paginate(select(Competition).order_by(Competition.year.desc(), Competition.id.desc()),
                       per_page=20, error_out=False)
    return render_template("competitions/list.html", page=page)


@role_required(Role.ADMIN)
def competition_create():
    form = CompetitionForm()
    if form.validate_on_submit():
        done = attempt(lambda: operations.create_competition(
            current_user, title=form.title.data, theme=form.theme.data, year=form.year.data, groups=form.groups.data,
            fields=form.fields.data, team_min=form.team_min.data, team_max=form.team_max.data,
            semi_final_quota=form.semi_final_quota.data, trim_from=form.trim_from.data),
            form=form, success=_("The competition is created."))
        if done:
            return redirect(url_for("competitions.competition_detail", competition_id=done.value.id))
    return render_template("competitions/create.html", form=form)


def _judges():
    return select(User).where(User.active.is_(True), User.role != Role.WORKER).order_by(User.role, User.name)


@role_required(*ADMIN_ROLES)
def competition_detail(competition_id):
    competition = _competition(competition_id)
    judge_form = AssignJudgeForm(options={"judge": _judges})
    assignments: dict[int, list] = {}
    for item in db.session.scalars(select(JudgeAssignment).where(
            JudgeAssignment.round_id.in_([r.id for r in competition.rounds]))
            .options(joinedload(JudgeAssignment.judge)).order_by(JudgeAssignment.id)):
        assignments.setdefault(item.round_id, []).append(item)
    return render_template("competitions/detail.html", competition=competition, round_form=RoundForm(),
                           assignments=assignments,
                           module_form=ModuleForm(), criterion_form=CriterionForm(), judge_form=judge_form,
                           status_form=StatusForm(), statuses=CompetitionStatus)


@role_required(Role.ADMIN)
def competition_status(competition_id):
    competition = _competition(competition_id)
    form = StatusForm()
    if form.validate_on_submit() and form.status.data in {s.value for s in CompetitionStatus}:
        attempt(lambda: operations.set_status(competition, current_user, CompetitionStatus(form.status.data)),
                success=_("The status is changed."))
    return redirect(url_for("competitions.competition_detail", competition_id=competition.id))


def _setup_post(competition, form, action, success):
    if form.validate_on_submit():
        attempt(action, form=form, success=success)
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("competitions.competition_detail", competition_id=competition.id))


@role_required(Role.ADMIN)
def round_create(competition_id):
    competition = _competition(competition_id)
    form = RoundForm()
    return _setup_post(competition, form, lambda: operations.add_round(
        competition, current_user, stage=form.stage.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        venue=form.venue.data, advance_count=form.advance_count.data), _("The round is added."))


@role_required(Role.ADMIN)
def module_create(round_id):
    round_ = db.get_or_404(Round, round_id)
    form = ModuleForm()
    return _setup_post(round_.competition, form, lambda: operations.add_module(
        round_, current_user, kind=form.kind.data, weight=form.weight.data, max_score=form.max_score.data,
        tie_rank=form.tie_rank.data), _("The module is added."))


@role_required(Role.ADMIN)
def criterion_create(module_id):
    module = db.get_or_404(Module, module_id)
    form = CriterionForm()
    return _setup_post(module.round.competition, form, lambda: operations.add_criterion(
        module, current_user, title=form.title.data, maximum=form.maximum.data, descriptor=form.descriptor.data),
        _("The criterion is added."))


@role_required(Role.ADMIN)
def judge_assign(round_id):
    round_ = db.get_or_404(Round, round_id)
    form = AssignJudgeForm(options={"judge": _judges})
    return _setup_post(round_.competition, form, lambda: judging.assign_judge(
        round_, current_user, judge=form.judge.data, group=form.group.data), _("The judge is assigned."))


@role_required(*ADMIN_ROLES)
def team_list(competition_id):
    competition = _competition(competition_id)
    scope = Scope.of(current_user)
    page = db.paginate(teams_query(competition.id, scope.subdistrict_id), per_page=20, error_out=False)
    members = {m.worker_id for team in page.items for m in team.members}
    facts = {f.worker_id: f for f in operations.member_facts(members)}
    explained = {worker_id: eligibility(f) for worker_id, f in facts.items()}
    return render_template("competitions/teams.html", competition=competition, page=page, explained=explained,
                           withdraw_form=WithdrawForm())


def _street_for_registration(competition) -> int:
    if current_user.role == Role.STREET_ADMIN:
        return current_user.street_id
    street = request.args.get("subdistrict", type=int)
    refs = {ref.id for ref in subdistrict_refs()}
    return street if street in refs else min(refs)


@role_required(*ADMIN_ROLES)
def team_register(competition_id):
    competition = _competition(competition_id)
    street_id = _street_for_registration(competition)
    def own_workers():
        return (select(User).join(WorkerProfile, WorkerProfile.user_id == User.id)
                .where(WorkerProfile.subdistrict_id == street_id, User.active.is_(True)).order_by(User.name))

    form = TeamForm(options={"members": own_workers, "leader": own_workers})
    form.group.members = tuple(competition.group_choices)
    form.field.members = tuple(competition.field_choices)
    if form.validate_on_submit():
        upload = form.attachment.data
        data = upload.read(ATTACHMENT_LIMIT + 1) if upload else None
        done = attempt(lambda: operations.register_team(
            competition, current_user, name=form.name.data, subdistrict_id=street_id, group=form.group.data,
            field=form.field.data, member_ids=[m.id for m in form.members.data], leader_id=form.leader.data.id,
            project_title=form.project_title.data, project_summary=form.project_summary.data,
            publish_attachments=form.publish_attachments.data, attachment_name=upload.filename if upload else None,
            attachment_data=data or None), form=form, success=_("The team is registered."))
        if done:
            return redirect(url_for("competitions.team_list", competition_id=competition.id))
    streets = subdistrict_refs() if current_user.role == Role.ADMIN else []
    return render_template("competitions/team_form.html", competition=competition, form=form, streets=streets,
                           street_id=street_id)



@role_required(*ADMIN_ROLES)
def team_withdraw(team_id):
    team = db.session.get(Team, team_id)
    if team is None or not operations.may_register(current_user, team.subdistrict_id):
        abort(404)
    form = WithdrawForm()
    if form.validate_on_submit():
        attempt(lambda: operations.withdraw_team(team, current_user, form.reason.data),
                success=_("The team is withdrawn."))
    else:
        flash(_("Give the reason."), "danger")
    return redirect(url_for("competitions.team_list", competition_id=team.competition_id))


@role_required(Role.ADMIN)
def module_edit(module_id):
    module = db.get_or_404(Module, module_id)
    form = ModuleEditForm(obj=module)
    if form.validate_on_submit() and attempt(lambda: operations.edit_module(
            module, current_user, weight=form.weight.data, max_score=form.max_score.data, tie_rank=form.tie_rank.data),
            form=form, success=_("Saved.")):
        return redirect(url_for("competitions.competition_detail", competition_id=module.round.competition_id))
    return render_template("competitions/setup_edit.html", form=form, competition=module.round.competition,
                           heading=module.kind.label)


@role_required(Role.ADMIN)
def criterion_edit(criterion_id):
    criterion = db.get_or_404(Criterion, criterion_id)
    form = CriterionEditForm(obj=criterion)
    competition = criterion.module.round.competition
    if form.validate_on_submit() and attempt(lambda: operations.edit_criterion(
            criterion, current_user, title=form.title.data, maximum=form.maximum.data,
            descriptor=form.descriptor.data), form=form, success=_("Saved.")):
        return redirect(url_for("competitions.competition_detail", competition_id=competition.id))
    return render_template("competitions/setup_edit.html", form=form, competition=competition,
                           heading=criterion.title)
