"""Awards: the tiers a competition gives, giving them from the final standings (team awards per group,
individual awards by theory score, best organising subdistricts by their teams' medals), the talent
pool's flags, and looking an award up by its verification code. Operations flush, never commit."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.certificates.operations import new_code
from academy.competitions.enums import AwardKind, CompetitionStatus, Group, Medal, ModuleKind
from academy.competitions.models import Award, AwardTier, Competition, CompetitionEvent, TalentFlag, TheoryScore
from academy.competitions.operations import set_status
from academy.competitions.queries import standings
from academy.competitions.rules import check_reason
from academy.competitions.scoring import rank
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.extensions import db
from academy.notifications.operations import notify

MEDALS = list(Medal)  # gold first


def add_tier(competition: Competition, actor: User, *, kind: AwardKind, medal: Medal, group: Group | None,
             places: int) -> AwardTier:
    if places is None or places < 1:
        raise OperationError(_l("Give at least one place."), field="places")
    tier = AwardTier(competition_id=competition.id, kind=kind, medal=medal,
                     group=group if kind == AwardKind.TEAM else None, places=places)
    try:
        with db.session.begin_nested():
            db.session.add(tier)
            db.session.flush()
    except IntegrityError:
        raise OperationError(_l("This award tier already exists."), field="medal") from None
    audit("competition.award_tier", tier, actor=actor, kind=kind.value, medal=medal.value, places=places)
    return tier


def _final_round(competition: Competition):
    published = [r for r in competition.rounds if r.results_published_at is not None]
    return max(published, key=lambda r: list(type(r.stage)).index(r.stage), default=None)


def give_awards(competition: Competition, actor: User) -> list[Award]:
    """From the last published round: each group's teams take its tiers gold first, in rank order; the
    best theory scores take the individual tiers; the subdistricts with the best medal tables take the
    organiser tiers. Members of awarded teams are flagged in the talent pool. Given once."""
    final = _final_round(competition)
    if final is None:
        raise OperationError(_l("Publish the results of a round first."))
    if db.session.scalar(select(Award.id).where(Award.competition_id == competition.id).limit(1)) is not None:
        raise OperationError(_l("The awards of this competition are already given."))
    tiers = db.session.scalars(select(AwardTier).where(AwardTier.competition_id == competition.id)).all()
    if not tiers:
        raise OperationError(_l("Set the award tiers first."))
    order = {medal: index for index, medal in enumerate(MEDALS)}
    tiers = sorted(tiers, key=lambda t: order[t.medal])
    result = standings(final)
    awards: list[Award] = []

    def give(tier, **recipient):
        award = Award(competition_id=competition.id, tier=tier, verification_code=new_code(),
                      awarded_by_id=actor.id, **recipient)
        db.session.add(award)
        awards.append(award)
        return award

    medals_by_street: dict[int, list[int]] = {}
    for group in competition.group_choices:
        entries = rank([e for e in result.entries if result.teams[e.team_id].group == group and e.complete])
        queue = iter(entries)
        for tier in (t for t in tiers if t.kind == AwardKind.TEAM and t.group == group):
            for entry in [next(queue, None) for _ in range(tier.places)]:
                if entry is None:
                    break
                team = result.teams[entry.team_id]
                give(tier, team_id=team.id)
                medals_by_street.setdefault(team.subdistrict_id, [0] * len(MEDALS))[order[tier.medal]] += 1
    theory_ids = [m.id for m in result.modules if m.kind == ModuleKind.THEORY]
    best = db.session.execute(select(TheoryScore.worker_id, TheoryScore.score).where(
        TheoryScore.module_id.in_(theory_ids)).order_by(TheoryScore.score.desc(), TheoryScore.worker_id)).all()
    queue = iter(best)
    for tier in (t for t in tiers if t.kind == AwardKind.INDIVIDUAL):
        for row in [next(queue, None) for _ in range(tier.places)]:
            if row is not None:
                give(tier, worker_id=row.worker_id)
    streets = iter(sorted(medals_by_street, key=lambda street: ([-n for n in medals_by_street[street]], street)))
    for tier in (t for t in tiers if t.kind == AwardKind.ORGANISER):
        for street in [next(streets, None) for _ in range(tier.places)]:
            if street is not None:
                give(tier, subdistrict_id=street)
    db.session.flush()
    for award in awards:
        name = f"{award.tier.medal.label}（{award.tier.kind.label}）"
        if award.team_id is not None:
            for member in result.teams[award.team_id].members:
                db.session.add(TalentFlag(worker_id=member.worker_id, award_id=award.id))
                notify(member.worker_id, "competition_award", award=name, competition=competition.title)
        elif award.worker_id is not None:
            notify(award.worker_id, "competition_award", award=name, competition=competition.title)
    set_status(competition, actor, CompetitionStatus.FINISHED)
    audit("competition.awards", competition, actor=actor, awards=len(awards))
    db.session.flush()
    return awards


def revoke_award(award: Award, actor: User, reason: str | None) -> None:
    """An award found wrong later: revoked with a reason (kept, shown as revoked at /verify, out of the case
    library and the talent pool)."""
    if award.revoked_at is not None:
        raise OperationError(_l("This award is already revoked."))
    reason = check_reason(reason)
    award.revoked_at, award.revoked_by_id, award.revoke_reason = now_utc(), actor.id, reason
    db.session.add(CompetitionEvent(competition_id=award.competition_id, team_id=award.team_id, actor_id=actor.id,
                                    from_status="awarded", to_status="revoked", reason=reason))
    audit("competition.award_revoke", award, actor=actor, reason=reason)
    db.session.flush()


def award_by_code(code: str) -> Award | None:
    return db.session.scalar(select(Award).where(Award.verification_code == code).options(
        joinedload(Award.tier), joinedload(Award.competition), joinedload(Award.team),
        joinedload(Award.worker), joinedload(Award.subdistrict)))


def holder_name(award: Award) -> str:
    if award.team is not None:
        return award.team.name
    if award.worker is not None:
        return award.worker.name
    return award.subdistrict.name if award.subdistrict else ""
