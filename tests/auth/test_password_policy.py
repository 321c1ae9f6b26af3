"""Findings 4 and 5 of the pen test (issue 27): one password policy for every path that sets a
password, and sign-in costing the same hashing whether the number has an account or not."""
import pytest
from sqlalchemy import select

from academy.auth import operations
from academy.auth.models import User
from academy.core.errors import OperationError
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD


def spellings(phone):
    return (phone, f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"pw{phone}", f"+86{phone}")


def test_a_password_change_refuses_the_phone_number(client, make, login):
    worker = make.create_worker()
    login(worker)
    for password in spellings(worker.phone):
        response = client.post("/account/password",
                               data={"current": DEFAULT_PASSWORD, "password": password, "confirm": password})
        assert response.status_code == 200 and "密码中不能包含手机号" in response.get_data(as_text=True), password
    db.session.refresh(worker)
    assert worker.check_password(DEFAULT_PASSWORD)


def test_an_administrators_reset_refuses_the_phone_number_and_the_name(client, make, login):
    worker = make.create_worker(name="Wangxiaoming")
    login(make.create_admin())
    for password in spellings(worker.phone):
        response = client.post(f"/admin/users/{worker.id}/password", data={"password": password})
        assert response.status_code == 400 and "密码中不能包含手机号" in response.get_data(as_text=True), password
    response = client.post(f"/admin/users/{worker.id}/password", data={"password": "wangxiaoming"})
    assert "该密码过于常见或容易被猜到" in response.get_data(as_text=True)
    db.session.refresh(worker)
    assert worker.check_password(DEFAULT_PASSWORD)


@pytest.mark.parametrize("path", ["change", "reset", "create"])
def test_the_operations_enforce_the_policy_whoever_calls_them(make, path):
    worker = make.create_worker()
    with pytest.raises(OperationError) as refused:
        if path == "change":
            operations.change_password(worker, worker.phone)
        elif path == "reset":
            operations.change_password(worker, f"{worker.phone}!", actor=make.create_admin())
        else:
            operations.create_user(role=worker.role.__class__.INSTRUCTOR, phone="13600000077", name="新讲师",
                                   password="13600000077")
    assert refused.value.field == "password"
    assert db.session.scalar(select(User).where(User.phone == "13600000077")) is None


def test_registration_refuses_the_phone_number_as_before(client, make):
    unit = make.create_unit()
    response = client.post("/register", data={"name": "新学员", "phone": "13600000078", "work_unit": str(unit.id),
                                              "password": "13600000078", "confirm": "13600000078",
                                              "privacy_consent": "y"})
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.phone == "13600000078")) is None


def test_an_unknown_number_costs_the_same_hashing_as_a_known_one(app, client, make, monkeypatch):
    """Timed by the work done, not the clock: each sign-in checks exactly one password hash, made with
    the configured method (and so its work factor), whether or not the number has an account."""
    import academy.auth.models as models

    checked = []

    def counting(hash_, password):
        checked.append(hash_.split("$", 1)[0])
        return real(hash_, password)

    real = models.check_password_hash
    monkeypatch.setattr(models, "check_password_hash", counting)
    monkeypatch.setattr(operations, "check_password_hash", counting)
    worker = make.create_worker()
    method = app.config["PASSWORD_HASH_METHOD"]
    for phone in (worker.phone, "13700000001", "13700000002"):
        checked.clear()
        client.post("/login", data={"phone": phone, "password": "wrong-guess"})
        assert checked == [method], phone
