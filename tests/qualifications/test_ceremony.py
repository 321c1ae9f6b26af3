"""The ceremony list: the newly certified of a year by level and subdistrict, printable, with an
optional notice to each of them."""
import re

from sqlalchemy import select

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.notifications.models import Notification
from academy.qualifications import views as qualification_views
from academy.qualifications.models import RecordStatus
from tests.qualifications.helpers import add_record


def scene(make):
    home, away = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    ann = make.create_worker(name="安静", work_unit=make.create_unit(parent=home))
    bo = make.create_worker(name="薄明", work_unit=make.create_unit(parent=away))
    cai = make.create_worker(name="蔡文", work_unit=make.create_unit(parent=home))
    records = [
        add_record(ann, Qualification.ASSISTANT, number="CER-A-2024", year=2024),
        add_record(bo, Qualification.SOCIAL_WORKER, number="CER-Z-2024", year=2024),
        add_record(cai, Qualification.ASSISTANT, number="CER-A-2023", year=2023),               # another year
        add_record(cai, Qualification.SOCIAL_WORKER, number="CER-Z-2024D", year=2024, status=RecordStatus.DECLARED),
        add_record(ann, Qualification.SOCIAL_WORKER, number="CER-Z-2024R", year=2024, status=RecordStatus.REVOKED),
    ]
    return home, records


def test_the_list_holds_the_verified_certificates_of_the_year_highest_level_first(client, make, login):
    scene(make)
    login(make.create_admin())
    page = client.get("/admin/qualifications/ceremony?year=2024").get_data(as_text=True)
    shown = re.findall(r"CER-[A-Z]-\d{4}[A-Z]?", page)
    assert shown == ["CER-Z-2024", "CER-A-2024"]
    printable = client.get("/admin/qualifications/ceremony?year=2024&print=1").get_data(as_text=True)
    assert "CER-Z-2024" in printable and "navbar" not in printable


def test_a_subdistrict_administrator_sees_their_own_people(client, make, login):
    home, _ = scene(make)
    login(make.create_street_admin(street=home))
    page = client.get("/admin/qualifications/ceremony?year=2024").get_data(as_text=True)
    assert re.findall(r"CER-[A-Z]-\d{4}[A-Z]?", page) == ["CER-A-2024"]
    assert client.post("/admin/qualifications/ceremony/notify?year=2024", data={"details": "x"}).status_code == 403


def test_the_notice_reaches_each_person_once_and_needs_its_details(client, make, login):
    _, records = scene(make)
    login(make.create_admin())
    client.post("/admin/qualifications/ceremony/notify?year=2024", data={"year": "2024", "details": ""})
    assert db.session.scalars(select(Notification).where(Notification.kind == "qualification_ceremony")).all() == []
    client.post("/admin/qualifications/ceremony/notify?year=2024",
                data={"year": "2024", "details": "12月20日下午，区委社会工作部礼堂"})
    notified = db.session.scalars(select(Notification.user_id).where(Notification.kind == "qualification_ceremony")).all()
    assert sorted(notified) == sorted({records[0].worker_id, records[1].worker_id})


def test_on_screen_the_list_is_paged_with_every_count_from_the_whole_year(client, make, login, monkeypatch):
    """A district's year is thousands of names: the screen shows a page of them under the year's counts;
    the printable version holds them all."""
    scene(make)
    login(make.create_admin())
    monkeypatch.setattr(qualification_views, "CEREMONY_PER_PAGE", 1)
    first = client.get("/admin/qualifications/ceremony?year=2024").get_data(as_text=True)
    second = client.get("/admin/qualifications/ceremony?year=2024&page=2").get_data(as_text=True)
    assert re.findall(r"CER-[A-Z]-\d{4}[A-Z]?", first) == ["CER-Z-2024"]
    assert re.findall(r"CER-[A-Z]-\d{4}[A-Z]?", second) == ["CER-A-2024"]
    assert "已核验证书 2 份" in first and "已核验证书 2 份" in second  # the year's total, not the page's
    assert 'href="/admin/qualifications/ceremony?year=2024&amp;page=2"' in first and "助理社会工作师 (1)" in second
    summary = first.split("<caption>")[1].split("</table>")[0]
    assert "助理社会工作师" in summary and "社会工作师" in summary
    printable = client.get("/admin/qualifications/ceremony?year=2024&print=1").get_data(as_text=True)
    assert re.findall(r"CER-[A-Z]-\d{4}[A-Z]?", printable) == ["CER-Z-2024", "CER-A-2024"]
