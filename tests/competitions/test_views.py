"""The competition's pages: set-up by an administrator, scoped team registration, the judge's sheet
over HTTP (two tabs, locking), standings with names for administrators only, fixed query counts."""
import re
from decimal import Decimal

from sqlalchemy import func, select

from academy.competitions import judging
from academy.competitions.enums import SheetStatus
from academy.competitions.models import Competition, ScoreSheet, Team
from academy.core.querycount import count_queries
from academy.extensions import db
from tests.competitions.helpers import JIAODAOKOU, TIANTAN, build_competition, judge, team, workers


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_an_administrator_creates_a_competition_and_bad_input_writes_nothing(client, make, login):
    login(make.create_admin())
    before = _count(Competition)
    bad = client.post("/admin/competitions/new", data={"title": "大赛", "theme": "主题", "year": 2026,
                                                         "groups": ["livelihood"], "fields": ["medical"],
                                                         "team_min": 5, "team_max": 3, "semi_final_quota": 3,
                                                         "trim_from": 5})
    assert bad.status_code == 200 and _count(Competition) == before
    good = client.post("/admin/competitions/new", data={"title": "大赛", "theme": "主题", "year": 2026,
                                                          "groups": ["livelihood", "governance"], "fields": ["medical"],
                                                          "team_min": 3, "team_max": 5, "semi_final_quota": 3,
                                                          "trim_from": 5})
    assert good.status_code == 302 and _count(Competition) == before + 1
    item = db.session.scalar(select(Competition).order_by(Competition.id.desc()))
    assert item.groups == ["livelihood", "governance"] and item.semi_final_quota == 3
    assert client.get(good.headers["Location"]).status_code == 200


def test_a_subdistrict_administrator_registers_only_their_own_workers(client, make, login):
    world = build_competition(make)
    own, other = workers(make, JIAODAOKOU, 2), workers(make, TIANTAN, 1)
    login(make.create_street_admin(street=make.subdistrict(JIAODAOKOU)))
    url = f"/admin/competitions/{world['competition'].id}/teams/new"
    page = client.get(url).get_data(as_text=True)
    assert own[0].name in page and other[0].name not in page
    before = _count(Team)
    data = {"name": "和谐队", "group": "livelihood", "field": "elderly_children", "leader": own[0].id,
            "project_title": "项目", "project_summary": "简介"}
    refused = client.post(url + f"?subdistrict={make.subdistrict(TIANTAN).id}",
                          data=dict(data, members=[own[0].id, other[0].id]))
    assert refused.status_code == 200 and _count(Team) == before
    done = client.post(url, data=dict(data, members=[m.id for m in own]))
    assert done.status_code == 302 and _count(Team) == before + 1
    registered = db.session.scalar(select(Team).order_by(Team.id.desc()))
    assert registered.subdistrict_id == make.subdistrict(JIAODAOKOU).id


def test_a_subdistrict_administrators_team_list_shows_only_their_subdistrict(client, make, login):
    world = build_competition(make)
    mine, theirs = team(make, world, JIAODAOKOU, name="本街道队"), team(make, world, TIANTAN, name="外街道队")
    login(make.create_street_admin(street=make.subdistrict(JIAODAOKOU)))
    page = client.get(f"/admin/competitions/{world['competition'].id}/teams").get_data(as_text=True)
    assert mine.name in page and theirs.name not in page
    assert "证书" in page  # each member's eligibility is explained


def _version(page):
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def test_two_tabs_saving_the_same_sheet_lose_no_update(client, make, login):
    world = build_competition(make)
    entry, person = team(make, world), judge(make, world, street_code=TIANTAN)
    case = world["case"]
    login(person)
    url = f"/judging/teams/{entry.id}/modules/{case.id}"
    first_tab, second_tab = client.get(url).get_data(as_text=True), client.get(url).get_data(as_text=True)
    criteria = [c.id for c in case.criteria]
    saved = client.post(url, data={"version": _version(first_tab), f"points_{criteria[0]}": "30",
                                   f"points_{criteria[1]}": "50", "save": "1"})
    assert saved.status_code == 302
    stale = client.post(url, data={"version": _version(second_tab), f"points_{criteria[0]}": "10",
                                   f"points_{criteria[1]}": "10", "save": "1"}, follow_redirects=True)
    assert stale.status_code == 200
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == person.id))
    db.session.refresh(sheet)
    assert [line.points for line in sheet.lines] == [Decimal("30"), Decimal("50")]
    assert sheet.version == 2


def test_a_submitted_sheet_is_locked_over_http(client, make, login):
    world = build_competition(make)
    entry, person = team(make, world), judge(make, world, street_code=TIANTAN)
    login(person)
    url = f"/judging/teams/{entry.id}/modules/{world['case'].id}"
    criteria = [c.id for c in world["case"].criteria]
    page = client.get(url).get_data(as_text=True)
    assert client.post(url, data={"version": _version(page), f"points_{criteria[0]}": "30",
                                  f"points_{criteria[1]}": "50", "submit_sheet": "1"}).status_code == 302
    locked = client.get(url).get_data(as_text=True)
    assert 'name="version"' not in locked
    client.post(url, data={"version": "2", f"points_{criteria[0]}": "1", f"points_{criteria[1]}": "1", "save": "1"})
    sheet = db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == person.id))
    db.session.refresh(sheet)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total == Decimal("80")


def test_a_judge_cannot_open_an_unassigned_or_conflicted_entry(client, make, login):
    world = build_competition(make)
    entry = team(make, world)
    login(judge(make, world, street_code=JIAODAOKOU))  # the team's own subdistrict
    assert client.get(f"/judging/teams/{entry.id}/modules/{world['case'].id}").status_code == 404
    client.post("/logout")
    login(make.create_judge())
    assert client.get(f"/judging/teams/{entry.id}/modules/{world['case'].id}").status_code == 404
    assert _count(ScoreSheet) == 0


def _scored(make, world, judges, teams_count=1):
    entries = [team(make, world) for _ in range(teams_count)]
    for person in judges:
        for entry in entries:
            sheet = judging.open_sheet(person, entry, world["case"])
            judging.save_sheet(sheet, person, version=sheet.version,
                               scores={line.criterion_id: (Decimal(20), "好") for line in sheet.lines})
            judging.submit_sheet(sheet, person, version=sheet.version)
    db.session.commit()
    return entries


def test_standings_show_judges_names_to_administrators_only(client, make, login):
    world = build_competition(make)
    person = judge(make, world, street_code=TIANTAN)
    _scored(make, world, [person])
    url = f"/admin/competition-rounds/{world['round'].id}/standings"
    login(world["admin"])
    assert person.name in client.get(url).get_data(as_text=True)
    client.post("/logout")
    login(make.create_street_admin(street=make.subdistrict(JIAODAOKOU)))
    page = client.get(url).get_data(as_text=True)
    assert person.name not in page and "40.00" in page


def test_the_standings_team_and_judge_pages_run_a_fixed_number_of_queries(client, make, login):
    world = build_competition(make)
    judges = [judge(make, world, street_code=TIANTAN) for _ in range(2)]
    _scored(make, world, judges[:1], teams_count=1)
    pages = [(world["admin"], f"/admin/competition-rounds/{world['round'].id}/standings"),
             (world["admin"], f"/admin/competitions/{world['competition'].id}/teams"),
             (judges[0], f"/judging/rounds/{world['round'].id}")]
    counts = []
    for _ in range(2):
        row = []
        for user, page in pages:
            client.post("/logout")
            login(user)
            with count_queries(db.engine) as counter:
                assert client.get(page).status_code == 200, page
            row.append(counter.count)
        counts.append(row)
        _scored(make, world, judges, teams_count=3)
    assert counts[0] == counts[1]


def test_an_administrator_creates_a_judge_account_with_their_work_units_subdistrict(client, make, login):
    from academy.auth.models import User
    from academy.core.permissions import Role

    street = make.subdistrict(TIANTAN)
    login(make.create_admin())
    response = client.post("/admin/users/new", data={"role": "judge", "name": "外聘专家", "phone": "13912345678",
                                                     "street": street.id, "password": "quiet-hutong-lantern-42x"})
    assert response.status_code == 302
    judge_account = db.session.scalar(select(User).where(User.phone == "13912345678"))
    assert judge_account.role == Role.JUDGE and judge_account.street_id == street.id
    client.post("/logout")
    login(judge_account, password="quiet-hutong-lantern-42x")
    assert client.get("/judging").status_code == 200
    assert client.get("/admin/competitions").status_code == 403


def test_the_other_pages_run_a_fixed_number_of_queries(client, make, login):
    from academy.competitions import awards
    from academy.competitions.enums import AwardKind, Group, Medal
    from academy.competitions.results import publish_results
    from tests.competitions.test_results import _score

    def finished_competition():
        world = build_competition(make)
        person = judge(make, world, street_code=TIANTAN)
        entries = [team(make, world) for _ in range(3)]
        for points, entry in zip((5, 9, 12), entries):
            _score(world, entry, person, points)
        publish_results(world["round"], world["admin"])
        awards.add_tier(world["competition"], world["admin"], kind=AwardKind.TEAM, medal=Medal.GOLD,
                        group=Group.LIVELIHOOD, places=2)
        awards.give_awards(world["competition"], world["admin"])
        db.session.commit()
        return world, person, entries

    world, person, entries = finished_competition()
    member = entries[2].members[0].worker
    admin = world["admin"]
    pages = [(None, "/cases"), (admin, "/admin/talent-pool"), (admin, "/admin/competitions"),
             (admin, f"/admin/competitions/{world['competition'].id}/awards"), (member, "/me/competitions"),
             (person, "/judging")]

    def measure():
        counts = []
        for user, page in pages:
            client.post("/logout")
            if user is not None:
                login(user)
            with count_queries(db.engine) as counter:
                assert client.get(page).status_code == 200, page
            counts.append(counter.count)
        return counts

    small = measure()
    for _ in range(2):
        finished_competition()
    assert measure() == small


def test_the_team_list_is_paged(client, make, login):
    world = build_competition(make)
    for _ in range(21):
        team(make, world)
    login(world["admin"])
    url = f"/admin/competitions/{world['competition'].id}/teams"
    page = client.get(url).get_data(as_text=True)
    assert f'{url}?page=2' in page
    assert client.get(url + "?page=2").status_code == 200


def test_the_competition_page_shows_its_judges_and_the_standings_the_weighted_parts(client, make, login):
    world = build_competition(make)
    person = judge(make, world, street_code=TIANTAN)
    _scored(make, world, [person])
    login(world["admin"])
    page = client.get(f"/admin/competitions/{world['competition'].id}").get_data(as_text=True)
    assert person.name in page and "民生服务组" in page
    standings = client.get(f"/admin/competition-rounds/{world['round'].id}/standings").get_data(as_text=True)
    assert "12.00" in standings  # the case analysis: 40 / 100 × 30


def test_a_subdistrict_administrator_withdraws_their_own_teams_only(client, make, login):
    world = build_competition(make)
    mine, theirs = team(make, world, JIAODAOKOU), team(make, world, TIANTAN)
    login(make.create_street_admin(street=make.subdistrict(JIAODAOKOU)))
    assert client.post(f"/admin/competition-teams/{theirs.id}/withdraw", data={"reason": "x"}).status_code == 404
    client.post(f"/admin/competition-teams/{mine.id}/withdraw", data={"reason": ""})
    db.session.refresh(mine)
    assert mine.withdrawn_at is None
    assert client.post(f"/admin/competition-teams/{mine.id}/withdraw", data={"reason": "队员调离"}).status_code == 302
    db.session.refresh(mine), db.session.refresh(theirs)
    assert mine.withdrawn_at is not None and theirs.withdrawn_at is None


def test_an_administrator_edits_a_module_until_its_scoring_starts(client, make, login):
    world = build_competition(make)
    login(world["admin"])
    url = f"/admin/competition-modules/{world['case'].id}/edit"
    assert client.post(url, data={"weight": "25", "max_score": "100", "tie_rank": ""}).status_code == 302
    db.session.refresh(world["case"])
    assert world["case"].weight == Decimal("25")
    _scored(make, world, [judge(make, world, street_code=TIANTAN)])
    page = client.post(url, data={"weight": "30", "max_score": "100", "tie_rank": ""}).get_data(as_text=True)
    db.session.refresh(world["case"])
    assert "已开始评分" in page and world["case"].weight == Decimal("25")
