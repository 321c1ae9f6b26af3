"""Judging: assigning judges, declaring conflicts, a judge's entries, saving and submitting score
sheets, reopening them, and the theory test's scores. Operations flush, never commit.

A save names the sheet version it was made from. The sheet's row is then written with
`UPDATE … SET version = version + 1 WHERE id = … AND version = <read>` (the mapper's version column):
two judges or two tabs saving the same sheet cannot overwrite each other unseen; the second is told."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.competitions.enums import Group, ModuleKind, SheetStatus, Stage
from academy.competitions.models import (
    ConflictDeclaration, JudgeAssignment, Module, Round, RoundEntry, ScoreLine, ScoreSheet, SheetEvent, Team,
    TeamMember, TheoryScore,
)
from academy.competitions.rules import check_points, check_reason, conflict, judge_subdistrict
from academy.core.errors import CHANGED_MEANWHILE, OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db

S = SheetStatus


def assign_judge(round_: Round, actor: User, *, judge: User, group: Group) -> JudgeAssignment:
    if not judge.active:
        raise OperationError(_l("This account is not active."), field="judge")
    if group not in round_.competition.group_choices:
        raise OperationError(_l("Choose a group of this competition."), field="group")
    item = JudgeAssignment(round_id=round_.id, judge_id=judge.id, group=group, assigned_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(item)
            db.session.flush()
    except IntegrityError:
        raise OperationError(_l("This judge already judges this group in this round."), field="judge") from None
    audit("competition.judge_assign", item, actor=actor, judge=judge.id, group=group.value)
    return item


def declare_conflict(competition_id: int, judge: User, *, worker_id: int, reason: str | None) -> ConflictDeclaration:
    reason = check_reason(reason)
    item = ConflictDeclaration(competition_id=competition_id, judge_id=judge.id, worker_id=worker_id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(item)
            db.session.flush()
    except IntegrityError:
        raise OperationError(_l("You have already declared this conflict."), field="worker") from None
    audit("competition.conflict", item, actor=judge, worker=worker_id)
    return item


def round_teams(round_: Round):
    """The teams in a round: every team not withdrawn in the preliminary; later, those sent on."""
    query = (select(Team).where(Team.competition_id == round_.competition_id, Team.withdrawn_at.is_(None))
             .options(selectinload(Team.members)).order_by(Team.subdistrict_id, Team.name))
    if round_.stage != Stage.PRELIMINARY:
        query = query.where(Team.id.in_(select(RoundEntry.team_id).where(RoundEntry.round_id == round_.id)))
    return db.session.scalars(query).all()


def judge_entries(judge: User, round_: Round) -> list[tuple[Team, str | None]]:
    """The teams of the judge's groups in this round, each with the conflict that bars it (or None)."""
    groups = set(db.session.scalars(select(JudgeAssignment.group).where(
        JudgeAssignment.round_id == round_.id, JudgeAssignment.judge_id == judge.id)))
    declared = set(db.session.scalars(select(ConflictDeclaration.worker_id).where(
        ConflictDeclaration.competition_id == round_.competition_id, ConflictDeclaration.judge_id == judge.id)))
    own = judge_subdistrict(judge)
    return [(team, conflict(judge_subdistrict_id=own, team_subdistrict_id=team.subdistrict_id,
                            declared_worker_ids=declared, member_ids=[m.worker_id for m in team.members]))
            for team in round_teams(round_) if team.group in groups]


def may_score(judge: User, team: Team, module: Module) -> None:
    """Raise unless the judge is assigned to the team's group in the module's round, the team is in that
    round, and the judge has no conflict with it (a few statements, whatever the size of the round)."""
    if module.kind == ModuleKind.THEORY:
        raise OperationError(_l("The theory test is entered per person, not on a score sheet."))
    round_ = module.round
    assigned = db.session.scalar(select(JudgeAssignment.id).where(
        JudgeAssignment.round_id == round_.id, JudgeAssignment.judge_id == judge.id,
        JudgeAssignment.group == team.group).limit(1)) is not None
    entered = team.withdrawn_at is None and team.competition_id == round_.competition_id and (
        round_.stage == Stage.PRELIMINARY or db.session.scalar(select(RoundEntry.id).where(
            RoundEntry.round_id == round_.id, RoundEntry.team_id == team.id)) is not None)
    if not (assigned and entered):
        raise OperationError(_l("You are not assigned to score this team."))
    declared = db.session.scalars(select(ConflictDeclaration.worker_id).where(
        ConflictDeclaration.competition_id == round_.competition_id, ConflictDeclaration.judge_id == judge.id)).all()
    barred = conflict(judge_subdistrict_id=judge_subdistrict(judge), team_subdistrict_id=team.subdistrict_id,
                      declared_worker_ids=declared, member_ids=[m.worker_id for m in team.members])
    if barred:
        raise OperationError(barred)


def open_sheet(judge: User, team: Team, module: Module) -> ScoreSheet:
    """The judge's sheet for this team and module, made on first opening."""
    may_score(judge, team, module)
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == judge.id, ScoreSheet.team_id == team.id,
                                                       ScoreSheet.module_id == module.id))
    if sheet is None:
        sheet = ScoreSheet(round_id=module.round_id, module=module, team=team, judge_id=judge.id)
        sheet.lines = [ScoreLine(criterion=criterion) for criterion in module.criteria]
        try:
            with db.session.begin_nested():
                db.session.add(sheet)
                db.session.flush()
        except IntegrityError:  # opened in another tab at the same moment: use that one
            sheet = db.session.scalar(select(ScoreSheet).where(
                ScoreSheet.judge_id == judge.id, ScoreSheet.team_id == team.id, ScoreSheet.module_id == module.id))
    return sheet


def _own_open_sheet(sheet: ScoreSheet, judge: User, version: int | None) -> None:
    if sheet.judge_id != judge.id:
        raise OperationError(_l("This is another judge's score sheet."))
    if sheet.locked:
        raise OperationError(_l("This score sheet is submitted and locked."))
    if version != sheet.version:
        raise OperationError(CHANGED_MEANWHILE)
    may_score(judge, sheet.team, sheet.module)


def save_sheet(sheet: ScoreSheet, judge: User, *, version: int | None, scores: dict) -> None:
    """`scores` maps a criterion id to (points or None, comment). Refused, writing nothing, when the sheet
    is locked or was saved since `version` was read."""
    _own_open_sheet(sheet, judge, version)
    lines = {line.criterion_id: line for line in sheet.lines}
    for criterion_id, (points, _comment) in scores.items():
        line = lines.get(criterion_id)
        if line is None:
            raise OperationError(_l("This criterion is not on the sheet."))
        check_points(points, line.criterion.maximum, line.criterion.title)
    for criterion_id, (points, comment) in scores.items():
        lines[criterion_id].points = points
        lines[criterion_id].comment = (comment or "").strip()[:1000] or None
    sheet.updated_at = now_utc()  # the sheet's row is written, with its version checked and moved
    db.session.flush()


def submit_sheet(sheet: ScoreSheet, judge: User, *, version: int | None) -> None:
    _own_open_sheet(sheet, judge, version)
    if any(line.points is None for line in sheet.lines) or not sheet.lines:
        raise OperationError(_l("Score every criterion before submitting."))
    _change(sheet, judge, S.SUBMITTED)
    sheet.submitted_at = now_utc()
    audit("competition.sheet_submit", sheet, actor=judge, total=str(sheet.total))
    db.session.flush()


def reopen_sheet(sheet: ScoreSheet, actor: User, reason: str | None) -> None:
    """An administrator reopens a submitted sheet, with a reason, for its judge to correct."""
    if actor.role != Role.ADMIN:
        raise OperationError(_l("Only an administrator may reopen a submitted score sheet."))
    if not sheet.locked:
        raise OperationError(_l("Only a submitted score sheet can be reopened."))
    if sheet.module.round.results_published_at is not None:
        raise OperationError(_l("The results of this round are published: its sheets stay as they are."))
    reason = check_reason(reason)
    _change(sheet, actor, S.REOPENED, reason)
    sheet.submitted_at = None
    audit("competition.sheet_reopen", sheet, actor=actor, reason=reason, total=str(sheet.total))
    db.session.flush()


def _change(sheet: ScoreSheet, actor: User, to_status: SheetStatus, reason: str | None = None) -> None:
    db.session.add(SheetEvent(sheet=sheet, actor_id=actor.id, from_status=sheet.status, to_status=to_status,
                              reason=reason))
    sheet.status = to_status


def enter_theory_score(module: Module, actor: User, *, worker_id: int, score: Decimal, source: str = "entered"):
    """A member's theory test score (entered again, it replaces the earlier one, audited)."""
    if module.kind != ModuleKind.THEORY:
        raise OperationError(_l("Theory scores belong to a theory test module."))
    if score is None or score < 0 or score > module.max_score:
        raise OperationError(_l("Enter a score from 0 to %(max)s.", max=module.max_score), field="score")
    team_id = db.session.scalar(select(TeamMember.team_id).join(Team, Team.id == TeamMember.team_id).where(
        TeamMember.worker_id == worker_id, Team.competition_id == module.round.competition_id))
    if team_id is None:
        raise OperationError(_l("This worker is in no team of the competition."), field="worker")
    item = db.session.scalar(select(TheoryScore).where(TheoryScore.module_id == module.id,
                                                       TheoryScore.worker_id == worker_id))
    before = item.score if item else None
    if item is None:
        item = TheoryScore(module_id=module.id, team_id=team_id, worker_id=worker_id)
        db.session.add(item)
    item.score, item.entered_by_id, item.source = score, actor.id, source
    db.session.flush()
    audit("competition.theory_score", item, actor=actor, before=str(before) if before is not None else None,
          after=str(score), source=source)
    return item
