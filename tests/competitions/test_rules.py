"""Eligibility, team composition and conflict-of-interest rules, with their reasons."""
import pytest

from academy.auth.enums import Qualification
from academy.competitions.rules import MemberFacts, check_team, conflict, eligibility, judge_subdistrict
from academy.core.errors import OperationError

Q = Qualification


def facts(worker_id=1, *, level=Q.ASSISTANT, verified=True, years=0, street=5, name="张三"):
    return MemberFacts(worker_id, name, level, verified, years, street)


@pytest.mark.parametrize("level", [Q.ASSISTANT, Q.SOCIAL_WORKER, Q.SENIOR])
def test_a_verified_certificate_of_any_level_makes_a_worker_eligible(app, level):
    with app.test_request_context():
        result = eligibility(facts(level=level, years=0))
        assert result.eligible and "证书" in result.reason


def test_a_year_of_service_at_a_dongcheng_unit_makes_a_worker_eligible(app):
    with app.test_request_context():
        result = eligibility(facts(level=Q.NONE, years=1))
        assert result.eligible and "1" in result.reason


def test_an_unverified_certificate_does_not_count(app):
    with app.test_request_context():
        result = eligibility(facts(level=Q.SOCIAL_WORKER, verified=False, years=0))
        assert not result.eligible and "尚未" in result.reason


def test_no_certificate_and_under_a_year_is_refused_with_both_reasons(app):
    with app.test_request_context():
        result = eligibility(facts(level=Q.NONE, years=0))
        assert not result.eligible and "张三" in result.reason and "不满一年" in result.reason


def test_service_without_a_dongcheng_work_unit_is_refused(app):
    with app.test_request_context():
        result = eligibility(facts(level=Q.NONE, years=4, street=None))
        assert not result.eligible and "东城" in result.reason


def _team(members, leader_id=1, taken=None, team_min=2, team_max=3):
    check_team(members=members, leader_id=leader_id, team_min=team_min, team_max=team_max, subdistrict_id=5,
               taken=taken or {})


def test_a_team_within_the_rules_passes(app):
    with app.test_request_context():
        _team([facts(1), facts(2, level=Q.NONE, years=2)])


@pytest.mark.parametrize("count", [1, 4])
def test_team_size_outside_the_range_is_refused(app, count):
    with app.test_request_context(), pytest.raises(OperationError) as error:
        _team([facts(i) for i in range(1, count + 1)])
    assert error.value.field == "members"


def test_a_worker_in_another_team_is_refused(app):
    with app.test_request_context(), pytest.raises(OperationError) as error:
        _team([facts(1), facts(2, name="李四")], taken={2: "夕阳红队"})
    assert "李四" in error.value.message and "夕阳红队" in str(error.value.message)


def test_a_worker_of_another_subdistrict_is_refused(app):
    with app.test_request_context(), pytest.raises(OperationError):
        _team([facts(1), facts(2, street=6)])


def test_an_ineligible_member_is_refused_with_the_reason(app):
    with app.test_request_context(), pytest.raises(OperationError) as error:
        _team([facts(1), facts(2, level=Q.NONE, years=0, name="王五")])
    assert "王五" in str(error.value.message)


def test_the_leader_must_be_a_member(app):
    with app.test_request_context(), pytest.raises(OperationError) as error:
        _team([facts(1), facts(2)], leader_id=9)
    assert error.value.field == "leader"


def test_a_judge_never_scores_a_team_of_their_own_subdistrict(app):
    with app.test_request_context():
        assert conflict(judge_subdistrict_id=5, team_subdistrict_id=5, declared_worker_ids=[], member_ids=[1])
        assert conflict(judge_subdistrict_id=6, team_subdistrict_id=5, declared_worker_ids=[], member_ids=[1]) is None
        assert conflict(judge_subdistrict_id=None, team_subdistrict_id=5, declared_worker_ids=[], member_ids=[1]) is None


def test_a_declared_conflict_with_a_member_excludes_the_team(app):
    with app.test_request_context():
        assert conflict(judge_subdistrict_id=6, team_subdistrict_id=5, declared_worker_ids=[2], member_ids=[1, 2])
        assert conflict(judge_subdistrict_id=6, team_subdistrict_id=5, declared_worker_ids=[3], member_ids=[1, 2]) is None


def test_a_judges_subdistrict_comes_from_their_work_unit(make):
    worker = make.create_worker()
    assert judge_subdistrict(worker) == worker.profile.subdistrict_id
    street = make.subdistrict("110101016000")
    assert judge_subdistrict(make.create_judge(street=street)) == street.id
    assert judge_subdistrict(make.create_judge()) is None
