from datetime import timedelta

from academy.extensions import db
from academy.core.i18n import local_today
from tests.factories import DEFAULT_PASSWORD
from tests.partners.test_partners import agreement


def test_dashboard_lists_agreements_expiring_within_90_days(client, make, login):
    agreement(make, title="九十天内到期", effective_to=local_today() + timedelta(days=90))
    agreement(make, title="九十一天后到期", effective_to=local_today() + timedelta(days=91))
    agreement(make, title="已经到期", effective_to=local_today() - timedelta(days=1))
    db.session.commit()
    login(make.create_admin())
    page = client.get("/admin").get_data(as_text=True)
    section = page.split('id="expiring-title"')[1]
    assert "九十天内到期" in section and "九十一天后到期" not in section and "已经到期" not in section
    assert '<p class="fs-3 mb-0" id="expiring-count">1</p>' in page


def test_dashboard_is_for_administrators(client, make, login):
    login(make.create_instructor())
    assert client.get("/admin").status_code == 403


def test_an_agreement_changed_after_the_dashboard_was_kept_shows_at_once(client, make, login):
    login(make.create_admin())
    assert '<p class="fs-3 mb-0" id="expiring-count">0</p>' in client.get("/admin").get_data(as_text=True)
    signed = agreement(make, title="新近到期", effective_to=local_today() + timedelta(days=30))
    db.session.commit()
    page = client.get("/admin").get_data(as_text=True)
    assert '<p class="fs-3 mb-0" id="expiring-count">1</p>' in page and "新近到期" in page
    signed.title = "改名后到期"
    db.session.commit()
    assert "改名后到期" in client.get("/admin").get_data(as_text=True)


def test_a_street_administrator_is_never_served_the_administrators_kept_dashboard(app, client, make, login):
    agreement(make, title="九十天内到期", effective_to=local_today() + timedelta(days=90))
    street_admin = make.create_street_admin(street=make.subdistrict("110101001000"))
    db.session.commit()
    login(make.create_admin())
    assert "九十天内到期" in client.get("/admin").get_data(as_text=True)
    other = app.test_client()
    assert other.post("/login", data={"phone": street_admin.phone, "password": DEFAULT_PASSWORD}).status_code == 302
    page = other.get("/admin").get_data(as_text=True)
    assert "九十天内到期" not in page and 'id="expiring-count"' not in page
