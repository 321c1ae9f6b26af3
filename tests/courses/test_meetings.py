"""An online course's meeting (link, number, password) reaches its enrolled workers around each session and
nobody else: not other workers, not visitors, not the page kept for visitors."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from academy.core.models import now_utc
from academy.core.pagecache import clear_page_cache
from academy.courses.models import Course, CourseSession, DeliveryMode
from academy.enrolment import operations as ops
from academy.extensions import db
from tests.courses.test_manage_views import course_form

NUMBER, PASSWORD, LINK = "800 123 456", "7788", "https://meeting.tencent.com/dm/abc123"


@pytest.fixture
def online(make):
    instructor = make.create_instructor()
    course = make.create_course("YUXIN", mode=DeliveryMode.ONLINE, venue=None, meeting_url=LINK,
                                meeting_number=NUMBER, meeting_password=PASSWORD, instructors=[instructor])
    return course, instructor


def _at(course, minutes_from_now):
    """Move the course's session to start that many minutes from now (an hour long)."""
    session = course.sessions[0]
    session.starts_at = now_utc() + timedelta(minutes=minutes_from_now)
    session.ends_at = session.starts_at + timedelta(hours=1)
    db.session.commit()


def _shown(page):
    return NUMBER in page and PASSWORD in page and LINK in page


def test_the_window_runs_from_before_the_start_to_the_end(online):
    course, _ = online
    start = course.sessions[0].starts_at
    before = timedelta(minutes=30)
    assert course.session_to_join(start - timedelta(minutes=31), before) is None
    assert course.session_to_join(start - timedelta(minutes=30), before) is course.sessions[0]
    assert course.session_to_join(course.sessions[0].ends_at, before) is course.sessions[0]
    assert course.session_to_join(course.sessions[0].ends_at + timedelta(seconds=1), before) is None


def test_an_enrolled_worker_sees_it_near_a_session_and_not_before(client, make, login, online):
    course, _ = online
    worker = make.create_worker()
    ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    login(worker)
    _at(course, 120)
    early = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert not _shown(early) and "分钟显示在此" in early
    _at(course, 10)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert _shown(page) and 'rel="noopener noreferrer"' in page


def test_nobody_else_sees_it(app, client, make, login, online):
    course, _ = online
    _at(course, 10)
    clear_page_cache()
    anonymous = app.test_client().get(f"/courses/{course.id}").get_data(as_text=True)
    kept = app.test_client().get(f"/courses/{course.id}").get_data(as_text=True)  # served from the kept page
    assert not _shown(anonymous) and not _shown(kept) and "已报名学员可在此获取会议链接" in anonymous
    stranger = make.create_worker()
    waiting = make.create_worker()
    login(stranger)
    assert not _shown(client.get(f"/courses/{course.id}").get_data(as_text=True))
    course.capacity = course.seats_taken  # full: the next one waits
    db.session.commit()
    ops.enrol(course, waiting, by_staff=True)
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"phone": waiting.phone, "password": make.DEFAULT_PASSWORD})
    assert not _shown(other.get(f"/courses/{course.id}").get_data(as_text=True))


def test_the_instructor_sees_it_any_time(client, make, login, online):
    course, instructor = online
    _at(course, 60 * 24)
    login(instructor)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert _shown(page) and "分钟起可见" in page


def _online_form(make, **overrides):
    return course_form(make, **{"mode": "online", "venue": "", "meeting_url": LINK, "meeting_number": NUMBER,
                                "meeting_password": PASSWORD, **overrides})


def test_an_instructor_sets_the_meeting_on_the_course_form(client, make, login):
    login(make.create_instructor())
    assert client.post("/teach/courses/new", data=_online_form(make)).status_code == 302
    course = db.session.scalar(select(Course).where(Course.code == "YUYAN-2027-01"))
    assert (course.meeting_url, course.meeting_number, course.meeting_password) == (LINK, NUMBER, PASSWORD)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"meeting_url": "", "meeting_number": ""}, "线上课程没有上课地点，请填写会议链接或会议号"),
    ({"meeting_url": "javascript:alert(1)"}, "请填写以 https:// 开头的会议网址"),
    ({"meeting_url": "https://x.cn/\"onmouseover=alert(1)"}, "请填写以 https:// 开头的会议网址"),
    ({"meeting_number": "12ab34"}, "会议号由数字组成"),
])
def test_bad_meeting_input_is_explained_and_nothing_is_written(client, make, login, overrides, message):
    login(make.create_instructor())
    before = db.session.scalar(select(func.count(Course.id)))
    response = client.post("/teach/courses/new", data=_online_form(make, **overrides))
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Course.id))) == before


def test_a_course_in_person_needs_no_meeting(client, make, login):
    login(make.create_instructor())
    assert client.post("/teach/courses/new", data=course_form(make)).status_code == 302


def test_the_sessions_stay_their_own(online):
    course, _ = online
    course.sessions.append(CourseSession(starts_at=now_utc() + timedelta(days=3), ends_at=now_utc() + timedelta(
        days=3, hours=2), topic="第二讲", hours=Decimal("2")))
    db.session.commit()
    _at(course, 5)
    assert course.session_to_join(now_utc(), timedelta(minutes=30)) is course.sessions[0]
