"""Every route of the JSON API, walked like the pages' route walk: classified, answered for a caller
without a token, with the world's worker's token and with another worker's, never signed in by a cookie,
never a server error, never a write through GET, every error a problem.

A new API route fails these tests until it is added to API_ROUTES."""
import json

from flask import url_for
from sqlalchemy import func, select

from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD
from tests.security.world import build_world

CALLERS = ("no token", "worker", "other worker", "street admin", "admin", "system")

# endpoint: (method, JSON body of a POST, status for each caller). The worker and the other worker are both
# enrolled in the world's course, which started five days ago: enrolling again and withdrawing are refused
# by the same rules as on the pages; the world's enrolment is the worker's, not found for anyone else.
# Administrators' personal tokens and the system's (a client of the whole district) read the reports, the
# registry and the claims, and carry no worker's scopes; the token endpoint takes client credentials only.
API_ROUTES = {
    "api-docs.openapi_json": ("GET", None, (200,) * 6),
    "api-docs.openapi_swagger_ui": ("GET", None, (200,) * 6),
    "api_programmes.programme_list": ("GET", None, (200,) * 6),
    "api_courses.course_list": ("GET", None, (200,) * 6),
    "api_courses.course_detail": ("GET", None, (200,) * 6),
    "api_certificates.verify": ("GET", None, (200,) * 6),
    "api_me.enrolment_list": ("GET", None, (401, 200, 200, 403, 403, 403)),
    "api_me.learning_record_of_mine": ("GET", None, (401, 200, 200, 403, 403, 403)),
    "api_me.certificate_list": ("GET", None, (401, 200, 200, 403, 403, 403)),
    "api_me.enrol": ("POST", "course", (401, 409, 409, 403, 403, 403)),
    "api_me.withdraw": ("POST", {}, (401, 409, 404, 403, 403, 403)),
    "api_token.issue": ("POST", {}, (400,) * 6),  # no grant_type in the form
    "api_reports.progress": ("GET", None, (401, 403, 403, 200, 200, 200)),
    "api_reports.workers": ("GET", None, (401, 403, 403, 200, 200, 200)),
    "api_registry.qualification_list": ("GET", None, (401, 403, 403, 200, 200, 200)),
    "api_registry.claim_list": ("GET", None, (401, 403, 403, 200, 200, 200)),
}


def api_rules(app):
    prefix = app.config["API_PREFIX"] + "/"
    return sorted((rule for rule in app.url_map.iter_rules() if rule.rule.startswith(prefix)),
                  key=lambda rule: rule.endpoint)


def call(app, client, rule, world, caller, body=None):
    method, template, _ = API_ROUTES[rule.endpoint]
    params = {name: world["params"][name] for name in rule.arguments}
    with app.test_request_context():
        target = url_for(rule.endpoint, **params)
    headers = {}
    if caller != "no token":
        headers["Authorization"] = "Bearer " + world["api_tokens"][caller.replace(" ", "_")]
    if method == "POST":
        payload = {"course_id": world["params"]["course_id"]} if template == "course" else template
        return client.open(target, method="POST", headers=headers, data=json.dumps(payload),
                           content_type="application/json")
    return client.open(target, method=method, headers=headers)


def test_every_api_route_is_classified(app):
    endpoints = {rule.endpoint for rule in api_rules(app)}
    assert endpoints - set(API_ROUTES) == set(), "classify these routes in API_ROUTES"
    assert set(API_ROUTES) - endpoints == set(), "these routes no longer exist"


def test_api_matrix(app, make):
    failures = []
    for rule in api_rules(app):
        for caller, status in zip(CALLERS, API_ROUTES[rule.endpoint][2]):
            world = build_world(make)
            response = call(app, app.test_client(), rule, world, caller)
            if response.status_code != status:
                failures.append(f"{rule.endpoint} by {caller}: {response.status_code}, expected {status}")
            elif status >= 400:
                assert response.mimetype == "application/problem+json", rule.endpoint
                assert response.get_json()["status"] == status
    assert failures == []


def test_a_signed_in_browser_cookie_opens_nothing_of_the_api(app, make):
    world = build_world(make)
    client = app.test_client()
    signed_in = client.post("/login", data={"phone": world["users"]["worker"].phone, "password": DEFAULT_PASSWORD})
    assert signed_in.status_code == 302
    for rule in api_rules(app):
        expected = API_ROUTES[rule.endpoint][2][0]
        if API_ROUTES[rule.endpoint][0] == "POST":
            world = build_world(make)
        answer = call(app, client, rule, world, "no token")
        assert answer.status_code == expected, rule.endpoint
        if rule.endpoint != "api-docs.openapi_swagger_ui":  # a page of the site, with the site's session
            # the cookie is not even read: no answer varies with it or sets one
            assert "cookie" not in answer.headers.get("Vary", "").lower() and "Set-Cookie" not in answer.headers
    assert client.get("/account").status_code == 200  # the browser's session is still signed in


def test_no_api_read_writes(app, make):
    world = build_world(make)
    tables = db.metadata.sorted_tables
    before = {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in tables}
    for rule in api_rules(app):
        if API_ROUTES[rule.endpoint][0] == "GET":
            for caller in CALLERS:
                assert call(app, app.test_client(), rule, world, caller).status_code < 500
    db.session.expire_all()
    assert {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in tables} == before


def test_the_interactive_docs_are_a_page_with_its_forms_protected(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # a site page: it may use the session
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    answer = client.get("/api/v1/programmes")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
