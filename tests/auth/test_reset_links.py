"""A password reset without SMS: a one-time link for 24 hours, issued by an administrator or the worker's
subdistrict administrator, audited; used once, under the password policy, ending every session."""
import re
from datetime import timedelta

from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.auth import reset
from academy.auth.models import ResetLink
from academy.core.models import now_utc
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD

NEW = "Lantern-river-bridge-27"


def issue_through_page(client, login, issuer, worker) -> str:
    login(issuer)
    page = client.post(f"/admin/users/{worker.id}/reset-link").get_data(as_text=True)
    client.post("/logout")
    return re.search(r'id="reset-url" readonly value="http://[^/]+(/reset/[^"]+)"', page).group(1)


def test_a_subdistrict_administrator_issues_a_link_and_the_worker_sets_a_password(client, make, login):
    street = make.subdistrict("110101001000")
    worker = make.create_worker(work_unit=make.create_unit(parent=street))
    path = issue_through_page(client, login, make.create_street_admin(street=street), worker)
    assert db.session.scalar(select(ResetLink.token_hash)) not in path  # only the hash is kept
    form = client.get(path).get_data(as_text=True)
    assert "设置新密码" in form
    weak = client.post(path, data={"password": "12345678", "confirm": "12345678"})
    assert weak.status_code == 200 and db.session.scalar(select(ResetLink.used_at)) is None  # the policy holds
    done = client.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    db.session.expire_all()
    assert worker.check_password(NEW) and not worker.check_password(DEFAULT_PASSWORD)
    assert client.get(path).status_code == 404  # once only
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == worker.id)).all()
    assert "user.reset_link" in actions and "user.reset_link_used" in actions


def test_a_subdistrict_administrator_cannot_issue_for_another_subdistrict_or_for_staff(client, make, login):
    mine, other = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    elsewhere = make.create_worker(work_unit=make.create_unit(parent=other))
    login(make.create_street_admin(street=mine))
    assert client.post(f"/admin/users/{elsewhere.id}/reset-link").status_code == 404
    assert client.post(f"/admin/users/{make.create_admin().id}/reset-link").status_code == 404
    assert db.session.scalar(select(ResetLink.id)) is None


def test_a_link_expires_after_a_day_and_a_new_one_ends_the_old(make):
    admin, worker = make.create_admin(), make.create_worker()
    first, _ = reset.issue(worker, actor=admin)
    later = now_utc() + timedelta(hours=24, seconds=1)
    assert reset.valid_link(first) is not None and reset.valid_link(first, now=later) is None
    second, _ = reset.issue(worker, actor=admin)
    assert reset.valid_link(first) is None and reset.valid_link(second) is not None
    assert reset.valid_link("not-a-token") is None and reset.valid_link("x" * 500) is None


def test_using_a_link_ends_every_session(client, make, login):
    admin, worker = make.create_admin(), make.create_worker()
    login(worker)
    assert client.get("/me").status_code == 200
    token, _ = reset.issue(worker, actor=admin)
    reset.redeem(token, NEW)
    db.session.commit()
    assert client.get("/me").status_code == 302  # the earlier session is over
