"""Awards from the published standings, the talent pool, award certificates verified at /verify,
and the public case library."""

import pytest
from sqlalchemy import func, select

from academy.competitions import awards
from academy.competitions.enums import AwardKind, CompetitionStatus, Group, Medal
from academy.competitions.models import TalentFlag
from academy.competitions.results import publish_results
from academy.core.errors import OperationError
from academy.extensions import db
from tests.competitions.helpers import JIAODAOKOU, TIANTAN, build_competition, judge, team
from tests.competitions.test_results import _score


@pytest.fixture
def finished(make):
    world = build_competition(make)
    person = judge(make, world, street_code="110101008000")
    world["teams"] = {
        "a": team(make, world, JIAODAOKOU, name="交道口一队"), "b": team(make, world, TIANTAN, name="天坛一队"),
        "c": team(make, world, TIANTAN, name="天坛二队"),
        "g": team(make, world, JIAODAOKOU, group=Group.GOVERNANCE, name="交道口治理队"),
    }
    governance_judge = judge(make, world, group=Group.GOVERNANCE, street_code="110101008000")
    for key, points in (("a", 12), ("b", 15), ("c", 5)):
        _score(world, world["teams"][key], person, points)
    _score(world, world["teams"]["g"], governance_judge, 9)
    publish_results(world["round"], world["admin"])
    for kind, medal, group, places in ((AwardKind.TEAM, Medal.GOLD, Group.LIVELIHOOD, 1),
                                       (AwardKind.TEAM, Medal.SILVER, Group.LIVELIHOOD, 1),
                                       (AwardKind.TEAM, Medal.GOLD, Group.GOVERNANCE, 1),
                                       (AwardKind.INDIVIDUAL, Medal.GOLD, None, 1),
                                       (AwardKind.ORGANISER, Medal.GOLD, None, 1)):
        awards.add_tier(world["competition"], world["admin"], kind=kind, medal=medal, group=group, places=places)
    db.session.commit()
    return world


def test_awards_follow_the_standings_per_group(finished):
    given = awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    teams = finished["teams"]
    team_awards = {(a.tier.group, a.tier.medal): a.team_id for a in given if a.tier.kind == AwardKind.TEAM}
    assert team_awards == {(Group.LIVELIHOOD, Medal.GOLD): teams["b"].id, (Group.LIVELIHOOD, Medal.SILVER): teams["a"].id,
                           (Group.GOVERNANCE, Medal.GOLD): teams["g"].id}
    [individual] = [a for a in given if a.tier.kind == AwardKind.INDIVIDUAL]
    assert individual.worker_id in {m.worker_id for m in teams["b"].members}  # theory score 15, the best
    [organiser] = [a for a in given if a.tier.kind == AwardKind.ORGANISER]
    # Jiaodaokou: one gold (governance) and one silver; Tiantan: one gold. Golds tie, silvers decide.
    assert organiser.subdistrict_id == teams["a"].subdistrict_id
    assert finished["competition"].status == CompetitionStatus.FINISHED


def test_winning_teams_members_join_the_talent_pool_with_the_source(finished):
    given = awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    flags = db.session.scalars(select(TalentFlag)).all()
    winners = {m.worker_id for key in ("a", "b", "g") for m in finished["teams"][key].members}
    assert {f.worker_id for f in flags} == winners
    assert all(f.award_id in {a.id for a in given} for f in flags)
    assert not {m.worker_id for m in finished["teams"]["c"].members} & {f.worker_id for f in flags}


def test_awards_are_given_once_and_only_after_results(make, finished):
    awards.give_awards(finished["competition"], finished["admin"])
    with pytest.raises(OperationError):
        awards.give_awards(finished["competition"], finished["admin"])
    fresh = build_competition(make)
    with pytest.raises(OperationError):
        awards.give_awards(fresh["competition"], fresh["admin"])


def test_an_award_certificate_is_a_pdf_verified_at_verify(client, make, login, finished):
    given = awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    gold = next(a for a in given if a.team_id == finished["teams"]["b"].id)
    member = gold.team.members[0].worker
    login(member)
    response = client.get(f"/awards/{gold.id}/certificate.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    other = next(a for a in given if a.team_id == finished["teams"]["a"].id)
    assert client.get(f"/awards/{other.id}/certificate.pdf").status_code == 404
    client.post("/logout")
    page = client.get(f"/verify/{gold.verification_code}").get_data(as_text=True)
    assert "天坛一队" in page and finished["competition"].title in page
    individual = next(a for a in given if a.worker_id is not None)
    page = client.get(f"/verify/{individual.verification_code}").get_data(as_text=True)
    assert individual.worker.name not in page  # a person's name is masked on the public page


def test_the_case_library_lists_winning_projects_gold_first_and_filters(client, finished):
    assert "天坛一队" not in client.get("/cases").get_data(as_text=True)
    awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    page = client.get("/cases").get_data(as_text=True)
    assert "天坛一队" in page and "交道口一队" in page and "天坛二队" not in page
    assert page.count("text-bg-warning") == 2  # the two gold projects are marked as recommended
    assert page.index("天坛一队") < page.index("交道口一队")  # gold before silver
    assert "交道口一队" not in client.get("/cases?group=governance").get_data(as_text=True)
    assert "交道口治理队" in client.get("/cases?group=governance").get_data(as_text=True)
    assert client.get("/cases?field=medical").get_data(as_text=True).count("card-body") == 0
    assert client.get("/cases?q=%25").status_code == 200


def test_the_talent_pool_filters_and_exports_masked(client, make, login, finished):
    awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    login(finished["admin"])
    member = finished["teams"]["b"].members[0].worker
    page = client.get("/admin/talent-pool").get_data(as_text=True)
    assert member.name in page
    street = finished["teams"]["a"].subdistrict_id
    assert member.name not in client.get(f"/admin/talent-pool?subdistrict={street}").get_data(as_text=True)
    export = client.get("/admin/talent-pool?format=csv").get_data(as_text=True)
    assert member.name in export and member.phone not in export
    assert client.get("/admin/talent-pool?format=xlsx").status_code == 200


def test_a_projects_document_is_public_only_for_a_winner_whose_team_allows_it(client, make, login):
    from academy.competitions import operations as ops
    from academy.competitions.enums import Field
    from tests.competitions.helpers import workers

    world = build_competition(make)
    pdf = b"%PDF-1.4\n%%EOF\n"

    def register(name, publish):
        members = workers(make)
        item = ops.register_team(world["competition"], world["admin"], name=name,
                                 subdistrict_id=members[0].profile.subdistrict_id, group=Group.LIVELIHOOD,
                                 field=Field.ELDERLY_CHILDREN, member_ids=[m.id for m in members],
                                 leader_id=members[0].id, project_title="项目", project_summary="简介",
                                 publish_attachments=publish, attachment_name="方案.pdf", attachment_data=pdf)
        db.session.commit()
        return item

    shared, private = register("公开队", True), register("保密队", False)
    assert client.get(f"/competition-teams/{shared.id}/attachment").status_code == 404  # no award yet
    tier = awards.add_tier(world["competition"], world["admin"], kind=AwardKind.TEAM, medal=Medal.GOLD,
                           group=Group.LIVELIHOOD, places=2)
    from academy.certificates.operations import new_code
    from academy.competitions.models import Award

    for item in (shared, private):
        db.session.add(Award(competition_id=world["competition"].id, tier=tier, team_id=item.id,
                             verification_code=new_code(), awarded_by_id=world["admin"].id))
    db.session.commit()
    response = client.get(f"/competition-teams/{shared.id}/attachment")
    assert response.status_code == 200 and response.data == pdf
    assert client.get(f"/competition-teams/{private.id}/attachment").status_code == 404
    login(private.members[0].worker)
    assert client.get(f"/competition-teams/{private.id}/attachment").status_code == 200


def test_an_attachment_that_is_no_document_refuses_the_team(make):
    from academy.competitions import operations as ops
    from academy.competitions.enums import Field
    from academy.competitions.models import Team
    from tests.competitions.helpers import workers

    world = build_competition(make)
    members = workers(make)
    before = db.session.scalar(select(func.count()).select_from(Team))
    with pytest.raises(OperationError) as error:
        ops.register_team(world["competition"], world["admin"], name="队", subdistrict_id=members[0].profile.subdistrict_id,
                          group=Group.LIVELIHOOD, field=Field.ELDERLY_CHILDREN, member_ids=[m.id for m in members],
                          leader_id=members[0].id, project_title="项目", project_summary="简介",
                          attachment_name="a.pdf", attachment_data=b"<html>not a pdf</html>")
    db.session.rollback()
    assert error.value.field == "attachment"
    assert db.session.scalar(select(func.count()).select_from(Team)) == before


def test_a_revoked_award_needs_a_reason_and_leaves_the_library_and_the_pool(client, make, login, finished):
    given = awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    gold = next(a for a in given if a.team_id == finished["teams"]["b"].id)
    login(finished["admin"])
    client.post(f"/admin/competition-awards/{gold.id}/revoke", data={"reason": ""})
    db.session.refresh(gold)
    assert gold.revoked_at is None
    assert client.post(f"/admin/competition-awards/{gold.id}/revoke", data={"reason": "项目抄袭"}).status_code == 302
    db.session.refresh(gold)
    assert gold.revoked_at is not None and gold.revoke_reason == "项目抄袭"
    with pytest.raises(OperationError):
        awards.revoke_award(gold, finished["admin"], "再次")
    assert "天坛一队" not in client.get("/cases").get_data(as_text=True)
    member = gold.team.members[0].worker
    assert member.name not in client.get("/admin/talent-pool").get_data(as_text=True)
    assert client.get(f"/awards/{gold.id}/certificate.pdf").status_code == 410
    assert "撤销" in client.get(f"/verify/{gold.verification_code}").get_data(as_text=True)


def test_winners_are_told(finished):
    from academy.notifications.models import Notification

    awards.give_awards(finished["competition"], finished["admin"])
    db.session.commit()
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "competition_award")))
    winners = {m.worker_id for key in ("a", "b", "g") for m in finished["teams"][key].members}
    assert winners <= told and not {m.worker_id for m in finished["teams"]["c"].members} & told
