from datetime import timedelta

import pytest
from sqlalchemy import func, select

from academy.core.querycount import count_queries
from academy.courses.models import Course, CourseSession, CourseStatus
from academy.extensions import db
from academy.core.i18n import local_today

START = local_today() + timedelta(days=45)


def course_form(make, **overrides):
    data = {
        "programme": str(make.programme("YUYAN").id),
        "code": "yuyan-2027-01",
        "title": "新入职社区工作者岗位入门",
        "summary": "社区治理与居民服务基础",
        "description": "## 课程目标\n\n熟悉**社区工作**规范。",
        "mode": "in_person",
        "venue": "东城区社会工作学院 301 教室",
        "credit_hours": "",
        "capacity": "40",
        "waitlist_enabled": "y",
        "enrol_opens_at": (START - timedelta(days=30)).isoformat() + "T09:00",
        "enrol_closes_at": (START - timedelta(days=2)).isoformat() + "T18:00",
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=6)).isoformat(),
        "approval": "programme",
        "min_qualification": "",
        "min_education": "",
        "prerequisite_codes": "",
        "min_attendance_rate": "80",
        "pass_mark": "",
    }
    data.update(overrides)
    return data


def session_form(day=START, **overrides):
    data = {"day": day if isinstance(day, str) else day.isoformat(), "start_time": "09:00", "end_time": "11:30", "topic": "社区治理概论",
            "venue": "", "instructor": "", "hours": ""}
    data.update(overrides)
    return data


def count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_instructor_creates_fills_and_publishes_a_course(client, make, login):
    instructor = make.create_instructor()
    login(instructor)
    response = client.post("/teach/courses/new", data=course_form(make))
    assert response.status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-01"))
    assert course.status == CourseStatus.DRAFT and course.instructors == [instructor]
    manage = client.get(f"/teach/courses/{course.id}").get_data(as_text=True)
    assert "请至少添加一个课次" in manage
    assert client.post(f"/teach/courses/{course.id}/sessions/new", data=session_form()).status_code == 302
    assert client.post(f"/teach/courses/{course.id}/sessions/new", data=session_form(
        START + timedelta(days=1), start_time="14:00", end_time="17:00", topic="居民服务实务")).status_code == 302
    db.session.refresh(course)
    assert str(course.credit_hours) == "5.5"
    assert client.post(f"/teach/courses/{course.id}/status/published").status_code == 302
    db.session.refresh(course)
    assert course.status == CourseStatus.PUBLISHED
    catalogue = client.get("/courses", query_string={"programme": "yuyan"}).get_data(as_text=True)
    assert "新入职社区工作者岗位入门" in catalogue


def test_publishing_too_early_shows_the_reasons(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(status=CourseStatus.DRAFT, sessions=0, instructors=[instructor], capacity=0)
    login(instructor)
    response = client.post(f"/teach/courses/{course.id}/status/published", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "请至少添加一个课次" in page and "容量至少为 1 个名额" in page
    db.session.refresh(course)
    assert course.status == CourseStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": (START - timedelta(days=1)).isoformat()}, "结束日期不能早于开始日期"),
        ({"capacity": "-1"}, "容量不能为负数"),
        ({"credit_hours": "2.3"}, "请以半小时为单位"),
        ({"credit_hours": "-2"}, "学时不能为负数"),
        ({"enrol_closes_at": (START + timedelta(days=1)).isoformat() + "T09:00"}, "报名须在课程开始前截止"),
        ({"enrol_closes_at": (START - timedelta(days=40)).isoformat() + "T09:00"}, "报名开始时间须早于截止时间"),
        ({"enrol_opens_at": ""}, "请同时填写报名开始和截止时间"),
        ({"prerequisite_codes": "NO-SUCH-COURSE, ALSO-MISSING"}, "没有以下代码的课程：NO-SUCH-COURSE, ALSO-MISSING"),
        ({"code": "bad code!"}, "只能使用大写字母、数字和连字符"),
        ({"title": ""}, "请输入课程名称"),
        ({"min_attendance_rate": "120"}, "请输入 0 到 100 之间的百分比"),
        ({"mode": "teleport"}, "选项无效"),
        ({"programme": "999999"}, "请选择培养计划"),
        ({"subdistricts": "999999"}, "选项无效"),
    ],
)
def test_bad_course_input_is_explained_and_nothing_is_written(client, make, login, overrides, message):
    login(make.create_instructor())
    before = count(Course)
    response = client.post("/teach/courses/new", data=course_form(make, **overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(Course) == before


def test_the_form_offers_the_kept_names_and_saves_the_rows_chosen(client, make, login):
    """Showing the course form reads no programme or subdistrict table (the choices are the kept reference
    names); the rows chosen are saved; a work unit is not a subdistrict to open a course to."""
    login(make.create_instructor())
    first, second = make.subdistrict("110101001000"), make.subdistrict("110101002000")
    client.get("/teach/courses/new")
    with count_queries(db.engine) as counter:
        page = client.get("/teach/courses/new").get_data(as_text=True)
    assert not [s for s in counter.statements if "FROM programmes" in s or "FROM org_units" in s], counter.statements
    assert f'<option value="{first.id}">{first.name_zh}</option>' in page
    community = make.create_unit()
    refused = client.post("/teach/courses/new", data=course_form(make, subdistricts=str(community.id)))
    assert refused.status_code == 200 and "选项无效" in refused.get_data(as_text=True) and count(Course) == 0
    assert client.post("/teach/courses/new", data=course_form(
        make, subdistricts=[str(second.id), str(first.id)])).status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-01"))
    assert course.programme.code == "YUYAN" and {unit.id for unit in course.subdistricts} == {first.id, second.id}


def test_duplicate_code_is_refused(client, make, login):
    make.create_course(code="TAKEN-01")
    login(make.create_instructor())
    response = client.post("/teach/courses/new", data=course_form(make, code="taken-01"))
    assert "该课程代码已被其他课程使用" in response.get_data(as_text=True)


def test_known_prerequisites_are_linked(client, make, login):
    first = make.create_course(code="BASE-01")
    login(make.create_instructor())
    client.post("/teach/courses/new", data=course_form(make, prerequisite_codes="base-01"))
    course = db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-01"))
    assert course.prerequisites == [first]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day": (START - timedelta(days=1)).isoformat()}, "课次不在课程日期范围内"),
        ({"end_time": "08:00"}, "课次结束时间须晚于开始时间"),
        ({"hours": "1.2"}, "请以半小时为单位"),
        ({"topic": ""}, "请输入课次主题"),
        ({"start_time": "10:00", "end_time": "11:00"}, "时间重叠"),
    ],
)
def test_bad_session_input_is_explained_and_nothing_is_written(client, make, login, overrides, message):
    instructor = make.create_instructor()
    course = make.create_course(status=CourseStatus.DRAFT, sessions=0, instructors=[instructor],
                                starts_on=START, ends_on=START + timedelta(days=3))
    login(instructor)
    client.post(f"/teach/courses/{course.id}/sessions/new", data=session_form(start_time="09:00", end_time="12:00"))
    before = count(CourseSession)
    response = client.post(f"/teach/courses/{course.id}/sessions/new", data=session_form(**overrides))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(CourseSession) == before


def test_session_edit_and_remove(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(sessions=2, instructors=[instructor])
    login(instructor)
    first, second = course.sessions
    day = first.local_date
    client.post(f"/teach/courses/{course.id}/sessions/{first.id}/edit",
                data=session_form(day, start_time="13:00", end_time="14:00", topic="改后的主题"))
    asked = client.post(f"/teach/courses/{course.id}/sessions/{second.id}/remove").get_data(as_text=True)
    assert "删除这次课？" in asked and "删除后课程共有 1 次课" in asked  # asks first, saying what it changes
    db.session.expire_all()
    assert len(course.sessions) == 2
    done = client.post(f"/teach/courses/{course.id}/sessions/{second.id}/remove", data={"confirmed": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert [(s.topic, str(s.hours)) for s in course.sessions] == [("改后的主题", "1.0")]
    assert str(course.credit_hours) == "1.0"
    assert "课程现有 1 次课" in done  # and says what it did


def test_a_session_with_attendance_marks_is_not_removed(client, make, login):
    from academy.attendance import operations as att
    from academy.attendance.models import Mark
    from academy.enrolment import operations as ops

    instructor = make.create_instructor()
    course = make.create_course(sessions=2, instructors=[instructor],
                                starts_on=local_today() - timedelta(days=5))
    enrolment = ops.enrol(course, make.create_worker(), by_staff=True)
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    db.session.commit()
    login(instructor)
    page = client.post(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/remove",
                       data={"confirmed": "yes"}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert len(course.sessions) == 2 and "这次课已有考勤记录" in page


def test_only_the_courses_instructors_and_administrators_may_change_it(client, make, login):
    owner, stranger = make.create_instructor(), make.create_instructor()
    course = make.create_course(status=CourseStatus.DRAFT, instructors=[owner])
    login(stranger)
    for path in (f"/teach/courses/{course.id}", f"/teach/courses/{course.id}/edit",
                 f"/teach/courses/{course.id}/sessions/new", f"/teach/courses/{course.id}/cancel",
                 f"/teach/courses/{course.id}/duplicate"):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/teach/courses/{course.id}/status/published").status_code == 403
    assert client.post(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/remove").status_code == 403
    client.post("/logout")
    login(make.create_admin())
    assert client.get(f"/teach/courses/{course.id}/edit").status_code == 200


@pytest.mark.parametrize("role", ["worker", "street_admin"])
def test_teaching_pages_are_for_staff_only(client, make, login, role):
    login(make.create_worker() if role == "worker" else make.create_street_admin())
    assert client.get("/teach/courses").status_code == 403
    assert client.get("/teach/courses/new").status_code == 403


def test_my_courses_lists_only_mine_for_an_instructor(client, make, login):
    me = make.create_instructor()
    make.create_course(title="我的课程", instructors=[me])
    make.create_course(title="别人的课程")
    login(me)
    page = client.get("/teach/courses").get_data(as_text=True)
    assert "我的课程" in page and "别人的课程" not in page


def test_cancel_through_the_ui_needs_a_reason(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor])
    login(instructor)
    empty = client.post(f"/teach/courses/{course.id}/cancel", data={"reason": ""})
    assert "请填写原因" in empty.get_data(as_text=True)
    client.post(f"/teach/courses/{course.id}/cancel", data={"reason": "场地维修"})
    db.session.refresh(course)
    assert course.status == CourseStatus.CANCELLED
    assert "场地维修" in client.get(f"/courses/{course.id}").get_data(as_text=True)


def test_duplicate_through_the_ui(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(sessions=2, instructors=[instructor])
    login(instructor)
    new_start = course.starts_on + timedelta(days=120)
    response = client.post(f"/teach/courses/{course.id}/duplicate",
                           data={"code": "next-01", "starts_on": new_start.isoformat()})
    assert response.status_code == 302
    copy = db.session.scalar(select(Course).where(Course.code == "NEXT-01"))
    assert copy.starts_on == new_start and len(copy.sessions) == 2 and copy.status == CourseStatus.DRAFT


def test_publishing_a_course_whose_enrolment_closed_asks_first(client, make, login):
    from datetime import timedelta

    from academy.core.models import now_utc

    instructor = make.create_instructor()
    login(instructor)
    course = make.create_course(status=CourseStatus.DRAFT, instructors=[instructor],
                                enrol_opens_at=now_utc() - timedelta(days=10), enrol_closes_at=now_utc() - timedelta(days=1))
    db.session.commit()
    asked = client.post(f"/teach/courses/{course.id}/status/published")
    assert asked.status_code == 200 and "报名已于" in asked.get_data(as_text=True)
    assert db.session.scalar(select(Course.status).where(Course.id == course.id)) == CourseStatus.DRAFT
    done = client.post(f"/teach/courses/{course.id}/status/published", data={"confirmed": "yes"})
    assert done.status_code == 302
    assert db.session.scalar(select(Course.status).where(Course.id == course.id)) == CourseStatus.PUBLISHED
