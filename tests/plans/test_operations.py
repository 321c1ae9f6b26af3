"""Plans are created and changed by administrators only; every change keeps the old figures."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from academy.core.errors import OperationError
from academy.extensions import db
from academy.plans import operations
from academy.plans.models import Plan, PlanVersion
from tests.plans.helpers import A, plan


def _counts():
    return db.session.scalar(select(func.count(Plan.id))), db.session.scalar(select(func.count(PlanVersion.id)))


def test_a_plan_starts_at_version_one_with_its_figures(make):
    admin = make.create_admin()
    made = plan(make, admin, enrolments=120, hours=Decimal("360"), ce_rate=Decimal("80"))
    assert (made.version, made.enrolments, made.hours, made.ce_rate, made.people_trained) == (1, 120, 360, 80, None)
    (first,) = made.versions
    assert (first.version, first.enrolments, first.changed_by_id, first.reason) == (1, 120, admin.id, None)


def test_a_change_writes_a_new_version_and_keeps_the_old_figures(make):
    admin, other = make.create_admin(), make.create_admin()
    made = plan(make, admin, enrolments=120, people_trained=80)
    operations.change_plan(made, other, figures={"enrolments": 150, "people_trained": 80},
                           weights=(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), reason="区里追加指标")
    db.session.commit()
    db.session.expire_all()
    made = db.session.get(Plan, made.id)
    assert (made.version, made.enrolments, made.weights) == (2, 150, (1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1))
    newest, oldest = made.versions
    assert (newest.version, newest.enrolments, newest.changed_by_id, newest.reason) == (2, 150, other.id, "区里追加指标")
    assert (oldest.version, oldest.enrolments, oldest.month_weights) == (1, 120, None)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_change_without_a_reason_is_refused_and_writes_nothing(make, reason):
    made = plan(make, make.create_admin(), enrolments=120)
    before = _counts()
    with pytest.raises(OperationError) as refused:
        operations.change_plan(made, make.create_admin(), figures={"enrolments": 10}, reason=reason)
    assert refused.value.field == "reason"
    db.session.rollback()
    assert _counts() == before and db.session.get(Plan, made.id).enrolments == 120


def test_a_change_that_changes_nothing_is_refused(make):
    admin = make.create_admin()
    made = plan(make, admin, enrolments=120, hours=Decimal("36.0"))
    with pytest.raises(OperationError):
        operations.change_plan(made, admin, figures={"enrolments": 120, "hours": Decimal("36")}, reason="再看一遍")


def test_one_plan_per_year_programme_and_scope(make):
    admin = make.create_admin()
    plan(make, admin, enrolments=100)
    plan(make, admin, street=A, enrolments=10)  # a subdistrict's share is another scope
    plan(make, admin, year=2026, enrolments=100)
    before = _counts()
    for street in (None, A):
        with pytest.raises(OperationError) as refused:
            plan(make, admin, street=street, enrolments=5)
        assert refused.value.field == "programme"
        db.session.rollback()
    assert _counts() == before


@pytest.mark.parametrize("code,figures,field", [
    ("ZHUJI", {"degrees": 5}, "degrees"),            # degrees only for the degree tier
    ("QINGYUN", {"projects": 5}, "projects"),        # projects only for research practice
    ("ZHUJI", {"enrolments": -1}, "enrolments"),
    ("ZHUJI", {"ce_rate": Decimal("100.5")}, "ce_rate"),
    ("ZHUJI", {}, None),                             # no target at all
])
def test_targets_that_mean_nothing_are_refused(make, code, figures, field):
    admin = make.create_admin()
    with pytest.raises(OperationError) as refused:
        plan(make, admin, code=code, **figures)
    assert refused.value.field == field
    db.session.rollback()
    assert _counts() == (0, 0)


def test_degrees_and_projects_for_their_tiers(make):
    admin = make.create_admin()
    assert plan(make, admin, code="QINGYUN", degrees=30).degrees == 30
    assert plan(make, admin, code="XINGHUO", projects=12).projects == 12


@pytest.mark.parametrize("role", ["create_street_admin", "create_instructor", "create_worker"])
def test_only_administrators_set_plans(make, role):
    with pytest.raises(OperationError):
        plan(make, getattr(make, role)(), enrolments=10)
    db.session.rollback()
    assert _counts() == (0, 0)


def test_a_plan_for_a_community_is_refused(make):
    admin = make.create_admin()
    with pytest.raises(OperationError):
        operations.create_plan(admin, year=2025, programme=make.programme("ZHUJI"),
                               subdistrict=make.create_unit(parent=make.subdistrict(A)), figures={"enrolments": 1})
