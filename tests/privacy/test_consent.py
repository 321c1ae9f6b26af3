"""Consent under the PIPL: to the privacy notice at registration (and again for a new version, at sign-in),
and apart to the resident ID number, which a withdrawal clears."""
import re

from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.auth.enums import ConsentKind
from academy.auth.models import Consent, User
from academy.extensions import db
from tests.auth.test_registration import registration

VALID_ID = "11010519491231002X"


def consents(user_id):
    return db.session.scalars(select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)).all()


def test_registration_needs_the_consent_box_and_writes_nothing_without_it(client, make):
    unit = make.create_unit()
    before = db.session.scalar(select(func.count(User.id)))
    response = client.post("/register", data=registration(unit, privacy_consent=""))
    assert response.status_code == 200
    assert "请阅读《个人信息保护说明》并勾选" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == before
    assert db.session.scalar(select(func.count(Consent.id))) == 0


def test_registration_records_the_consent_with_the_notice_version_and_address(app, client, make):
    unit = make.create_unit()
    assert client.post("/register", data=registration(unit)).status_code == 302
    user = db.session.scalar(select(User).where(User.phone == "13912345678"))
    [consent] = consents(user.id)
    assert (consent.kind, consent.granted, consent.version) == (
        ConsentKind.PRIVACY_NOTICE, True, app.config["PRIVACY_NOTICE_VERSION"])
    assert consent.address == "127.0.0.1" and consent.at is not None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consent.give",
                                                      AuditEvent.object_id == user.id)) is not None


def test_the_register_page_links_the_notice_and_the_notice_is_public(client):
    page = client.get("/register").get_data(as_text=True)
    assert 'href="/privacy"' in page
    notice = client.get("/privacy")
    assert notice.status_code == 200 and "敏感个人信息" in notice.get_data(as_text=True)


def test_a_worker_without_consent_is_asked_at_sign_in_then_sent_on(client, make):
    worker = make.create_worker(consented=False)
    response = client.post("/login?next=/courses", data={"phone": worker.phone, "password": make.DEFAULT_PASSWORD})
    assert response.headers["Location"] == "/account/privacy/consent?next=/courses"
    refused = client.post("/account/privacy/consent?next=/courses", data={})
    assert refused.status_code == 200 and consents(worker.id) == []
    agreed = client.post("/account/privacy/consent?next=/courses", data={"agree": "y"})
    assert agreed.headers["Location"] == "/courses"
    assert [c.kind for c in consents(worker.id)] == [ConsentKind.PRIVACY_NOTICE]


def test_a_new_notice_version_asks_again_and_staff_are_not_asked(app, client, make, monkeypatch):
    worker = make.create_worker()
    monkeypatch.setitem(app.config, "PRIVACY_NOTICE_VERSION", "2027-01")
    response = client.post("/login", data={"phone": worker.phone, "password": make.DEFAULT_PASSWORD})
    assert response.headers["Location"].startswith("/account/privacy/consent")
    instructor = make.create_instructor()
    other = app.test_client()
    assert other.post("/login", data={"phone": instructor.phone, "password": make.DEFAULT_PASSWORD}
                      ).headers["Location"] == "/teach/courses"


def test_the_consent_page_does_not_send_anyone_off_the_site(client, make, login):
    login(make.create_worker(consented=False))
    response = client.post("/account/privacy/consent?next=https://evil.example/", data={"agree": "y"})
    assert response.headers["Location"] == "/account/privacy"


def test_an_id_number_needs_its_own_consent_on_the_profile(client, make, login):
    worker = make.create_worker()
    login(worker)
    form = {"name": worker.name, "work_unit": str(worker.profile.work_unit_id), "resident_id": VALID_ID}
    refused = client.post("/account/profile", data=form)
    assert refused.status_code == 200
    assert "身份证号属于敏感个人信息" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert worker.profile.resident_id is None
    saved = client.post("/account/profile", data={**form, "resident_id_consent": "y"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert worker.profile.resident_id == VALID_ID
    assert [c.kind for c in consents(worker.id)] == [ConsentKind.PRIVACY_NOTICE, ConsentKind.RESIDENT_ID]
    # on file now: the box is gone and a new number needs no second consent
    assert 'name="resident_id_consent"' not in client.get("/account/profile").get_data(as_text=True)


def test_withdrawing_the_id_consent_clears_the_number_and_keeps_the_history(client, make, login):
    worker = make.create_worker(resident_id=VALID_ID)
    login(worker)
    page = client.get("/account/privacy").get_data(as_text=True)
    assert "撤回并清除我的身份证号" in page
    response = client.post("/account/privacy/resident-id/withdraw")
    assert response.status_code == 302
    db.session.expire_all()
    assert worker.profile.resident_id is None
    answers = [(c.kind, c.granted) for c in consents(worker.id)]
    assert answers[-2:] == [(ConsentKind.RESIDENT_ID, True), (ConsentKind.RESIDENT_ID, False)]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consent.withdraw")) is not None
    again = client.post("/account/privacy/resident-id/withdraw", follow_redirects=True)
    assert "没有可撤回的此类同意" in again.get_data(as_text=True)
    assert len(consents(worker.id)) == len(answers)


def test_the_privacy_page_shows_each_consent_with_its_version(app, client, make, login):
    login(make.create_worker())
    page = client.get("/account/privacy").get_data(as_text=True)
    assert re.search(r"已同意", page) and app.config["PRIVACY_NOTICE_VERSION"] in page
