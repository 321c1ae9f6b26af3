"""Role gating of the foundation's pages: anonymous → login, wrong role → 403."""
import pytest

from academy.core.permissions import Role

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/org-units", "/admin/audit", "/admin/programmes/qingyun/edit"]
SIGNED_IN_PAGES = ["/account", "/account/password"]
PUBLIC_PAGES = ["/", "/programmes", "/programmes/zhuji", "/login", "/register", "/healthz"]


def make_user(make, role):
    return {
        Role.WORKER: make.create_worker,
        Role.INSTRUCTOR: make.create_instructor,
        Role.STREET_ADMIN: make.create_street_admin,
        Role.ADMIN: make.create_admin,
        Role.DISTRICT_REVIEWER: make.create_district_reviewer,
        Role.JUDGE: make.create_judge,
    }[role]()


@pytest.mark.parametrize("path", ADMIN_PAGES + SIGNED_IN_PAGES)
def test_anonymous_visitor_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_open_without_login(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", [Role.WORKER, Role.INSTRUCTOR, Role.STREET_ADMIN])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_refuse_other_roles(client, make, login, role, path):
    login(make_user(make, role))
    response = client.get(path)
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_open_for_admins(client, make, login, path):
    login(make.create_admin())
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reaches_its_account_page(client, make, login, role):
    login(make_user(make, role))
    assert client.get("/account").status_code == 200


def test_worker_cannot_post_to_admin_actions(client, make, login):
    victim = make.create_worker()
    login(make.create_worker())
    assert client.post(f"/admin/users/{victim.id}/active").status_code == 403
    assert client.post(f"/admin/users/{victim.id}/password", data={"password": "x"}).status_code == 403


def test_forms_reject_a_missing_csrf_token(client, make, csrf_enabled):
    worker = make.create_worker()
    response = client.post("/login", data={"phone": worker.phone, "password": "whatever-it-is"})
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)


def test_forms_accept_a_valid_csrf_token(client, make, csrf_enabled):
    import re

    from tests.factories import DEFAULT_PASSWORD

    worker = make.create_worker()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
