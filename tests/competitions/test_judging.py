"""Judging: assigned entries only, conflicts of interest, saving without lost updates, locking on
submission, reopening by an administrator with a reason."""
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from academy.competitions import judging
from academy.competitions.enums import Group, SheetStatus
from academy.competitions.models import ScoreSheet, SheetEvent
from academy.core.errors import OperationError
from academy.extensions import db
from tests.competitions.helpers import JIAODAOKOU, TIANTAN, build_competition, judge, team

D = Decimal


def _scores(sheet, *values):
    return {line.criterion_id: (D(value) if value is not None else None, f"意见{index}")
            for index, (line, value) in enumerate(zip(sheet.lines, values))}


@pytest.fixture
def world(make):
    world = build_competition(make)
    world["team"] = team(make, world)
    world["judge"] = judge(make, world, street_code=TIANTAN)
    return world


def test_a_judge_sees_only_the_teams_of_their_groups(make, world):
    other_group = team(make, world, group=Group.GOVERNANCE)
    entries = [t.id for t, _barred in judging.judge_entries(world["judge"], world["round"])]
    assert world["team"].id in entries and other_group.id not in entries
    outsider = make.create_judge()
    assert judging.judge_entries(outsider, world["round"]) == []
    with pytest.raises(OperationError):
        judging.open_sheet(outsider, world["team"], world["case"])


def test_a_judge_cannot_score_a_team_of_their_own_work_units_subdistrict(make, world):
    neighbour = judge(make, world, street_code=JIAODAOKOU)
    [(entry, barred)] = judging.judge_entries(neighbour, world["round"])
    assert barred
    with pytest.raises(OperationError):
        judging.open_sheet(neighbour, world["team"], world["case"])
    assert db.session.scalar(select(ScoreSheet).where(ScoreSheet.judge_id == neighbour.id)) is None


def test_a_worker_judge_is_placed_by_their_profiles_subdistrict(make, world):
    from academy.competitions.judging import assign_judge

    colleague = make.create_worker(work_unit=make.create_unit(parent=make.subdistrict(JIAODAOKOU)))
    assign_judge(world["round"], world["admin"], judge=colleague, group=Group.LIVELIHOOD)
    with pytest.raises(OperationError):
        judging.open_sheet(colleague, world["team"], world["case"])


def test_a_declared_conflict_with_a_member_bars_the_team(world):
    judging.declare_conflict(world["competition"].id, world["judge"], worker_id=world["team"].members[1].worker_id,
                             reason="曾为其督导")
    with pytest.raises(OperationError):
        judging.open_sheet(world["judge"], world["team"], world["case"])


def test_the_theory_test_has_no_score_sheet(world):
    with pytest.raises(OperationError):
        judging.open_sheet(world["judge"], world["team"], world["theory"])


def test_saving_as_they_go_then_submitting_locks_the_sheet(world):
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    db.session.commit()
    judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "35", None))
    db.session.commit()
    assert sheet.version == 2 and sheet.lines[0].comment == "意见0"
    with pytest.raises(OperationError):  # a criterion is still empty
        judging.submit_sheet(sheet, world["judge"], version=2)
    judging.save_sheet(sheet, world["judge"], version=2, scores=_scores(sheet, "35", "52.5"))
    judging.submit_sheet(sheet, world["judge"], version=3)
    db.session.commit()
    assert sheet.locked and sheet.total == D("87.5") and sheet.submitted_at is not None
    with pytest.raises(OperationError):
        judging.save_sheet(sheet, world["judge"], version=sheet.version, scores=_scores(sheet, "40", "60"))
    db.session.rollback()
    assert [line.points for line in db.session.get(ScoreSheet, sheet.id).lines] == [D("35"), D("52.5")]


def test_points_above_a_criterions_maximum_write_nothing(world):
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    db.session.commit()
    with pytest.raises(OperationError):
        judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "30", "61"))
    db.session.rollback()
    assert [line.points for line in db.session.get(ScoreSheet, sheet.id).lines] == [None, None]


def test_a_save_from_an_older_version_is_refused_not_lost(world):
    """Two tabs open the sheet at version 1; the first saves; the second's save is refused."""
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    db.session.commit()
    judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "30", "50"))
    db.session.commit()
    with pytest.raises(OperationError):
        judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "10", "10"))
    db.session.rollback()
    assert [line.points for line in db.session.get(ScoreSheet, sheet.id).lines] == [D("30"), D("50")]


def test_a_save_racing_another_between_read_and_write_is_refused(world):
    """The other request commits after this one read the sheet: the conditional UPDATE matches no row."""
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    db.session.commit()
    assert len(sheet.lines) == 2  # read, as the request does before writing
    db.session.execute(update(ScoreSheet).where(ScoreSheet.id == sheet.id).values(version=ScoreSheet.version + 1)
                       .execution_options(synchronize_session=False))
    with pytest.raises(StaleDataError):
        judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "10", "10"))
    db.session.rollback()


def test_another_judge_cannot_save_a_sheet(make, world):
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    other = judge(make, world, street_code=TIANTAN)
    with pytest.raises(OperationError):
        judging.save_sheet(sheet, other, version=sheet.version, scores=_scores(sheet, "1", "1"))


def test_an_administrator_reopens_a_submitted_sheet_with_a_reason(make, world):
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    judging.save_sheet(sheet, world["judge"], version=1, scores=_scores(sheet, "30", "50"))
    judging.submit_sheet(sheet, world["judge"], version=2)
    db.session.commit()
    with pytest.raises(OperationError):
        judging.reopen_sheet(sheet, world["admin"], "  ")
    with pytest.raises(OperationError):
        judging.reopen_sheet(sheet, make.create_street_admin(), "分数录入错误")
    judging.reopen_sheet(sheet, world["admin"], "分数录入错误")
    db.session.commit()
    assert sheet.status == SheetStatus.REOPENED and not sheet.locked
    events = db.session.scalars(select(SheetEvent).where(SheetEvent.sheet_id == sheet.id).order_by(SheetEvent.id)).all()
    assert [(e.from_status, e.to_status, e.reason) for e in events] == [
        (SheetStatus.OPEN, SheetStatus.SUBMITTED, None), (SheetStatus.SUBMITTED, SheetStatus.REOPENED, "分数录入错误")]
    judging.save_sheet(sheet, world["judge"], version=sheet.version, scores=_scores(sheet, "32", "50"))
    judging.submit_sheet(sheet, world["judge"], version=sheet.version)
    assert sheet.total == D("82")


def test_only_a_submitted_sheet_can_be_reopened(world):
    sheet = judging.open_sheet(world["judge"], world["team"], world["case"])
    with pytest.raises(OperationError):
        judging.reopen_sheet(sheet, world["admin"], "原因")


def test_theory_scores_are_entered_per_member_within_the_maximum(world):
    member = world["team"].members[0].worker_id
    with pytest.raises(OperationError):
        judging.enter_theory_score(world["theory"], world["admin"], worker_id=member, score=D("101"))
    judging.enter_theory_score(world["theory"], world["admin"], worker_id=member, score=D("88"))
    item = judging.enter_theory_score(world["theory"], world["admin"], worker_id=member, score=D("90"))
    assert item.score == D("90") and item.team_id == world["team"].id
    with pytest.raises(OperationError):
        judging.enter_theory_score(world["case"], world["admin"], worker_id=member, score=D("50"))


def test_a_team_not_in_the_round_cannot_be_scored(make, world):
    from datetime import date

    from academy.competitions import operations as ops
    from academy.competitions.enums import ModuleKind, Stage

    semi = ops.add_round(world["competition"], world["admin"], stage=Stage.SEMI_FINAL, starts_on=date(2026, 6, 1),
                         ends_on=date(2026, 6, 1), venue="区文化中心", advance_count=2)
    case = ops.add_module(semi, world["admin"], kind=ModuleKind.CASE_ANALYSIS, weight=Decimal(100),
                          max_score=Decimal(100))
    judging.assign_judge(semi, world["admin"], judge=world["judge"], group=Group.LIVELIHOOD)
    with pytest.raises(OperationError):  # not sent on from the preliminary
        judging.open_sheet(world["judge"], world["team"], case)
    ops.withdraw_team(world["team"], world["admin"], "队员调离")
    with pytest.raises(OperationError):  # withdrawn
        judging.open_sheet(world["judge"], world["team"], world["case"])
