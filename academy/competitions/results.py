"""Publishing a round's results: the standings are fixed, the teams that go on enter the next round,
and every member of every team is told. Flushes, never commits."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.competitions.enums import SheetStatus, Stage
from academy.competitions.models import CompetitionEvent, Round, RoundEntry, RoundResult, ScoreSheet
from academy.competitions.queries import standings
from academy.competitions.scoring import shown
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.operations import notify

NEXT = {Stage.PRELIMINARY: Stage.SEMI_FINAL, Stage.SEMI_FINAL: Stage.FINAL}


def publish_results(round_: Round, actor: User) -> int:
    """Publish; returns how many teams go on. Refused while a sheet is still being scored or an entry
    is missing a module's score."""
    if actor.role != Role.ADMIN:
        raise OperationError(_l("Only an administrator may publish results."))
    if round_.results_published_at is not None:
        raise OperationError(_l("These results are already published."))
    if sum((module.weight for module in round_.modules), 0) != 100:
        raise OperationError(_l("The modules' weights must add up to 100 per cent before results are published."))
    unfinished = db.session.scalar(select(ScoreSheet.id).where(ScoreSheet.round_id == round_.id,
                                                               ScoreSheet.status != SheetStatus.SUBMITTED).limit(1))
    result = standings(round_)
    if unfinished is not None or not result.entries or not all(entry.complete for entry in result.entries):
        raise OperationError(_l("Every entry needs every module scored and every sheet submitted first."))
    following = next((r for r in round_.competition.rounds if r.stage == NEXT.get(round_.stage)), None)
    going_on = [entry for entry in result.entries if entry.advances]
    if following is not None:
        db.session.add_all([RoundEntry(round_id=following.id, team_id=entry.team_id) for entry in going_on])
    round_.results_published_at = now_utc()
    db.session.add(CompetitionEvent(competition_id=round_.competition_id, round_id=round_.id, actor_id=actor.id,
                                    from_status="scoring", to_status="published"))
    db.session.add_all([RoundResult(round_id=round_.id, team_id=entry.team_id, place=entry.rank,
                                    score=shown(entry.score), advanced=entry.advances) for entry in result.entries])
    for entry in result.entries:
        team = result.teams[entry.team_id]
        after = (_l("Your team goes on to %(round)s.", round=following.stage.label)
                 if following is not None and entry.advances else "")
        for member in team.members:
            notify(member.worker_id, "competition_results", round=str(round_.stage.label),
                   competition=round_.competition.title, team=team.name, rank=entry.rank, next=str(after))
    audit("competition.publish", round_, actor=actor, teams=len(result.entries), going_on=len(going_on))
    db.session.flush()
    return len(going_on)
