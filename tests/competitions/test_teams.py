"""Registering teams: scoping of subdistrict administrators, eligibility, one team per worker."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from academy.auth.enums import Qualification
from academy.competitions import operations as ops
from academy.competitions.enums import CompetitionStatus, Field, Group
from academy.competitions.models import CompetitionEvent, Team, TeamMember
from academy.core.errors import OperationError
from academy.extensions import db
from tests.competitions.helpers import JIAODAOKOU, TIANTAN, build_competition, team, workers


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def _register(world, actor, members, street_code=JIAODAOKOU, make=None, **overrides):
    from tests.factories import subdistrict

    values = dict(name="夕阳红队", subdistrict_id=subdistrict(street_code).id, group=Group.LIVELIHOOD,
                  field=Field.ELDERLY_CHILDREN, member_ids=[m.id for m in members], leader_id=members[0].id,
                  project_title="项目", project_summary="简介")
    values.update(overrides)
    return ops.register_team(world["competition"], actor, **values)


def test_a_subdistrict_administrator_registers_a_team_of_their_own_workers(make):
    world = build_competition(make)
    street_admin = make.create_street_admin(street=make.subdistrict(JIAODAOKOU))
    item = _register(world, street_admin, workers(make, count=3))
    db.session.commit()
    assert len(item.members) == 3 and item.registered_by_id == street_admin.id
    assert db.session.scalar(select(CompetitionEvent.to_status).where(CompetitionEvent.team_id == item.id)) == "registered"


def test_a_subdistrict_administrator_cannot_register_for_another_subdistrict(make):
    world = build_competition(make)
    street_admin = make.create_street_admin(street=make.subdistrict(JIAODAOKOU))
    before = _count(Team)
    with pytest.raises(OperationError):
        _register(world, street_admin, workers(make, TIANTAN), street_code=TIANTAN)
    assert _count(Team) == before


def test_nor_put_another_subdistricts_worker_in_their_team(make):
    world = build_competition(make)
    street_admin = make.create_street_admin(street=make.subdistrict(JIAODAOKOU))
    members = workers(make, count=1) + workers(make, TIANTAN, count=1)
    with pytest.raises(OperationError) as error:
        _register(world, street_admin, members)
    assert error.value.field == "members"


def test_an_ineligible_member_refuses_the_team_and_writes_nothing(make):
    world = build_competition(make)
    members = workers(make, count=1) + workers(make, count=1, qualification=Qualification.NONE, years_in_service=0)
    before = (_count(Team), _count(TeamMember))
    with pytest.raises(OperationError) as error:
        _register(world, world["admin"], members)
    db.session.rollback()
    assert members[1].name in str(error.value.message) and error.value.field == "members"
    assert (_count(Team), _count(TeamMember)) == before


def test_a_year_of_service_without_a_certificate_is_enough(make):
    world = build_competition(make)
    members = workers(make, count=2, qualification=Qualification.NONE, qualification_verified=False,
                      years_in_service=2)
    assert _register(world, world["admin"], members).id


def test_a_worker_is_in_one_team_per_competition(make):
    world = build_competition(make)
    first = team(make, world)
    again = [first.members[0].worker] + workers(make, count=1)
    with pytest.raises(OperationError) as error:
        _register(world, world["admin"], again, name="第二队")
    assert first.name in str(error.value.message)


def test_the_schema_itself_refuses_a_second_team_for_a_worker(make):
    world = build_competition(make)
    first = team(make, world)
    second = team(make, world)
    db.session.add(TeamMember(team_id=second.id, competition_id=world["competition"].id,
                              worker_id=first.members[0].worker_id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_member_row_cannot_point_at_a_team_of_another_competition(make):
    from sqlalchemy import text

    if not db.session.execute(text("PRAGMA foreign_keys")).scalar() if db.engine.dialect.name == "sqlite" else False:
        pytest.skip("the test database enforces foreign keys on PostgreSQL only")
    world, other = build_competition(make), build_competition(make)
    first = team(make, world)
    db.session.add(TeamMember(team_id=first.id, competition_id=other["competition"].id,
                              worker_id=workers(make, count=1)[0].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_team_size_and_leader_rules_apply(make):
    world = build_competition(make)
    with pytest.raises(OperationError):
        _register(world, world["admin"], workers(make, count=5))
    members = workers(make, count=2)
    with pytest.raises(OperationError) as error:
        _register(world, world["admin"], members, leader_id=workers(make, count=1)[0].id)
    assert error.value.field == "leader"


def test_registration_must_be_open(make):
    world = build_competition(make)
    ops.set_status(world["competition"], world["admin"], CompetitionStatus.JUDGING)
    with pytest.raises(OperationError):
        _register(world, world["admin"], workers(make))


def test_withdrawing_a_team_needs_a_reason_and_keeps_it(make):
    world = build_competition(make)
    item = team(make, world)
    with pytest.raises(OperationError):
        ops.withdraw_team(item, world["admin"], " ")
    ops.withdraw_team(item, world["admin"], "队员调离")
    assert item.withdrawn_at is not None and db.session.get(Team, item.id) is not None


def test_a_modules_set_up_can_change_until_scoring_starts(make):
    from decimal import Decimal

    from academy.competitions import judging
    from tests.competitions.helpers import judge

    world = build_competition(make)
    case, project = world["case"], world["project"]
    with pytest.raises(OperationError):  # 20 + 50 + 31 > 100
        ops.edit_module(case, world["admin"], weight=Decimal(31), max_score=Decimal(100), tie_rank=None)
    with pytest.raises(OperationError):  # below its criteria's 40 + 60
        ops.edit_module(case, world["admin"], weight=Decimal(30), max_score=Decimal(90), tie_rank=None)
    ops.edit_module(case, world["admin"], weight=Decimal(25), max_score=Decimal(120), tie_rank=2)
    criterion = case.criteria[0]
    with pytest.raises(OperationError):  # 61 + 60 > 120
        ops.edit_criterion(criterion, world["admin"], title="问题评估", maximum=Decimal(61), descriptor="")
    ops.edit_criterion(criterion, world["admin"], title="需求评估", maximum=Decimal(60), descriptor="准确")
    assert (case.weight, case.max_score, criterion.maximum) == (Decimal(25), Decimal(120), Decimal(60))
    entry = team(make, world)
    judging.open_sheet(judge(make, world, street_code=TIANTAN), entry, project)
    with pytest.raises(OperationError):
        ops.edit_module(project, world["admin"], weight=Decimal(40), max_score=Decimal(50), tie_rank=1)
    with pytest.raises(OperationError):
        ops.edit_criterion(project.criteria[0], world["admin"], title="x", maximum=Decimal(10), descriptor="")


def test_results_wait_for_the_weights_to_add_up_to_100(make):
    from decimal import Decimal

    from academy.competitions.results import publish_results

    world = build_competition(make)
    ops.edit_module(world["case"], world["admin"], weight=Decimal(20), max_score=Decimal(100), tie_rank=None)
    with pytest.raises(OperationError) as error:
        publish_results(world["round"], world["admin"])
    assert "100" in str(error.value.message)
