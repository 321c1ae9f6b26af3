"""Actuals from the summary tables equal hand-computed figures and the raw aggregate; the progress
reads a fixed number of statements."""
from datetime import date
from decimal import Decimal

from academy.core.querycount import count_queries
from academy.extensions import db
from academy.plans.rules import PlanStatus
from academy.programmes.models import Programme
from academy.reports.plans_progress import DISTRICT, actuals_of_year, progress_against_plans
from academy.reports.raw_tallies import raw_tallies, stored_tallies, without_zeros
from tests.plans.helpers import A, B, YEAR, plan, raw_actuals, small_district


def _ids(make):
    return {code: make.programme(code).id for code in ("ZHUJI", "QINGYUN", "SHENGENG")}


def test_actuals_by_hand_and_by_raw_aggregate(make):
    small_district(make)
    connection = db.session.connection()
    assert stored_tallies(connection) == without_zeros(raw_tallies(connection))  # completers kept too
    ids, a, b = _ids(make), make.subdistrict(A).id, make.subdistrict(B).id
    actuals = actuals_of_year(db.session, YEAR)
    zhuji = actuals[(ids["ZHUJI"], DISTRICT)]
    # by hand: w1 twice and w3 completed, w2 did not; two courses of 6 hours
    assert (zhuji.completed_workers, zhuji.seated, zhuji.completed, zhuji.hours) == (2, 4, 3, Decimal("18"))
    assert actuals[(ids["ZHUJI"], a)].completed_workers == 1 and actuals[(ids["ZHUJI"], b)].completed == 1
    assert actuals[(ids["QINGYUN"], DISTRICT)].completed_workers == 1
    assert actuals[(ids["SHENGENG"], DISTRICT)].completed == 2
    assert actuals_of_year(db.session, YEAR - 1)[(ids["ZHUJI"], DISTRICT)].completed_workers == 1
    for programme_id in ids.values():
        for street, key in ((None, DISTRICT), (a, a), (b, b)):
            found = actuals.get((programme_id, key))
            raw = raw_actuals(programme_id, YEAR, street)
            assert {name: getattr(found, name) for name in raw} == raw if found else not any(raw.values())


def test_each_target_against_its_actual(make):
    district = small_district(make)
    admin = district["admin"]
    plan(make, admin, people_trained=4, enrolments=4, hours=Decimal("36"), certificates=3, ce_rate=Decimal("50"))
    plan(make, admin, code="QINGYUN", degrees=2)
    plan(make, admin, code="SHENGENG", projects=2)
    plan(make, admin, street=A, people_trained=1)
    found = {(p.plan.programme.code, p.plan.subdistrict_id): p
             for p in progress_against_plans(db.session, YEAR, None, date(YEAR, 7, 2))}  # half the year due
    zhuji = {row.name: row for row in found[("ZHUJI", None)].rows}
    assert [name for name in zhuji] == ["people_trained", "enrolments", "hours", "certificates", "ce_rate"]
    assert (zhuji["people_trained"].actual, zhuji["people_trained"].share) == (2, Decimal("50.0"))
    assert zhuji["people_trained"].status == PlanStatus.ON_TRACK  # 2 of the 2.0 due
    assert zhuji["enrolments"].status == PlanStatus.AHEAD          # 4 of 2.0 due
    assert (zhuji["hours"].actual, zhuji["hours"].expected) == (18, Decimal("18.0"))
    assert zhuji["certificates"].status == PlanStatus.AHEAD
    raw = raw_actuals(make.programme("ZHUJI").id, YEAR)
    assert zhuji["ce_rate"].actual == (Decimal(raw["ce_compliant"] * 100 / raw["ce_applicable"]).quantize(
        Decimal("0.1")) if raw["ce_applicable"] else 0)
    assert [(r.name, r.actual) for r in found[("QINGYUN", None)].rows] == [("degrees", 1)]
    assert [(r.name, r.actual) for r in found[("SHENGENG", None)].rows] == [("projects", 2)]
    assert [(r.name, r.actual) for r in found[("ZHUJI", make.subdistrict(A).id)].rows] == [("people_trained", 1)]
    # the year over: everything due
    late = {p.plan.programme.code: p for p in progress_against_plans(db.session, YEAR, None, date(YEAR + 1, 1, 5))
            if p.plan.subdistrict_id is None}
    assert late["QINGYUN"].status == PlanStatus.BEHIND and late["SHENGENG"].status == PlanStatus.ON_TRACK


def test_a_subdistrict_sees_its_own_plans_and_the_districts(make):
    admin = make.create_admin()
    plan(make, admin, enrolments=100)
    plan(make, admin, street=A, enrolments=10)
    plan(make, admin, street=B, enrolments=20)
    seen = progress_against_plans(db.session, YEAR, make.subdistrict(A).id, date(YEAR, 6, 1))
    assert sorted(p.plan.subdistrict_id or 0 for p in seen) == [0, make.subdistrict(A).id]
    assert len(progress_against_plans(db.session, YEAR, None, date(YEAR, 6, 1))) == 3


def test_progress_runs_a_fixed_number_of_statements(make):
    admin = make.create_admin()
    plan(make, admin, enrolments=100)
    with count_queries(db.engine) as few:
        progress_against_plans(db.session, YEAR, None, date(YEAR, 6, 1))
    small_district(make)
    for code in ("QINGYUN", "SHENGENG", "XINGHUO", "YUXIN"):
        plan(make, admin, code=code, enrolments=5)
        plan(make, admin, code=code, street=A, enrolments=5)
    db.session.expire_all()
    programmes = db.session.query(Programme).all()  # noqa: F841  (names loaded as a page would have them)
    with count_queries(db.engine) as many:
        assert len(progress_against_plans(db.session, YEAR, None, date(YEAR, 6, 1))) == 9
    assert many.count == few.count == 1
