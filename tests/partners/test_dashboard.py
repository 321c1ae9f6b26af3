from datetime import timedelta

from academy.extensions import db
from academy.core.i18n import local_today
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
