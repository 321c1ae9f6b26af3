"""The progress report, its workers, the registry and the claims over the API: the same figures as the
report's page, personal data masked, no bank details, and the caller's subdistrict scope — a subdistrict's
administrator and a system limited to one subdistrict never read another's data, whatever they ask."""
import pytest

from academy.api import clients
from academy.api.models import CLIENT_SCOPES
from academy.extensions import db
from academy.reports.queries import ReportFilters, progress_report
from tests.api.helpers import bearer
from tests.security.world import build_world


def _get(http, path, token, **params):
    response = http.get(path, query_string=params, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _system(make, subdistrict_id=None) -> str:
    client, _secret = clients.create_client(make.create_admin(), name="人事", scopes=CLIENT_SCOPES,
                                            subdistrict_id=subdistrict_id)
    token = clients.issue_token(client)[1]
    db.session.commit()
    return token


def test_the_progress_report_has_the_page_s_figures(client, make):
    world = build_world(make)
    body = _get(client, "/api/v1/reports/progress", world["api_tokens"]["admin"], group="subdistrict", then="tier")
    report = progress_report(db.session, ["subdistrict", "tier"], ReportFilters())
    assert body["dimensions"] == ["subdistrict", "tier"]
    assert [[cell["code"] for cell in row["cells"]] for row in body["rows"]] == [
        [str(key) for key in row.keys] for row in report.rows]
    assert [row["enrolled"] for row in body["rows"]] == [row.enrolled for row in report.rows]
    assert body["total"]["enrolled"] == report.total.enrolled >= 2
    assert body["total"]["hours"] == format(report.total.hours, ".1f")


def test_an_unknown_programme_is_named_not_answered_with_zeros(client, make):
    world = build_world(make)
    response = client.get("/api/v1/reports/progress?programme=nosuch",
                          headers=bearer(world["api_tokens"]["admin"], **{"Accept-Language": "en"}))
    assert response.status_code == 422 and "programme" in response.get_json()["errors"]


def test_the_workers_are_masked_and_paged_by_cursor(client, make):
    world = build_world(make)
    token = world["api_tokens"]["admin"]
    first = _get(client, "/api/v1/reports/workers", token, limit=1)
    assert first["total"] == 2 and len(first["items"]) == 1 and first["next_cursor"]
    second = _get(client, "/api/v1/reports/workers", token, limit=1, cursor=first["next_cursor"])
    assert second["next_cursor"] is None
    items = first["items"] + second["items"]
    assert [item["id"] for item in items] == sorted(user.id for user in (world["users"]["worker"],
                                                                        world["other_worker"]))
    worker = world["users"]["worker"]
    mine = next(item for item in items if item["id"] == worker.id)
    assert "****" in mine["phone"] and worker.phone not in str(items)
    assert client.get("/api/v1/reports/workers?cursor=abc", headers=bearer(token)).status_code == 400


def test_a_report_cell_lists_its_workers(client, make):
    world = build_world(make)
    token = world["api_tokens"]["admin"]
    report = _get(client, "/api/v1/reports/progress", token, group="subdistrict")
    cell = report["rows"][0]["cells"][0]
    listed = _get(client, "/api/v1/reports/workers", token, cell_subdistrict=cell["code"], measure="enrolled")
    assert listed["total"] == report["rows"][0]["enrolled"] == 1
    assert all(item["subdistrict"]["id"] == int(cell["code"]) for item in listed["items"])


def test_registry_and_claims_are_read_without_bank_details(client, make):
    world = build_world(make)
    token = world["api_tokens"]["admin"]
    records = _get(client, "/api/v1/qualifications", token)["items"]
    assert [record["id"] for record in records] == [world["params"]["qualification_id"]]
    resident_id = world["users"]["worker"].profile.resident_id
    assert records[0]["level"]["code"] and records[0]["subdistrict"]["name"]
    assert (resident_id is None and records[0]["resident_id"] == "") or (
        resident_id not in str(records) and "*" in records[0]["resident_id"])
    claims = _get(client, "/api/v1/claims", token)["items"]
    assert [claim["id"] for claim in claims] == [world["params"]["claim_id"]]
    assert claims[0]["state"]["code"] == "in_notice" and claims[0]["amount"] == "2000.00"
    assert "6222000011112222" not in str(claims) and "bank_account" not in claims[0]


@pytest.mark.parametrize("caller", ["street admin", "system of the street", "system of the other street"])
def test_a_subdistrict_scoped_caller_reads_its_subdistrict_alone(client, make, caller):
    world = build_world(make)
    worker, other = world["users"]["worker"], world["other_worker"]
    street, other_street = worker.profile.subdistrict_id, other.profile.subdistrict_id
    token = {"street admin": world["api_tokens"]["street_admin"],
             "system of the street": _system(make, street),
             "system of the other street": _system(make, other_street)}[caller]
    own, foreign = (worker, other) if caller != "system of the other street" else (other, worker)
    for asked in ({}, {"subdistrict": foreign.profile.subdistrict_id}):
        workers = {item["id"] for item in _get(client, "/api/v1/reports/workers", token, **asked)["items"]}
        assert workers == {own.id}, asked
        rows = _get(client, "/api/v1/reports/progress", token, group="subdistrict", **asked)["rows"]
        assert {row["cells"][0]["code"] for row in rows} == {str(own.profile.subdistrict_id)}
        records = _get(client, "/api/v1/qualifications", token, **asked)["items"]
        claims = _get(client, "/api/v1/claims", token, **asked)["items"]
        # the world's qualification record and claim are the worker's, in the worker's street
        assert len(records) == len(claims) == (1 if own is worker else 0), asked


def test_a_district_system_reads_every_subdistrict(client, make):
    world = build_world(make)
    token = _system(make)
    workers = {item["id"] for item in _get(client, "/api/v1/reports/workers", token)["items"]}
    assert workers == {world["users"]["worker"].id, world["other_worker"].id}
    assert len(_get(client, "/api/v1/reports/progress", token, group="subdistrict")["rows"]) == 2


def test_the_administrators_reads_run_a_fixed_number_of_statements(client, make):
    from academy.core.querycount import count_queries
    from academy.enrolment import operations as ops
    from academy.qualifications.models import QualificationRecord

    token = _system(make)
    course = make.create_course(capacity=50)
    counts = []
    for size in (1, 8):
        for _number in range(size):
            worker = make.create_worker()
            ops.enrol(course, worker)
            db.session.add(QualificationRecord(worker_id=worker.id, level="assistant", certificate_no=f"A{worker.id}",
                                               exam_year=2021, issuing_authority="人社部"))
        db.session.commit()
        counted = []
        # the report twice: computed (its four aggregates), then kept until the summary tables change
        for path, params in (("/api/v1/reports/progress", {"group": "subdistrict"}),
                             ("/api/v1/reports/progress", {"group": "subdistrict"}),
                             ("/api/v1/reports/workers", {}), ("/api/v1/qualifications", {}), ("/api/v1/claims", {})):
            with count_queries(db.engine) as counter:
                _get(client, path, token, **params)
            counted.append(counter.count)
        counts.append(counted)
    # token, versions, the names (programmes, subdistricts: read again here because the new workers' units
    # changed them), 4 aggregates | token, versions | the lists
    assert counts[0] == counts[1] and counts[1][0] <= 8 and max(counts[1][1:]) <= 5, counts
