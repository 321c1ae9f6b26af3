from sqlalchemy import func, select

from academy.auth.models import User
from academy.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.orgs.reference import SUBDISTRICTS, seed_org_units
from academy.programmes.models import Programme, Tier
from academy.programmes.reference import seed_programmes


def table_counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model)) for model in (OrgUnit, Programme, User))


def test_reference_data_matches_the_domain(db):
    subdistricts = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT)).all()
    assert len(subdistricts) == 17
    assert {unit.code for unit in subdistricts} == {code for code, _, _ in SUBDISTRICTS}
    assert all(unit.parent.code == "110101000000" for unit in subdistricts)
    programmes = {p.code: p for p in db.session.scalars(select(Programme))}
    assert set(programmes) == {"QINGYUN", "ZHUJI", "YUYAN", "LINGYAN", "TOUYAN", "YUXIN", "SHENGENG", "XINGHUO"}
    assert programmes["QINGYUN"].tier == Tier.DEGREE
    assert programmes["SHENGENG"].tier == Tier.RESEARCH
    assert programmes["XINGHUO"].tier == Tier.RESEARCH
    assert programmes["YUXIN"].tier == Tier.CAPABILITY
    assert programmes["ZHUJI"].full_name_zh == "社工菁英“筑基计划”"


def test_seeding_twice_changes_nothing(db):
    before = table_counts()
    assert seed_org_units() == 0
    assert seed_programmes() == 0
    assert table_counts() == before


def test_seed_keeps_texts_edited_by_administrators(db):
    programme = db.session.scalar(select(Programme).where(Programme.code == "YUYAN"))
    programme.summary_zh = "管理员修改过的简介"
    db.session.flush()
    seed_programmes()
    db.session.refresh(programme)
    assert programme.summary_zh == "管理员修改过的简介"


def test_demo_is_idempotent_and_every_demo_login_works(client, db):
    first = load_demo()
    counts = table_counts()
    second = load_demo()
    assert table_counts() == counts
    assert [user.id for user, _ in first] == [user.id for user, _ in second]
    assert len(first) == len(DEMO_USERS)
    for user, password in first:
        assert client.post("/login", data={"phone": user.phone, "password": password}).status_code == 302
        client.post("/logout")
    assert {user.role for user, _ in first} == {"worker", "instructor", "street_admin", "admin"}
    assert DEMO_PASSWORD


def test_seed_command_reports_and_is_idempotent(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["academy", "seed"])
    assert result.exit_code == 0, result.output
    assert "0 org units, 0 programmes, 0 continuing-education rules and 0 partners added" in result.output


def test_create_user_command_creates_each_role(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "academy", "create-user", "--role", "street-admin", "--phone", "13300000001", "--name", "命令行管理员",
        "--password", "temple-of-heaven-walk", "--street", "110101016000"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.phone == "13300000001"))
    assert user.role == "street_admin" and user.street.code == "110101016000"
    result = runner.invoke(args=[
        "academy", "create-user", "--role", "worker", "--phone", "13300000002", "--name", "命令行学员",
        "--password", "temple-of-heaven-walk", "--street", "110101016000"])
    assert result.exit_code == 0, result.output
    worker = db.session.scalar(select(User).where(User.phone == "13300000002"))
    assert worker.profile.subdistrict.code == "110101016000"


def test_create_user_command_refuses_bad_input_clearly(app, db):
    runner = app.test_cli_runner()
    before = table_counts()
    weak = runner.invoke(args=["academy", "create-user", "--role", "admin", "--phone", "13300000003",
                               "--name", "某人", "--password", "password1"])
    assert weak.exit_code != 0 and "too common" in weak.output
    no_street = runner.invoke(args=["academy", "create-user", "--role", "street-admin", "--phone", "13300000004",
                                    "--name", "某人", "--password", "temple-of-heaven-walk"])
    assert no_street.exit_code != 0 and "subdistrict" in no_street.output
    bad_street = runner.invoke(args=["academy", "create-user", "--role", "admin", "--phone", "13300000005",
                                     "--name", "某人", "--password", "temple-of-heaven-walk", "--street", "999"])
    assert bad_street.exit_code != 0 and "No subdistrict with code 999" in bad_street.output
    assert table_counts() == before


def test_demo_courses_are_published_through_the_real_rules(client, db):
    from academy.courses.models import Course, CourseStatus
    from academy.demo import DEMO_COURSES

    load_demo()
    load_demo()
    codes = [row[0] for row in DEMO_COURSES]
    courses = db.session.scalars(select(Course).where(Course.code.in_(codes))).all()
    assert len(courses) == len(codes)
    assert all(course.status == CourseStatus.PUBLISHED and course.sessions for course in courses)
    page = client.get("/courses").get_data(as_text=True)
    assert all(course.title in page for course in courses)


def test_a_worker_is_created_in_a_unit_named_by_code_or_name_and_units_are_listed(app, db):
    from academy.orgs.models import OrgUnit
    from tests import factories

    community = factories.create_unit(parent=factories.subdistrict("110101016000"), name_zh="天坛东里北社区")
    db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["academy", "units", "--subdistrict", "天坛街道"])
    assert listed.exit_code == 0 and "天坛东里北社区" in listed.output and "110101016000" in listed.output
    assert "东华门街道" not in listed.output
    for phone, named in (("13300000011", "天坛东里北社区"), ("13300000012", str(community.id))):
        result = runner.invoke(args=["academy", "create-user", "--role", "worker", "--phone", phone, "--name", "命令行学员",
                                     "--password", "temple-of-heaven-walk", "--work-unit", named])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(User).where(User.phone == phone)).profile.work_unit_id == community.id
    unknown = runner.invoke(args=["academy", "create-user", "--role", "worker", "--phone", "13300000013",
                                  "--name", "某人", "--password", "temple-of-heaven-walk", "--work-unit", "不存在的社区"])
    assert unknown.exit_code != 0 and "academy units" in unknown.output
    assert db.session.scalar(select(User).where(User.phone == "13300000013")) is None
    assert db.session.get(OrgUnit, community.id) is not None
