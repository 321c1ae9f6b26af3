import pytest
from sqlalchemy import func, select

from academy.auth.models import User, WorkerProfile
from academy.extensions import db

GOOD_PASSWORD = "bamboo-courtyard-kettle"


def registration(unit, **overrides):
    data = {
        "name": "周小梅",
        "phone": "13912345678",
        "email": "",
        "work_unit": str(unit.id),
        "password": GOOD_PASSWORD,
        "confirm": GOOD_PASSWORD,
        "privacy_consent": "y",
    }
    data.update(overrides)
    return data


def user_count():
    return db.session.scalar(select(func.count(User.id)))


def test_registration_creates_a_worker_in_the_units_subdistrict_and_signs_in(client, make):
    unit = make.create_unit(parent=make.subdistrict("110101006000"))
    response = client.post("/register", data=registration(unit, phone="139 1234 5678"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/profile")
    user = db.session.scalar(select(User).where(User.phone == "13912345678"))
    assert user.role == "worker"
    assert user.check_password(GOOD_PASSWORD)
    assert user.profile.work_unit_id == unit.id
    assert user.profile.subdistrict.code == "110101006000"
    assert client.get("/account").status_code == 200


def test_a_subdistrict_office_is_a_valid_work_unit(client, make):
    street = make.subdistrict("110101011000")
    assert client.post("/register", data=registration(street)).status_code == 302
    profile = db.session.scalar(select(WorkerProfile))
    assert profile.subdistrict_id == street.id


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "1391234567"}, "请输入 11 位中国大陆手机号"),
        ({"phone": "23912345678"}, "请输入 11 位中国大陆手机号"),
        ({"phone": "1391234567a"}, "请输入 11 位中国大陆手机号"),
        ({"phone": ""}, "请输入手机号"),
        ({"name": "  "}, "请输入姓名"),
        ({"password": "short", "confirm": "short"}, "密码至少需要 8 个字符"),
        ({"password": "password123", "confirm": "password123"}, "该密码过于常见或容易被猜到"),
        ({"password": "12345678", "confirm": "12345678"}, "该密码过于常见或容易被猜到"),
        ({"password": "qwertyuiop", "confirm": "qwertyuiop"}, "该密码过于常见或容易被猜到"),
        ({"confirm": "something-else-entirely"}, "两次输入的密码不一致"),
        ({"email": "not-an-email"}, "请输入有效的电子邮箱"),
        ({"work_unit": ""}, "请选择您所在的社区、机构或街道"),
        ({"work_unit": "999999"}, "请选择您所在的社区、机构或街道"),
    ],
)
def test_bad_registration_says_why_and_writes_nothing(client, make, overrides, message):
    unit = make.create_unit()
    before = user_count()
    response = client.post("/register", data=registration(unit, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count() == before


def test_password_that_repeats_the_phone_number_is_refused(client, make):
    unit = make.create_unit()
    data = registration(unit, password="13912345678", confirm="13912345678")
    assert "密码中不能包含手机号" in client.post("/register", data=data).get_data(as_text=True)


def test_duplicate_phone_is_refused_and_nothing_is_written(client, make):
    existing = make.create_worker(phone="13912345678")
    before = user_count()
    response = client.post("/register", data=registration(existing.profile.work_unit))
    assert "该手机号已注册" in response.get_data(as_text=True)
    assert user_count() == before


def test_district_itself_is_not_a_work_unit(client, make):
    district = make.subdistrict("110101001000").parent
    before = user_count()
    response = client.post("/register", data=registration(district))
    assert "请选择您所在的社区、机构或街道" in response.get_data(as_text=True)
    assert user_count() == before


def test_work_unit_choices_are_grouped_by_subdistrict(client, make):
    make.create_unit(parent=make.subdistrict("110101016000"), name_zh="天坛测试社区")
    page = client.get("/register").get_data(as_text=True)
    assert '<optgroup label="天坛街道">' in page
    group = page.split('<optgroup label="天坛街道">')[1].split("</optgroup>")[0]
    assert "天坛测试社区" in group


def test_signed_in_user_is_sent_home_from_register(client, make, login):
    login(make.create_worker())
    assert client.get("/register").status_code == 302
