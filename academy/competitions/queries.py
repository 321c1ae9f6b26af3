"""Read helpers: a round's standings (a fixed number of statements whatever the number of teams and
judges), a judge's assignments, the teams list and a worker's own competitions."""
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from academy.auth.models import User
from academy.competitions.enums import SheetStatus
from academy.competitions.judging import round_teams
from academy.competitions.models import (
    Competition, JudgeAssignment, Module, Round, ScoreLine, ScoreSheet, Team, TeamMember, TheoryScore,
)
from academy.competitions.scoring import EntryResult, Mark, ModuleSpec, advance, entry_result
from academy.extensions import db


@dataclass
class Standings:
    round: Round
    modules: list[Module]
    entries: list[EntryResult]
    teams: dict[int, Team]
    names: dict[int, str]  # who gave each mark: judges' and members' names
    unsubmitted: dict[int, int]  # sheets still being scored (or reopened), per team


def module_specs(modules) -> list[ModuleSpec]:
    return [ModuleSpec(m.id, m.kind, m.weight, m.max_score, m.tie_rank) for m in modules]


def standings(round_: Round) -> Standings:
    """Every team of the round with its module scores from the submitted sheets and theory scores so far,
    ranked, with who advances."""
    modules = db.session.scalars(select(Module).where(Module.round_id == round_.id).order_by(Module.position)).all()
    teams = {team.id: team for team in round_teams(round_)}
    marks: dict[int, dict[int, list[Mark]]] = {team_id: {} for team_id in teams}
    names: dict[int, str] = {}
    totals = db.session.execute(
        select(ScoreSheet.id, ScoreSheet.team_id, ScoreSheet.module_id, ScoreSheet.judge_id, User.name,
               func.coalesce(func.sum(ScoreLine.points), 0))
        .join(User, User.id == ScoreSheet.judge_id).outerjoin(ScoreLine, ScoreLine.sheet_id == ScoreSheet.id)
        .where(ScoreSheet.round_id == round_.id, ScoreSheet.status == SheetStatus.SUBMITTED)
        .group_by(ScoreSheet.id, ScoreSheet.team_id, ScoreSheet.module_id, ScoreSheet.judge_id, User.name)
        .order_by(ScoreSheet.id))
    for sheet_id, team_id, module_id, judge_id, name, total in totals:
        if team_id in marks:
            marks[team_id].setdefault(module_id, []).append(Mark(sheet_id, judge_id, total))
            names[judge_id] = name
    theory = db.session.execute(
        select(TheoryScore.id, TheoryScore.team_id, TheoryScore.module_id, TheoryScore.worker_id, User.name,
               TheoryScore.score).join(User, User.id == TheoryScore.worker_id)
        .where(TheoryScore.module_id.in_([m.id for m in modules])).order_by(TheoryScore.id))
    for score_id, team_id, module_id, worker_id, name, score in theory:
        if team_id in marks:
            marks[team_id].setdefault(module_id, []).append(Mark(score_id, worker_id, score))
            names[worker_id] = name
    unsubmitted = dict(db.session.execute(
        select(ScoreSheet.team_id, func.count()).where(ScoreSheet.round_id == round_.id,
                                                       ScoreSheet.status != SheetStatus.SUBMITTED)
        .group_by(ScoreSheet.team_id)).all())
    specs = module_specs(modules)
    trim_from = round_.competition.trim_from
    entries = [entry_result(team.id, team.subdistrict_id, specs, marks[team.id], trim_from) for team in teams.values()]
    ordered = advance(entries, round_.stage, quota=round_.competition.semi_final_quota,
                      advance_count=round_.advance_count)
    return Standings(round_, modules, ordered, teams, names, unsubmitted)


def competition_with_rounds(competition_id: int) -> Competition | None:
    return db.session.scalar(select(Competition).where(Competition.id == competition_id).options(
        selectinload(Competition.rounds).selectinload(Round.modules).selectinload(Module.criteria)))


def teams_query(competition_id: int, subdistrict_id: int | None = None):
    query = (select(Team).where(Team.competition_id == competition_id)
             .options(joinedload(Team.leader), joinedload(Team.subdistrict),
                      selectinload(Team.members).joinedload(TeamMember.worker))
             .order_by(Team.subdistrict_id, Team.name, Team.id))
    if subdistrict_id is not None:
        query = query.where(Team.subdistrict_id == subdistrict_id)
    return query


def judge_rounds(judge_id: int) -> list[Round]:
    """The rounds a judge is assigned to, newest first."""
    return db.session.scalars(
        select(Round).where(Round.id.in_(select(JudgeAssignment.round_id).where(JudgeAssignment.judge_id == judge_id)))
        .options(joinedload(Round.competition), selectinload(Round.modules))
        .order_by(Round.starts_on.desc())).all()


def judge_sheets(judge_id: int, round_id: int) -> dict[tuple[int, int], ScoreSheet]:
    sheets = db.session.scalars(select(ScoreSheet).where(ScoreSheet.judge_id == judge_id,
                                                         ScoreSheet.round_id == round_id)).all()
    return {(sheet.team_id, sheet.module_id): sheet for sheet in sheets}


def my_teams(worker_id: int) -> list[Team]:
    """A worker's teams, newest competition first, with their rounds."""
    return db.session.scalars(
        select(Team).join(TeamMember, TeamMember.team_id == Team.id).where(TeamMember.worker_id == worker_id)
        .options(joinedload(Team.competition).selectinload(Competition.rounds),
                 selectinload(Team.members).joinedload(TeamMember.worker), selectinload(Team.results))
        .order_by(Team.id.desc())).all()
