"""Read helpers of the results' afterlife: the public case library of winning projects and the
talent pool of the members of winning teams."""
from dataclasses import dataclass

from sqlalchemy import case, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from academy.auth.models import User, WorkerProfile
from academy.competitions.enums import AwardKind, Medal
from academy.competitions.models import Award, AwardTier, Competition, TalentFlag, Team

MEDAL_ORDER = case({medal.value: index for index, medal in enumerate(Medal)}, value=AwardTier.medal)


@dataclass(frozen=True)
class CaseFilters:
    q: str | None = None
    group: str | None = None
    field: str | None = None


def case_query(filters: CaseFilters):
    """Winning team projects not revoked: gold first, newest competition first."""
    query = (select(Award).join(Award.team).join(Award.tier).join(Award.competition)
             .options(contains_eager(Award.team).joinedload(Team.subdistrict), contains_eager(Award.tier),
                      contains_eager(Award.competition))
             .where(AwardTier.kind == AwardKind.TEAM, Award.revoked_at.is_(None)))
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Team.project_title.ilike(pattern, escape="\\"),
                                Team.project_summary.ilike(pattern, escape="\\"), Team.name.ilike(pattern, escape="\\")))
    if filters.group:
        query = query.where(Team.group == filters.group)
    if filters.field:
        query = query.where(Team.field == filters.field)
    return query.order_by(MEDAL_ORDER, Competition.year.desc(), Award.id)


@dataclass(frozen=True)
class TalentFilters:
    subdistrict_id: int | None = None
    medal: str | None = None
    year: int | None = None


def _talent_filtered(query, filters: TalentFilters):
    query = query.where(Award.revoked_at.is_(None))  # a revoked award flags no one
    if filters.subdistrict_id:
        query = query.where(WorkerProfile.subdistrict_id == filters.subdistrict_id)
    if filters.medal:
        query = query.where(AwardTier.medal == filters.medal)
    if filters.year:
        query = query.where(Competition.year == filters.year)
    return query.order_by(Competition.year.desc(), MEDAL_ORDER, User.name, TalentFlag.id)


def talent_query(filters: TalentFilters):
    return _talent_filtered(
        select(TalentFlag).join(TalentFlag.worker).join(WorkerProfile, WorkerProfile.user_id == User.id)
        .join(TalentFlag.award).join(Award.tier).join(Award.competition)
        .options(contains_eager(TalentFlag.worker).joinedload(User.profile),
                 contains_eager(TalentFlag.award).contains_eager(Award.tier),
                 contains_eager(TalentFlag.award).contains_eager(Award.competition),
                 contains_eager(TalentFlag.award).joinedload(Award.team)), filters)


def talent_export_query(filters: TalentFilters):
    return _talent_filtered(
        select(User.name, User.phone, WorkerProfile.subdistrict_id, Competition.title, Competition.year,
               AwardTier.medal, Team.name.label("team"), TalentFlag.flagged_at)
        .select_from(TalentFlag).join(User, User.id == TalentFlag.worker_id)
        .join(WorkerProfile, WorkerProfile.user_id == User.id).join(Award, Award.id == TalentFlag.award_id)
        .join(AwardTier, AwardTier.id == Award.tier_id).join(Competition, Competition.id == Award.competition_id)
        .outerjoin(Team, Team.id == Award.team_id), filters)


def awards_of(competition_id: int):
    return (select(Award).where(Award.competition_id == competition_id)
            .options(joinedload(Award.tier), joinedload(Award.team), joinedload(Award.worker),
                     joinedload(Award.subdistrict))
            .join(Award.tier).order_by(AwardTier.kind, MEDAL_ORDER, Award.id))
