"""Signing in with a code sent by SMS: through the adapter, kept hashed, five minutes, a few tries,
once; the same answer whether or not an account has the number; limited, audited, switchable."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.auth import sms
from academy.auth.models import SmsCode
from academy.core.models import now_utc
from academy.core.querycount import count_queries
from academy.extensions import db
from academy.jobs.channels import LoggingSms

REFUSED = "验证码错误、已过期或尝试次数过多"


@pytest.fixture(autouse=True)
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(LoggingSms, "sent", sent)
    return sent


def code_in(outbox) -> str:
    return re.search(r"验证码为(\d{6})", outbox[-1][1]).group(1)


def ask(client, phone, address="192.0.2.1"):
    return client.post("/login/sms", data={"phone": phone}, environ_base={"REMOTE_ADDR": address})


def enter(client, code, address="192.0.2.1"):
    return client.post("/login/sms/code", data={"code": code}, environ_base={"REMOTE_ADDR": address})


def actions():
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_a_worker_signs_in_with_the_code_sent_to_their_number(client, make, outbox):
    worker = make.create_worker()
    assert "/login/sms" in client.get("/login").get_data(as_text=True)  # linked from the sign-in page
    asked = ask(client, worker.phone)
    assert asked.status_code == 302 and asked.headers["Location"] == "/login/sms/code"
    (phone, text), = outbox
    code = code_in(outbox)
    assert phone == worker.phone and len(text) <= 70 and "5分钟内有效" in text
    stored = db.session.scalar(select(SmsCode))
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash is kept
    page = client.get("/login/sms/code").get_data(as_text=True)
    assert worker.phone[:3] + "****" + worker.phone[-4:] in page and worker.phone not in page
    done = enter(client, code)
    assert done.status_code == 302 and done.headers["Location"] == "/learning"  # the worker's start page
    assert client.get("/me").status_code == 200
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("login.%"))).all()
    assert [(e.action, e.detail.get("method")) for e in events] == [("login.sms_code", None), ("login.success", "sms")]
    client.post("/logout")
    assert ask(client, worker.phone).status_code == 302 and enter(client, code).status_code == 200  # once only


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', 'name="csrf_token"', page)


def test_an_unknown_number_gets_the_same_answer_and_nothing_is_sent(client, make, outbox):
    worker = make.create_worker()
    known = ask(client, worker.phone, address="192.0.2.1")
    known_page = client.get("/login/sms/code").get_data(as_text=True)
    other = client.application.test_client()
    unknown = ask(other, "13912345678", address="192.0.2.2")
    unknown_page = other.get("/login/sms/code").get_data(as_text=True)
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"])
    # each visitor's session has its own CSRF token; everything else on the page is the same
    assert without_tokens(known_page.replace(worker.phone[:3], "139").replace(worker.phone[-4:], "5678")) \
        == without_tokens(unknown_page)
    assert len(outbox) == 1 and db.session.scalars(select(SmsCode.user_id)).all() == [worker.id]
    refused = enter(other, "123456", address="192.0.2.2").get_data(as_text=True)
    assert REFUSED in refused
    unknown_event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.sms_code",
                                                               AuditEvent.object_id.is_(None)))
    assert unknown_event.detail == {"phone": "139****5678", "sent": False}


def test_an_inactive_account_gets_no_code(client, make, outbox):
    worker = make.create_worker(active=False)
    assert ask(client, worker.phone).status_code == 302 and outbox == []


def test_a_code_expires_after_five_minutes(make, outbox):
    worker = make.create_worker()
    start = now_utc()
    sms.request_code(worker.phone, now=start)
    code = code_in(outbox)
    assert sms.sign_in_with_code(worker.phone, code, now=start + timedelta(minutes=5, seconds=1)) is None
    assert sms.sign_in_with_code(worker.phone, code, now=start + timedelta(minutes=4, seconds=59)) == worker


def test_a_wrong_code_is_refused_counted_and_audited(client, make, outbox):
    worker = make.create_worker()
    ask(client, worker.phone)
    code = code_in(outbox)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    response = enter(client, wrong)
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)
    assert db.session.scalar(select(SmsCode.attempts)) == 1 and actions()[-1] == "login.failure"
    assert enter(client, "12ab56").status_code == 200  # not six digits: the form says so, no try spent
    assert db.session.scalar(select(SmsCode.attempts)) == 1
    assert enter(client, code).status_code == 302


def test_the_code_is_refused_once_its_tries_are_spent(client, make, outbox):
    worker = make.create_worker()
    ask(client, worker.phone)
    code = code_in(outbox)
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for _ in range(5):
        assert enter(client, wrong).status_code == 200
    response = enter(client, code)
    assert response.status_code == 200 and REFUSED in response.get_data(as_text=True)  # the same message
    assert db.session.scalar(select(SmsCode.attempts)) == 5 and client.get("/me").status_code == 302


def test_a_new_code_ends_the_earlier_one(make, outbox):
    worker = make.create_worker()
    sms.request_code(worker.phone)
    first = code_in(outbox)
    sms.request_code(worker.phone)
    second = code_in(outbox)
    if first != second:
        assert sms.sign_in_with_code(worker.phone, first) is None
    assert sms.sign_in_with_code(worker.phone, second) == worker


def test_codes_are_limited_per_number_and_per_address(client, make, outbox):
    worker = make.create_worker()
    for index in range(3):
        assert ask(client, worker.phone, address=f"192.0.2.{index}").status_code == 302
    assert ask(client, worker.phone, address="192.0.2.9").status_code == 429  # the number, from anywhere
    for index in range(10):
        assert ask(client, f"1391234{index:04d}", address="198.51.100.1").status_code == 302
    assert ask(client, "13912349999", address="198.51.100.1").status_code == 429  # 10 an hour per address
    assert len(outbox) == 3


def test_switched_off_the_pages_are_not_there(client, make, app, monkeypatch, outbox):
    monkeypatch.setitem(app.config, "SMS_SIGNIN_ENABLED", False)
    worker = make.create_worker()
    assert "/login/sms" not in client.get("/login").get_data(as_text=True)
    assert client.get("/login/sms").status_code == 404 and ask(client, worker.phone).status_code == 404
    assert client.get("/login/sms/code").status_code == 404 and outbox == []


@pytest.mark.usefixtures("csrf_enabled")
def test_both_steps_refuse_a_missing_csrf_token(client, make, outbox):
    worker = make.create_worker()
    assert ask(client, worker.phone).status_code == 400 and outbox == []
    assert db.session.scalar(select(SmsCode.id)) is None
    with client.session_transaction() as session:
        session["sms_phone"] = worker.phone
    assert enter(client, "123456").status_code == 400


def test_the_pages_run_a_fixed_number_of_statements(client, make, outbox):
    phone = make.create_worker().phone
    counts = {}
    for name, call in (("GET /login/sms", lambda: client.get("/login/sms")),
                       ("POST /login/sms", lambda: ask(client, phone)),
                       ("GET /login/sms/code", lambda: client.get("/login/sms/code")),
                       ("POST /login/sms/code wrong", lambda: enter(client, "000000" if code_in(outbox) != "000000"
                                                                    else "111111")),
                       ("POST /login/sms/code", lambda: enter(client, code_in(outbox)))):
        with count_queries(db.engine) as counter:
            call()
        counts[name] = counter
    for name, counter in counts.items():
        print(name, counter.count, *counter.statements, sep="\n  ")
    assert counts["GET /login/sms"].count == 0 and counts["GET /login/sms/code"].count == 0
    assert counts["POST /login/sms"].count == 4 and counts["POST /login/sms/code wrong"].count == 4
    assert counts["POST /login/sms/code"].count == 7  # with the worker's consents, read once at sign-in
