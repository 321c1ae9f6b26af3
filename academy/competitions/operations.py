"""Setting a competition up and registering teams. Operations flush, never commit."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from academy.audit.operations import changes, record as audit
from academy.auth.models import User, WorkerProfile
from academy.competitions.enums import CompetitionStatus, Field, Group, ModuleKind, Stage
from academy.competitions.models import (
    Competition, CompetitionEvent, Criterion, Module, Round, ScoreSheet, Team, TeamMember, TheoryScore,
)
from academy.competitions.rules import MemberFacts, check_reason, check_team
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.progress.evidence import store_evidence


def _event(competition: Competition, actor, to_status: str, *, from_status: str | None = None, round_id=None,
           team_id=None, reason: str | None = None) -> None:
    db.session.add(CompetitionEvent(competition_id=competition.id, round_id=round_id, team_id=team_id,
                                    actor_id=actor.id if actor else None, from_status=from_status,
                                    to_status=to_status, reason=reason))


def create_competition(actor: User, *, title: str, theme: str, year: int, groups, fields, team_min: int,
                       team_max: int, semi_final_quota: int = 3, trim_from: int = 5) -> Competition:
    if not groups or not fields:
        raise OperationError(_l("Choose at least one group and one field."), field="groups")
    if team_min < 1 or team_max < team_min:
        raise OperationError(_l("The largest team size cannot be below the smallest."), field="team_max")
    competition = Competition(title=title.strip(), theme=theme.strip(), year=year,
                              groups=[Group(g).value for g in groups], fields=[Field(f).value for f in fields],
                              team_min=team_min, team_max=team_max, semi_final_quota=semi_final_quota,
                              trim_from=trim_from)
    db.session.add(competition)
    db.session.flush()
    _event(competition, actor, CompetitionStatus.DRAFT.value)
    audit("competition.create", competition, actor=actor)
    return competition


def set_status(competition: Competition, actor: User, status: CompetitionStatus, reason: str | None = None) -> None:
    before = competition.status
    if before == status:
        return
    competition.status = status
    _event(competition, actor, status.value, from_status=before.value, reason=reason)
    audit("competition.status", competition, actor=actor, before=before.value, after=status.value)
    db.session.flush()


def add_round(competition: Competition, actor: User, *, stage: Stage, starts_on: date, ends_on: date, venue: str,
              advance_count: int | None = None) -> Round:
    if ends_on < starts_on:
        raise OperationError(_l("The round cannot end before it starts."), field="ends_on")
    if any(item.stage == stage for item in competition.rounds):
        raise OperationError(_l("This competition already has that round."), field="stage")
    item = Round(competition=competition, stage=stage, starts_on=starts_on, ends_on=ends_on, venue=venue.strip(),
                 advance_count=advance_count if stage == Stage.SEMI_FINAL else None)
    db.session.add(item)
    db.session.flush()
    audit("competition.round", item, actor=actor, stage=stage.value)
    return item


def add_module(round_: Round, actor: User, *, kind: ModuleKind, weight: Decimal, max_score: Decimal,
               tie_rank: int | None = None) -> Module:
    if any(module.kind == kind for module in round_.modules):
        raise OperationError(_l("This round already has that module."), field="kind")
    total = sum((module.weight for module in round_.modules), Decimal(0)) + weight
    if weight <= 0 or total > 100:
        raise OperationError(_l("The modules' weights add up to at most 100%% (%(used)s%% already given).",
                                used=total - weight), field="weight")
    module = Module(round=round_, kind=kind, weight=weight, max_score=max_score, tie_rank=tie_rank,
                    position=len(round_.modules) + 1)
    db.session.add(module)
    db.session.flush()
    audit("competition.module", module, actor=actor, kind=kind.value, weight=str(weight))
    return module


def add_criterion(module: Module, actor: User, *, title: str, maximum: Decimal, descriptor: str = "") -> Criterion:
    used = sum((item.maximum for item in module.criteria), Decimal(0))
    if maximum <= 0 or used + maximum > module.max_score:
        raise OperationError(_l("The criteria's maxima add up to at most the module's maximum (%(max)s).",
                                max=module.max_score), field="maximum")
    item = Criterion(module=module, title=title.strip(), maximum=maximum, descriptor=(descriptor or "").strip(),
                     position=len(module.criteria) + 1)
    db.session.add(item)
    db.session.flush()
    return item


def member_facts(worker_ids) -> list[MemberFacts]:
    """Eligibility facts of these workers from their profiles (one query); unknown ids are left out."""
    if not worker_ids:
        return []
    rows = db.session.execute(
        select(User, WorkerProfile).join(WorkerProfile, WorkerProfile.user_id == User.id)
        .options(joinedload(WorkerProfile.work_unit))
        .where(User.id.in_(list(worker_ids)), User.role == Role.WORKER)).all()
    return [MemberFacts(user.id, user.name, profile.qualification, profile.qualification_verified,
                        profile.years_in_service, profile.subdistrict_id if profile.work_unit is not None else None)
            for user, profile in rows]


def may_register(actor: User, subdistrict_id: int) -> bool:
    """An administrator anywhere; a subdistrict administrator for their own subdistrict only."""
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.STREET_ADMIN and actor.street_id == subdistrict_id


def register_team(competition: Competition, actor: User, *, name: str, subdistrict_id: int, group, field,
                  member_ids, leader_id: int | None, project_title: str, project_summary: str,
                  publish_attachments: bool = False, attachment_name: str | None = None,
                  attachment_data: bytes | None = None) -> Team:
    """Register a team after checking scope, size, eligibility and one team per worker; the schema's
    unique key catches a worker registered by two requests at once."""
    if not may_register(actor, subdistrict_id):
        raise OperationError(_l("You may register teams of your own subdistrict only."))
    if competition.status != CompetitionStatus.REGISTRATION:
        raise OperationError(_l("Registration for this competition is not open."))
    if group not in competition.group_choices or field not in competition.field_choices:
        raise OperationError(_l("Choose a group and field of this competition."), field="group")
    member_ids = list(dict.fromkeys(member_ids))
    members = member_facts(member_ids)
    if len(members) != len(member_ids):
        raise OperationError(_l("Choose social workers only."), field="members")
    taken = dict(db.session.execute(
        select(TeamMember.worker_id, Team.name).join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.competition_id == competition.id, TeamMember.worker_id.in_(member_ids))).all())
    check_team(members=members, leader_id=leader_id, team_min=competition.team_min, team_max=competition.team_max,
               subdistrict_id=subdistrict_id, taken=taken)
    team = Team(competition_id=competition.id, subdistrict_id=subdistrict_id, name=name.strip(), group=group,
                field=field, leader_id=leader_id, project_title=project_title.strip(),
                project_summary=project_summary.strip(), publish_attachments=publish_attachments,
                registered_by_id=actor.id)
    team.members = [TeamMember(competition_id=competition.id, worker_id=worker_id) for worker_id in member_ids]
    if attachment_data:
        team.attachment = store_evidence(db.session.get(User, leader_id), attachment_name or "project.pdf",
                                         attachment_data, field="attachment")
    try:
        with db.session.begin_nested():
            db.session.add(team)
            db.session.flush()
    except IntegrityError:
        raise OperationError(_l("A member or the team name was registered meanwhile; check the team again."),
                             field="members") from None
    _event(competition, actor, "registered", team_id=team.id)
    audit("competition.team", team, actor=actor, members=len(member_ids))
    return team


def withdraw_team(team: Team, actor: User, reason: str | None) -> None:
    if not may_register(actor, team.subdistrict_id):
        raise OperationError(_l("You may register teams of your own subdistrict only."))
    if team.withdrawn_at is not None:
        raise OperationError(_l("The team is already withdrawn."))
    reason = check_reason(reason)
    team.withdrawn_at = now_utc()
    _event(team.competition, actor, "withdrawn", from_status="registered", team_id=team.id, reason=reason)
    audit("competition.team_withdraw", team, actor=actor, reason=reason)
    db.session.flush()


def scoring_started(module: Module) -> bool:
    """A sheet opened or a theory score entered: from then on the module's set-up is fixed."""
    return any(db.session.scalar(select(model.id).where(model.module_id == module.id).limit(1)) is not None
               for model in (ScoreSheet, TheoryScore))


def edit_module(module: Module, actor: User, *, weight: Decimal, max_score: Decimal, tie_rank: int | None) -> None:
    if scoring_started(module):
        raise OperationError(_l("Scoring of this module has started: its set-up is fixed."))
    others = sum((m.weight for m in module.round.modules if m.id != module.id), Decimal(0))
    if weight <= 0 or others + weight > 100:
        raise OperationError(_l("The modules' weights add up to at most 100%% (%(used)s%% already given).",
                                used=others), field="weight")
    if max_score < sum((c.maximum for c in module.criteria), Decimal(0)):
        raise OperationError(_l("The criteria's maxima add up to at most the module's maximum (%(max)s).",
                                max=max_score), field="max_score")
    module.weight, module.max_score, module.tie_rank = weight, max_score, tie_rank
    audit("competition.module_edit", module, actor=actor,
          **changes(module, ("weight", "max_score", "tie_rank")))
    db.session.flush()


def edit_criterion(criterion: Criterion, actor: User, *, title: str, maximum: Decimal, descriptor: str) -> None:
    module = criterion.module
    if scoring_started(module):
        raise OperationError(_l("Scoring of this module has started: its set-up is fixed."))
    others = sum((c.maximum for c in module.criteria if c.id != criterion.id), Decimal(0))
    if maximum <= 0 or others + maximum > module.max_score:
        raise OperationError(_l("The criteria's maxima add up to at most the module's maximum (%(max)s).",
                                max=module.max_score), field="maximum")
    criterion.title, criterion.maximum, criterion.descriptor = title.strip(), maximum, (descriptor or "").strip()
    audit("competition.criterion_edit", criterion, actor=actor,
          **changes(criterion, ("title", "maximum", "descriptor")))
    db.session.flush()
