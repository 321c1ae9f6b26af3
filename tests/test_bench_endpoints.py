"""The benchmark measures every page a person reaches: every GET route of the route walk's table has a bench
URL for each role it answers, or a reason declared in bench/endpoints.py (issue 26)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import endpoints  # noqa: E402  (bench/endpoints.py)
from tests.security.test_route_walk import ROLES, ROUTES, rules  # noqa: E402


def declared(reason: str) -> bool:
    return reason in endpoints.SKIP.values() or reason == endpoints.NO_PAGE or all(part in endpoints.GAPS.values() for part in reason.split("; "))


def test_every_get_route_has_a_bench_url_or_a_declared_reason(app):
    found = {name: 1 for name in set(endpoints.CONSTANTS) | endpoints.LOOKED_UP}
    pages, skipped = endpoints.plan(app.url_map.iter_rules(), found)
    measured = {page["endpoint"] for page in pages}
    gets = {rule.endpoint for rule in rules(app) if ROUTES[rule.endpoint][0] == "GET"}
    assert gets - measured - set(skipped) == set()
    assert {endpoint: reason for endpoint, reason in skipped.items() if not declared(reason)} == {}
    # every role the walk expects a page from is measured
    for rule in rules(app):
        method, expected = ROUTES[rule.endpoint]
        if rule.endpoint in measured:
            roles = {page["role"] for page in pages if page["endpoint"] == rule.endpoint}
            assert roles == {role for role, status in zip(ROLES, expected) if status == 200}, rule.endpoint


def test_a_gap_skips_only_the_routes_that_need_it(app):
    found = {name: 1 for name in set(endpoints.CONSTANTS) | endpoints.LOOKED_UP}
    found.update(course_id=None)  # a district without courses: their pages are skipped, with a reason
    pages, skipped = endpoints.plan(app.url_map.iter_rules(), found)
    assert "courses.course_detail" in skipped and "no course_id found" in skipped["courses.course_detail"]
    assert "courses.catalogue" in {page["endpoint"] for page in pages}


def test_the_declarations_name_real_routes_parameters_and_tables(app):
    from academy.extensions import db

    endpoints_ = {rule.endpoint for rule in app.url_map.iter_rules()}
    parameters = {name for rule in app.url_map.iter_rules() for name in rule.arguments}
    assert set(endpoints.SKIP) <= endpoints_
    assert all(ROUTES[endpoint][0] == "GET" for endpoint in endpoints.SKIP)
    assert set(endpoints.GAPS) <= parameters
    assert set(endpoints.GAP_TABLES) <= set(endpoints.GAPS) and set(endpoints.GAP_TABLES.values()) <= set(
        db.metadata.tables)
    assert not (set(endpoints.GAPS) & (set(endpoints.CONSTANTS) | endpoints.LOOKED_UP))


@pytest.mark.usefixtures("db")
def test_the_synthetic_district_gives_every_looked_up_parameter(app):
    from synthetic import generate  # bench/synthetic.py

    from academy.auth.operations import create_user
    from academy.extensions import db

    with app.app_context():
        generate("tiny", echo=lambda *_: None)
        params, accounts = endpoints.resolve(db, create_user)
    assert {name for name in endpoints.LOOKED_UP if params.get(name) is None} == set()
    assert set(accounts) == set(ROLES) - {"anonymous"}
