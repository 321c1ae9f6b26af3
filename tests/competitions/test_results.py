"""Publishing a round: refused until everything is scored; the quota's teams enter the next round;
every member is told."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from academy.competitions import judging
from academy.competitions import operations as ops
from academy.competitions.enums import Stage
from academy.competitions.models import RoundEntry
from academy.competitions.queries import standings
from academy.competitions.results import publish_results
from academy.core.errors import OperationError
from academy.extensions import db
from academy.notifications.models import Notification
from tests.competitions.helpers import JIAODAOKOU, TIANTAN, build_competition, judge, team


def _score(world, entry, person, points):
    for module in (world["case"], world["project"]):
        sheet = judging.open_sheet(person, entry, module)
        judging.save_sheet(sheet, person, version=sheet.version,
                           scores={line.criterion_id: (min(Decimal(points), line.criterion.maximum), None)
                                   for line in sheet.lines})
        judging.submit_sheet(sheet, person, version=sheet.version)
    for member in entry.members:
        judging.enter_theory_score(world["theory"], world["admin"], worker_id=member.worker_id, score=Decimal(points))


@pytest.fixture
def world(make):
    world = build_competition(make)
    world["semi"] = ops.add_round(world["competition"], world["admin"], stage=Stage.SEMI_FINAL,
                                  starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 2), venue="区文化中心",
                                  advance_count=2)
    world["judge"] = judge(make, world, street_code=TIANTAN)
    world["teams"] = [team(make, world, JIAODAOKOU, name=f"交道口{i}") for i in range(4)]
    db.session.commit()
    return world


def test_publishing_waits_for_every_score(world):
    _score(world, world["teams"][0], world["judge"], 10)
    with pytest.raises(OperationError):
        publish_results(world["round"], world["admin"])


def test_publishing_sends_the_quota_on_and_tells_every_member(world):
    for points, entry in zip((5, 8, 12, 3), world["teams"]):
        _score(world, entry, world["judge"], points)
    before = db.session.scalar(select(func.count()).select_from(Notification))
    assert publish_results(world["round"], world["admin"]) == 3
    db.session.commit()
    going = set(db.session.scalars(select(RoundEntry.team_id).where(RoundEntry.round_id == world["semi"].id)))
    assert going == {world["teams"][i].id for i in (0, 1, 2)}
    members = sum(len(entry.members) for entry in world["teams"])
    assert db.session.scalar(select(func.count()).select_from(Notification)) == before + members
    assert {t.id for t in judging.round_teams(world["semi"])} == going
    with pytest.raises(OperationError):
        publish_results(world["round"], world["admin"])


def test_only_an_administrator_publishes(make, world):
    for entry in world["teams"]:
        _score(world, entry, world["judge"], 5)
    with pytest.raises(OperationError):
        publish_results(world["round"], make.create_street_admin())


def test_standings_follow_the_scores_as_they_arrive(world):
    _score(world, world["teams"][0], world["judge"], 10)
    result = standings(world["round"])
    first = next(e for e in result.entries if e.team_id == world["teams"][0].id)
    # theory 10/100 × 20 + case 20/100 × 30 + project 20/50 × 50 = 2 + 6 + 20
    assert first.score == 28 and first.complete and first.rank == 1
    assert sum(1 for e in result.entries if not e.complete) == 3


def test_published_places_are_kept_and_shown_to_members(client, login, world):
    from academy.competitions.models import RoundResult

    for points, entry in zip((5, 8, 12, 3), world["teams"]):
        _score(world, entry, world["judge"], points)
    publish_results(world["round"], world["admin"])
    db.session.commit()
    places = {r.team_id: (r.place, r.advanced) for r in db.session.scalars(select(RoundResult))}
    assert places[world["teams"][2].id] == (1, True) and places[world["teams"][3].id] == (4, False)
    login(world["teams"][2].members[0].worker)
    page = client.get("/me/competitions").get_data(as_text=True)
    assert "第1名" in page and world["teams"][2].name in page


def test_members_see_the_published_standings_with_the_judges_unnamed(client, make, login, world):
    for points, entry in zip((5, 8, 12, 3), world["teams"]):
        _score(world, entry, world["judge"], points)
    member = world["teams"][0].members[0].worker
    url = f"/me/competitions/rounds/{world['round'].id}"
    login(member)
    assert client.get(url).status_code == 404  # not published yet
    publish_results(world["round"], world["admin"])
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert world["teams"][2].name in page and "评委1" in page
    assert world["judge"].name not in page and world["teams"][1].members[0].worker.name not in page
    client.post("/logout")
    login(make.create_worker())
    assert client.get(url).status_code == 404  # in no team of this competition


def test_a_sheet_of_a_published_round_is_not_reopened(world):
    from academy.competitions.models import ScoreSheet

    for entry in world["teams"]:
        _score(world, entry, world["judge"], 5)
    publish_results(world["round"], world["admin"])
    sheet = db.session.scalar(select(ScoreSheet).limit(1))
    with pytest.raises(OperationError):
        judging.reopen_sheet(sheet, world["admin"], "改分")


def test_the_standings_count_the_sheets_still_being_scored(client, login, world):
    entry = world["teams"][0]
    sheet = judging.open_sheet(world["judge"], entry, world["case"])
    judging.save_sheet(sheet, world["judge"], version=sheet.version,
                       scores={line.criterion_id: (Decimal(10), None) for line in sheet.lines})
    db.session.commit()
    assert standings(world["round"]).unsubmitted == {entry.id: 1}
    login(world["admin"])
    page = client.get(f"/admin/competition-rounds/{world['round'].id}/standings").get_data(as_text=True)
    assert "1份评分表尚未提交" in page
