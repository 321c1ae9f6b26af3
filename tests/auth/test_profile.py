from datetime import date

import pytest

from academy.auth.enums import Education, Qualification
from academy.extensions import db

VALID_ID = "110105198803150029"


def profile_form(worker, **overrides):
    data = {
        "name": worker.name,
        "email": "",
        "work_unit": str(worker.profile.work_unit_id),
        "gender": "female",
        "education": "master",
        "resident_id": VALID_ID,
        "years_in_service": "7",
        "post": "社区居委会主任",
        "resident_id_consent": "y",  # the separate consent an ID number needs (tests/privacy)
    }
    data.update(overrides)
    return data


def test_worker_edits_own_profile(client, make, login):
    worker = make.create_worker()
    new_unit = make.create_unit(parent=make.subdistrict("110101014000"))
    login(worker)
    response = client.post("/account/profile", data=profile_form(worker, work_unit=str(new_unit.id)))
    assert response.status_code == 302
    db.session.refresh(worker.profile)
    profile = worker.profile
    assert profile.education == Education.MASTER
    assert profile.resident_id == VALID_ID
    assert profile.subdistrict.code == "110101014000"


def test_the_qualification_cannot_be_typed_on_the_profile(client, make, login):
    """The level, certificate number and registration date follow the registry: posted values are ignored
    and the page shows them read-only."""
    worker = make.create_worker(qualification=Qualification.ASSISTANT, certificate_no="A2020", registration_date=date(2021, 1, 5))
    login(worker)
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'name="qualification"' not in page and 'name="certificate_no"' not in page
    assert "助理社会工作师" in page and "A2020" in page
    response = client.post("/account/profile", data=profile_form(
        worker, qualification="senior", certificate_no="FAKE", registration_date="2024-05-20"))
    assert response.status_code == 302
    db.session.refresh(worker.profile)
    assert (worker.profile.qualification, worker.profile.certificate_no, worker.profile.registration_date) == (
        Qualification.ASSISTANT, "A2020", date(2021, 1, 5))


def test_resident_id_is_masked_on_the_profile_page(client, make, login):
    worker = make.create_worker(resident_id=VALID_ID)
    login(worker)
    page = client.get("/account/profile").get_data(as_text=True)
    assert VALID_ID not in page
    assert "110***********0029" in page


def test_lowercase_x_check_digit_is_accepted(client, make, login):
    worker = make.create_worker()
    login(worker)
    response = client.post("/account/profile", data=profile_form(worker, resident_id="11010519491231002x"))
    assert response.status_code == 302
    db.session.refresh(worker.profile)
    assert worker.profile.resident_id == "11010519491231002X"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"resident_id": "110105198803150027"}, "身份证号校验不通过：请再核对最后一位"),
        ({"resident_id": "11010519880315002"}, "身份证号应为 18 位，您输入了 17 位"),
        ({"resident_id": "1101051988031500"}, "身份证号应为 18 位，您输入了 16 位"),
        ({"resident_id": "110105198813150029"}, "出生日期（第 7 至 14 位）不是有效日期"),
        ({"resident_id": "110105209912310027"}, "出生日期（第 7 至 14 位）晚于今天"),  # check digit right
        ({"resident_id": "11010519880315002A"}, "由 17 位数字和最后一位数字或 X 组成"),
        ({"years_in_service": "-1"}, "请输入 0 到 60 之间的年数"),
        ({"name": ""}, "请输入姓名"),
    ],
)
def test_bad_profile_input_says_why_and_changes_nothing(client, make, login, overrides, message):
    worker = make.create_worker()
    login(worker)
    before = (worker.profile.resident_id, worker.profile.qualification, worker.profile.years_in_service)
    response = client.post("/account/profile", data=profile_form(worker, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(worker.profile)
    assert (worker.profile.resident_id, worker.profile.qualification, worker.profile.years_in_service) == before


def test_resident_id_of_another_account_is_refused(client, make, login):
    make.create_worker(resident_id=VALID_ID)
    worker = make.create_worker()
    login(worker)
    response = client.post("/account/profile", data=profile_form(worker))
    page = response.get_data(as_text=True)
    # Finding 4 of the pen test (issue 27): the refusal names no other account.
    assert "无法保存该身份证号" in page and "其他账号" not in page
    db.session.refresh(worker.profile)
    assert worker.profile.resident_id is None


def test_trying_id_numbers_is_limited_and_audited_masked(client, make, login):
    from sqlalchemy import select

    from academy.audit.models import AuditEvent

    make.create_worker(resident_id=VALID_ID)
    worker = make.create_worker()
    login(worker)
    for _ in range(3):  # refusals for other reasons do not count
        refused = profile_form(worker, years_in_service="-1", resident_id="")
        assert client.post("/account/profile", data=refused).status_code == 200
    for _ in range(5):
        assert client.post("/account/profile", data=profile_form(worker)).status_code == 200
    assert client.post("/account/profile", data=profile_form(worker)).status_code == 429
    assert client.post("/account/profile", data=profile_form(worker, resident_id="")).status_code == 429
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "profile.resident_id_conflict")).all()
    assert len(events) == 5 and {event.detail["resident_id"] for event in events} == {"110***********0029"}
    assert client.get("/account/profile").status_code == 200  # reading the profile is not limited


def test_staff_have_no_worker_profile_page(client, make, login):
    login(make.create_instructor())
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_profile_audit_never_contains_the_id_number(client, make, login):
    from sqlalchemy import select

    from academy.audit.models import AuditEvent

    worker = make.create_worker()
    login(worker)
    client.post("/account/profile", data=profile_form(worker))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "profile.update"))
    assert "resident_id" in event.detail["fields"]
    assert VALID_ID not in str(event.detail)
