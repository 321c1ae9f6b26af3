"""Every request to the API counts against API_RATE_LIMIT: a token's requests together wherever they come from,
an address's without a token; over the limit a 429 problem that says when to try again; with the store away
the count goes on in the process's memory, and the token endpoint keeps its own limit as well."""
import logging

import pytest

from academy.api import rate
from academy.extensions import limiter
from tests.api.helpers import bearer, token_for


@pytest.fixture
def three_a_minute(app, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    monkeypatch.setattr(rate, "_fallback", {"storage": None, "until": 0.0})  # this test's own memory


def _from(address: str) -> dict:
    return {"REMOTE_ADDR": address}


def test_a_token_s_requests_are_counted_and_the_fourth_is_a_429_problem(client, make, three_a_minute):
    headers = bearer(token_for(make.create_worker()))
    answers = [client.get("/api/v1/me/record", headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["2", "1", "0"]
    assert {answer.headers["X-RateLimit-Limit"] for answer in answers} == {"3"}
    assert "Retry-After" not in answers[-1].headers

    refused = client.get("/api/v1/me/record", headers=headers)
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["status"] == 429 and body["title"] and body["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert "X-RateLimit-Reset" in refused.headers


def test_a_token_counts_wherever_it_comes_from_and_another_token_has_its_own_count(client, make, three_a_minute):
    worker = make.create_worker()
    first, second = bearer(token_for(worker)), bearer(token_for(worker))
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert client.get("/api/v1/me/record", headers=first, environ_overrides=_from(address)).status_code == 200
    assert client.get("/api/v1/me/record", headers=first, environ_overrides=_from("192.0.2.4")).status_code == 429
    assert client.get("/api/v1/me/record", headers=second, environ_overrides=_from("192.0.2.1")).status_code == 200


def test_without_a_token_an_address_is_counted_and_another_address_is_not(client, three_a_minute):
    for _ in range(3):
        assert client.get("/api/v1/programmes", environ_overrides=_from("198.51.100.7")).status_code == 200
    assert client.get("/api/v1/programmes", environ_overrides=_from("198.51.100.7")).status_code == 429
    assert client.get("/api/v1/programmes", environ_overrides=_from("198.51.100.8")).status_code == 200


def test_guessing_tokens_is_counted_too(client, three_a_minute):
    guess = bearer("dcsa_not-a-token")
    assert [client.get("/api/v1/me/record", headers=guess).status_code for _ in range(4)] == [401, 401, 401, 429]


def test_the_pages_are_not_counted_by_the_api_limit(client, three_a_minute):
    for _ in range(5):
        assert client.get("/courses").status_code == 200
    assert client.get("/api/v1/programmes").headers["X-RateLimit-Remaining"] == "2"


def test_with_the_store_away_the_count_goes_on_in_memory_and_the_store_is_tried_again(
        client, make, three_a_minute, monkeypatch, caplog):
    clock = [1000.0]
    monkeypatch.setattr(rate.time, "monotonic", lambda: clock[0])
    store = limiter.storage
    real_incr, tries = store.incr, []

    def unreachable(*args, **kwargs):
        tries.append(args)
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(store, "incr", unreachable)
    headers = bearer(token_for(make.create_worker()))
    with caplog.at_level(logging.WARNING, logger="academy.api"):
        statuses = [client.get("/api/v1/me/record", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the limit holds, counted in memory
    assert len(tries) == 1  # the store is not asked again at every request meanwhile
    assert sum("unreachable" in record.getMessage() for record in caplog.records) == 1

    monkeypatch.setattr(store, "incr", real_incr)  # back a minute later: counted there again
    clock[0] += rate.RETRY_STORE_AFTER + 1
    answer = client.get("/api/v1/me/record", headers=headers)
    assert answer.status_code == 200 and answer.headers["X-RateLimit-Remaining"] == "2"


def test_the_token_endpoint_keeps_its_own_limit_of_ten_a_minute(client):
    statuses = [client.post("/api/v1/token", data={"grant_type": "client_credentials"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [401] * 10 and statuses[10] == 429


def test_a_store_that_goes_away_between_counting_and_the_refusal_still_refuses(client, three_a_minute, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("gone")

    for _ in range(3):
        client.get("/api/v1/programmes")
    monkeypatch.setattr(limiter.storage, "get_expiry", unreachable)
    refused = client.get("/api/v1/programmes")
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
