"""The competition's rules, each decided once here with its translated reason. Pure: callers read the
facts (a worker's profile, who is already in a team, a judge's subdistrict and declared conflicts)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from academy.auth.enums import Qualification
from academy.core.errors import OperationError


@dataclass(frozen=True)
class MemberFacts:
    """What eligibility needs to know of a worker, read from their profile (the registry keeps the level)."""
    worker_id: int
    name: str
    qualification: Qualification
    qualification_verified: bool
    years_in_service: int | None
    subdistrict_id: int | None  # of the worker's work unit; None when it is not a Dongcheng unit


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str


def eligibility(facts: MemberFacts) -> Eligibility:
    """An assistant social worker certificate or higher (verified in the registry), or at least one year
    of service while working at a Dongcheng unit."""
    if facts.qualification.rank >= Qualification.ASSISTANT.rank and facts.qualification_verified:
        return Eligibility(True, str(_l("Holds a verified %(level)s certificate.", level=facts.qualification.label)))
    years = facts.years_in_service or 0
    if years >= 1 and facts.subdistrict_id is not None:
        return Eligibility(True, str(_l("%(years)d years of social-work service at a Dongcheng work unit.",
                                        years=years)))
    if facts.qualification.rank >= Qualification.ASSISTANT.rank:
        missing = _l("the certificate is not yet verified in the qualification registry")
    else:
        missing = _l("no assistant social worker certificate or higher")
    if years < 1:
        why = _l("%(name)s is not eligible: %(missing)s, and less than one year of service.",
                 name=facts.name, missing=missing)
    else:
        why = _l("%(name)s is not eligible: %(missing)s, and no current Dongcheng work unit.",
                 name=facts.name, missing=missing)
    return Eligibility(False, str(why))


def check_team(*, members: list[MemberFacts], leader_id: int | None, team_min: int, team_max: int,
               subdistrict_id: int, taken: dict[int, str]) -> None:
    """Raise OperationError for the first rule a team breaks. `taken` maps each member already in
    another team of this competition to that team's name."""
    if len(members) < team_min or len(members) > team_max:
        raise OperationError(_l("A team has %(min)d to %(max)d members; %(count)d are chosen.",
                                min=team_min, max=team_max, count=len(members)), field="members")
    for member in members:
        if member.worker_id in taken:
            raise OperationError(_l("%(name)s is already in the team %(team)s: a worker is in one team per "
                                    "competition.", name=member.name, team=taken[member.worker_id]), field="members")
        if member.subdistrict_id != subdistrict_id:
            raise OperationError(_l("%(name)s does not work in this subdistrict.", name=member.name), field="members")
        result = eligibility(member)
        if not result.eligible:
            raise OperationError(result.reason, field="members")
    if leader_id not in {member.worker_id for member in members}:
        raise OperationError(_l("The leader must be one of the team's members."), field="leader")


def judge_subdistrict(user) -> int | None:
    """The subdistrict of a judge's own work unit: a worker's profile, else the account's subdistrict."""
    profile = getattr(user, "profile", None)
    if profile is not None:
        return profile.subdistrict_id
    return getattr(user, "street_id", None)


def conflict(*, judge_subdistrict_id: int | None, team_subdistrict_id: int, declared_worker_ids,
             member_ids) -> str | None:
    """Why a judge may not score a team, or None: their own work unit's subdistrict, or a member they
    declared a conflict of interest with."""
    if judge_subdistrict_id is not None and judge_subdistrict_id == team_subdistrict_id:
        return str(_l("The team comes from the subdistrict of your own work unit."))
    if set(declared_worker_ids) & set(member_ids):
        return str(_l("You declared a conflict of interest with a member of this team."))
    return None


def check_points(points, maximum, title: str) -> None:
    if points is not None and (points < 0 or points > maximum):
        raise OperationError(_l("%(title)s: enter 0 to %(max)s points.", title=title, max=maximum))


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OperationError(_l("Give the reason."), field="reason")
    return reason
