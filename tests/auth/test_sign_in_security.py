"""Findings 2 and 3 of the pen test (issue 27): sign-in limits counted on the number as typed, and a
sign-out that left the "keep me signed in" cookie and copied session cookies working."""
import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD

SPELLINGS = ("{a}-{b}-{c}", "{a}{b}-{c}", "+86 {a}{b}{c}", "{a} {b} {c}", "0086{a}{b}{c}", "({a}) {b}.{c}",
             "８６{a}{b}{c}")


def spell(phone: str, pattern: str) -> str:
    text = pattern.format(a=phone[:3], b=phone[3:7], c=phone[7:])
    return text.replace("８６", "\uff18\uff16")  # full-width digits as some input methods type them


def sign_in(client, phone, password="wrong-guess", address="192.0.2.1"):
    return client.post("/login", data={"phone": phone, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.mark.parametrize("pattern", SPELLINGS)
def test_the_same_number_however_typed_signs_in(client, make, pattern):
    worker = make.create_worker()
    assert sign_in(client, spell(worker.phone, pattern), DEFAULT_PASSWORD).status_code == 302


def test_every_spelling_of_a_number_shares_one_count(client, make):
    worker = make.create_worker()
    for pattern in SPELLINGS[:5]:
        assert sign_in(client, spell(worker.phone, pattern)).status_code == 200
    # the right password, in any spelling, waits like the plain number
    for pattern in ("{a}{b}{c}",) + SPELLINGS:
        assert sign_in(client, spell(worker.phone, pattern), DEFAULT_PASSWORD).status_code == 429, pattern


def test_one_address_trying_many_numbers_is_stopped(client, make):
    worker = make.create_worker()
    for index in range(20):
        assert sign_in(client, f"1370000{index:04d}").status_code == 200
    assert sign_in(client, "13700009999").status_code == 429
    assert sign_in(client, worker.phone, DEFAULT_PASSWORD).status_code == 429
    # another address is not held back by this one
    assert sign_in(client, worker.phone, DEFAULT_PASSWORD, address="192.0.2.2").status_code == 302


def test_one_account_tried_from_many_addresses_is_stopped(client, make):
    worker = make.create_worker()
    for index in range(30):
        assert sign_in(client, worker.phone, address=f"198.51.100.{index}").status_code == 200
    assert sign_in(client, worker.phone, DEFAULT_PASSWORD, address="198.51.100.200").status_code == 429
    colleague = make.create_worker()
    assert sign_in(client, colleague.phone, DEFAULT_PASSWORD, address="198.51.100.201").status_code == 302


def test_failures_everywhere_together_are_limited(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_GLOBAL_RATE_LIMIT", "3 per hour")
    worker = make.create_worker()
    for index in range(3):
        assert sign_in(client, f"1360000{index:04d}", address=f"203.0.113.{index}").status_code == 200
    assert sign_in(client, worker.phone, DEFAULT_PASSWORD, address="203.0.113.99").status_code == 429


def test_what_is_not_a_number_shares_one_count(client, make):
    for index in range(5):
        assert sign_in(client, f"not-a-number-{index}").status_code == 200
    assert sign_in(client, "still-not-a-number").status_code == 429


def test_failed_sign_ins_are_audited_with_the_number_masked(client, make):
    worker = make.create_worker()
    sign_in(client, spell(worker.phone, "+86 {a}{b}{c}"))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failure")).all()[-1]
    assert event.detail["phone"] == f"{worker.phone[:3]}****{worker.phone[-4:]}"


# -- signing out ----------------------------------------------------------------------------------

def remember_cookie(response):
    return [value for value in response.headers.getlist("Set-Cookie") if value.startswith("remember_token=")]


def test_signing_out_deletes_the_remember_cookie_and_stays_signed_out(client, make):
    worker = make.create_worker()
    response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD, "remember": "y"})
    assert remember_cookie(response) and client.get_cookie("remember_token") is not None
    response = client.post("/logout")
    (deleted,) = remember_cookie(response)
    assert "Expires=Thu, 01 Jan 1970" in deleted
    assert client.get_cookie("remember_token") is None
    assert client.get("/account").status_code == 302


def test_copied_cookies_are_dead_after_sign_out(app, client, make):
    worker = make.create_worker()
    client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD, "remember": "y"})
    copies = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert client.post("/logout").status_code == 302
    for name, value in copies.items():  # the session alone, the remember cookie alone
        thief = app.test_client()
        thief.set_cookie(name, value)
        assert thief.get("/account").status_code == 302, name
    assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == worker.id)).all()[-1] == "logout"


def test_signing_out_ends_the_accounts_other_sessions_too(app, make, login):
    worker = make.create_worker()
    other_device = app.test_client()
    other_device.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    login(worker).post("/logout")
    assert other_device.get("/account").status_code == 302
