"""Finding 9 of the pen test (issue 27): input that answered 500 instead of 404/400.

Ids beyond the database's integer range in every route that takes an id, and in the query
parameters that take whole numbers; a `next` carrying CR/LF on the language switch and sign-in."""
import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.security.test_route_walk import ROLES, ROUTES, rules, signed_in
from tests.security.world import build_world

HUGE = 99999999999999999999  # beyond PostgreSQL's integer and SQLite's 64 bits


def test_ids_beyond_the_integer_range_are_not_found_on_every_route(app, make):
    world = build_world(make)
    clients = {role: signed_in(app, world, role) for role in ROLES}
    checked, failures = 0, []
    for rule in rules(app):
        numeric = [name for name, converter in rule._converters.items() if type(converter).__name__.endswith(
            ("IntegerConverter", "DatabaseIdConverter"))]
        if not numeric:
            continue
        path = rule.rule
        for name in rule.arguments:
            value = HUGE if name in numeric else world["params"][name]
            path = path.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
        method, expected = ROUTES[rule.endpoint]
        for role, allowed in zip(ROLES, expected):
            status = clients[role].open(path, method=method).status_code
            checked += 1
            # where the role may open the route, a missing id is a 404; elsewhere the usual refusal
            if status >= 500 or (allowed in (200, 400) and status != 404):
                failures.append(f"{rule.endpoint} as {role}: {status}")
    assert checked > 100 and failures == []


@pytest.mark.parametrize(("path", "role"), [
    ("/admin/users?after={huge}", "admin"), ("/admin/users?before={huge}", "admin"),
    ("/admin/audit?actor={huge}", "admin"), ("/admin/audit?after={huge}", "admin"),
    ("/admin?year={huge}", "admin"), ("/admin/reports/annual?year={huge}", "admin"),
    ("/admin/reports/progress?year={huge}", "admin"), ("/courses?page={huge}", "anonymous"),
    ("/admin/certificates?page={huge}", "admin"), ("/agreements?page={huge}", "admin"),
    ("/admin/reports/workers?year={huge}&cell_year={huge}&cell_subdistrict={huge}", "admin"),
    ("/admin/reports/workers?after={huge}", "admin"), ("/admin/reports/enrolments.csv?year={huge}", "admin"),
    ("/admin/reports/progress?year={huge}&subdistrict={huge}", "admin"), ("/notifications?page={huge}", "worker"),
    ("/admin/records?page={huge}", "admin"), ("/teach/courses?page={huge}", "instructor"),
    ("/courses?page=1&per_page={huge}", "anonymous"),
])
def test_whole_numbers_beyond_range_in_the_query_are_refused_or_ignored(app, make, path, role):
    world = build_world(make)
    response = signed_in(app, world, role).get(path.format(huge=HUGE))
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize("target", ["/\r\nSet-Cookie: stolen=1", "/courses\n", "/courses\x0bx", "/\u2028x"])
def test_a_next_with_line_breaks_goes_home_on_the_language_switch_and_to_the_start_page_on_sign_in(client, make,
                                                                                                    target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    worker = make.create_worker()
    response = client.post("/login", query_string={"next": target},
                           data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/learning"  # the worker's start page
    assert "stolen" not in str(response.headers)
