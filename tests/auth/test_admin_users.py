import pytest
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.auth.models import User
from academy.core.permissions import Role
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "lotus-pond-bicycle-bell"


def count_users():
    return db.session.scalar(select(func.count(User.id)))


def test_admin_creates_an_instructor(client, make, login):
    admin = make.create_admin()
    login(admin)
    response = client.post("/admin/users/new", data={
        "role": "instructor", "name": "黄老师", "phone": "13600000001", "password": NEW_PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.phone == "13600000001"))
    assert user.role == Role.INSTRUCTOR and user.profile is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_id == admin.id and event.object_id == user.id


def test_admin_creates_a_street_admin_bound_to_a_subdistrict(client, make, login):
    login(make.create_admin())
    street = make.subdistrict("110101009000")
    response = client.post("/admin/users/new", data={
        "role": "street_admin", "name": "街道管理员", "phone": "13600000002", "password": NEW_PASSWORD,
        "street": str(street.id)})
    assert response.status_code == 302
    assert db.session.scalar(select(User).where(User.phone == "13600000002")).street_id == street.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"role": "street_admin"}, "请选择该管理员负责的街道"),
        ({"role": "worker"}, "请选择学员所在的社区、机构或街道"),
        ({"role": "superuser"}, "选项无效"),
        ({"role": "admin", "password": "abc123abc"}, "该密码过于常见或容易被猜到"),
        ({"role": "admin", "phone": "12345"}, "请输入 11 位中国大陆手机号"),
    ],
)
def test_bad_account_creation_writes_nothing(client, make, login, data, message):
    login(make.create_admin())
    before = count_users()
    form = {"name": "某人", "phone": "13600000003", "password": NEW_PASSWORD, **data}
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count_users() == before


def test_account_list_masks_phone_numbers_and_filters_by_role(client, make, login):
    login(make.create_admin())
    worker = make.create_worker(phone="13512345678", name="筛选学员")
    make.create_instructor(name="筛选讲师")
    page = client.get("/admin/users", query_string={"role": "worker"}).get_data(as_text=True)
    assert "筛选学员" in page and "筛选讲师" not in page
    assert worker.phone not in page
    assert "135****5678" in page


def test_admin_reset_password_ends_the_users_sessions(app, client, make, login):
    worker = make.create_worker()
    worker_client = app.test_client()
    worker_client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    login(make.create_admin())
    response = client.post(f"/admin/users/{worker.id}/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert worker_client.get("/account").status_code == 302
    db.session.refresh(worker)
    assert worker.check_password(NEW_PASSWORD)


def test_deactivation_ends_sessions_and_blocks_login_and_keeps_the_account(app, client, make, login):
    worker = make.create_worker()
    worker_client = app.test_client()
    worker_client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    login(make.create_admin())
    client.post(f"/admin/users/{worker.id}/active")
    assert worker_client.get("/account").status_code == 302
    refused = worker_client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert refused.status_code == 200
    assert db.session.get(User, worker.id).active is False
    client.post(f"/admin/users/{worker.id}/active")
    assert db.session.get(User, worker.id).active is True


def test_admin_cannot_deactivate_themselves(client, make, login):
    admin = make.create_admin()
    login(admin)
    page = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True).get_data(as_text=True)
    assert "不能停用自己的账号。" in page
    # read from the database, not from the session's identity map, which still holds the row as it was
    assert db.session.scalar(select(User.active).where(User.id == admin.id)) is True
    assert client.get("/account").status_code == 200  # still signed in: the session version did not move


def test_sign_out_everywhere(app, client, make, login):
    worker = make.create_worker()
    worker_client = app.test_client()
    worker_client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    login(make.create_admin())
    client.post(f"/admin/users/{worker.id}/sign-out")
    assert worker_client.get("/account").status_code == 302


def test_unknown_user_is_404(client, make, login):
    login(make.create_admin())
    assert client.get("/admin/users/999999").status_code == 404
