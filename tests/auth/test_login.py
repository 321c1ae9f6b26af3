import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD


def audit_actions():
    return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_login_with_phone_and_password_then_logout(client, make):
    worker = make.create_worker()
    response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert worker.name in client.get("/account").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302
    assert audit_actions()[-2:] == ["login.success", "logout"]


@pytest.mark.parametrize("case", ["wrong password", "unknown phone", "deactivated"])
def test_every_login_failure_gives_the_same_message(client, make, case):
    worker = make.create_worker()
    phone, password = worker.phone, DEFAULT_PASSWORD
    if case == "wrong password":
        password = "not-the-password"
    elif case == "unknown phone":
        phone = "13700000000"
    else:
        worker.active = False
        db.session.flush()
    response = client.post("/login", data={"phone": phone, "password": password})
    assert response.status_code == 200
    assert "手机号或密码错误。" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert audit_actions()[-1] == "login.failure"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/account/profile", "/account/profile"),
        ("https://evil.example/steal", "/learning"),  # refused: the worker's own start page instead
        ("//evil.example/steal", "/learning"),
        ("/\\evil.example", "/learning"),
        ("javascript:alert(1)", "/learning"),
    ],
)
def test_next_is_followed_only_to_local_paths(client, make, target, expected):
    worker = make.create_worker()
    response = client.post(
        "/login", query_string={"next": target}, data={"phone": worker.phone, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_protected_page_sends_visitor_to_login_with_next(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_five_failed_logins_a_minute_are_allowed_then_429(client, make):
    worker = make.create_worker()
    for _ in range(5):
        assert client.post("/login", data={"phone": worker.phone, "password": "wrong-guess"}).status_code == 200
    response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)


def test_the_limit_is_per_account_so_a_colleague_can_still_sign_in(client, make):
    worker, colleague = make.create_worker(), make.create_worker()
    for _ in range(6):
        client.post("/login", data={"phone": worker.phone, "password": "wrong-guess"})
    response = client.post("/login", data={"phone": colleague.phone, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_successful_logins_do_not_use_up_the_limit(client, make):
    worker = make.create_worker()
    for _ in range(7):
        response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        client.post("/logout")


def test_session_cookie_is_httponly_and_samesite(client, make):
    worker = make.create_worker()
    response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_needs_post(client, make, login):
    login(make.create_worker())
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_changing_the_password_ends_other_sessions(app, make, login):
    worker = make.create_worker()
    other_device = app.test_client()
    other_device.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    this_device = login(worker)
    response = this_device.post(
        "/account/password",
        data={"current": DEFAULT_PASSWORD, "password": "new-winter-persimmon", "confirm": "new-winter-persimmon"},
    )
    assert response.status_code == 302
    assert this_device.get("/account").status_code == 200
    assert other_device.get("/account").status_code == 302
    assert "user.password_change" in audit_actions()


def test_password_change_refuses_wrong_current_and_weak_new(client, make, login):
    worker = make.create_worker()
    login(worker)
    wrong = client.post("/account/password", data={
        "current": "nope-nope-nope", "password": "new-winter-persimmon", "confirm": "new-winter-persimmon"})
    assert "当前密码错误" in wrong.get_data(as_text=True)
    weak = client.post("/account/password", data={
        "current": DEFAULT_PASSWORD, "password": "password", "confirm": "password"})
    assert "该密码过于常见或容易被猜到" in weak.get_data(as_text=True)
    db.session.refresh(worker)
    assert worker.check_password(DEFAULT_PASSWORD)
