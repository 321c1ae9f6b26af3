"""Finding 11 of the pen test (issue 27): an instructor moved a published course with enrolments into
the past, added a past session, recorded attendance and finalised, issuing credit hours.

Placing a session in the past (adding one, moving one, duplicating into the past) and moving the dates
of a course people are enrolled in into the past are an administrator's, and audited."""
from datetime import date, timedelta

from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.core.i18n import LOCAL_TZ as PAST_TZ, local_today
from academy.courses.models import Course, CourseSession
from academy.enrolment import operations as ops
from academy.extensions import db
from tests.courses.test_manage_views import course_form, session_form
from tests.factories import local

PAST = local_today() - timedelta(days=3)


def enrolled_course(make, instructor):
    course = make.create_course(instructors=[instructor], sessions=2)
    ops.enrol(course, make.create_worker(), by_staff=True)
    db.session.commit()
    return course


def edit_form(make, course, **overrides):
    values = dict(programme=str(course.programme_id), code=course.code, title=course.title,
                  starts_on=course.starts_on.isoformat(), ends_on=course.ends_on.isoformat(),
                  instructors=[str(person.id) for person in course.instructors])
    values.update(overrides)
    starts_on = date.fromisoformat(values["starts_on"])
    values.update(enrol_opens_at=(starts_on - timedelta(days=40)).isoformat() + "T09:00",
                  enrol_closes_at=(starts_on - timedelta(days=2)).isoformat() + "T18:00")
    return course_form(make, **values)


def audit(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_an_instructor_cannot_move_an_enrolled_course_into_the_past(client, make, login):
    instructor = make.create_instructor()
    course = enrolled_course(make, instructor)
    before = (course.starts_on, course.ends_on)
    login(instructor)
    response = client.post(f"/teach/courses/{course.id}/edit",
                           data=edit_form(make, course, starts_on=PAST.isoformat(), ends_on=PAST.isoformat()))
    assert response.status_code == 200 and "只有管理员才能把其日期改到过去" in response.get_data(as_text=True)
    db.session.refresh(course)
    assert (course.starts_on, course.ends_on) == before and audit("course.backdate") == []


def test_an_instructor_may_still_move_an_enrolled_course_later_and_an_empty_one_anywhere(client, make, login):
    instructor = make.create_instructor()
    course = enrolled_course(make, instructor)
    empty = make.create_course(instructors=[instructor], sessions=0)
    login(instructor)
    later = course.ends_on + timedelta(days=7)
    assert client.post(f"/teach/courses/{course.id}/edit",
                       data=edit_form(make, course, ends_on=later.isoformat())).status_code == 302
    assert client.post(f"/teach/courses/{empty.id}/edit",
                       data=edit_form(make, empty, starts_on=PAST.isoformat(), ends_on=PAST.isoformat())).status_code == 302


def test_an_administrator_moves_an_enrolled_course_into_the_past_and_it_is_audited(client, make, login):
    course = enrolled_course(make, make.create_instructor())
    old_start = course.starts_on
    login(make.create_admin())
    response = client.post(f"/teach/courses/{course.id}/edit",
                           data=edit_form(make, course, starts_on=PAST.isoformat(), ends_on=course.ends_on.isoformat()))
    assert response.status_code == 302
    (event,) = audit("course.backdate")
    assert event.detail == {"starts_on": [old_start.isoformat(), PAST.isoformat()]} and event.object_id == course.id


def test_an_instructor_cannot_add_or_move_a_session_into_the_past(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor], sessions=1, starts_on=local_today() - timedelta(days=10))
    course.ends_on = local_today() + timedelta(days=10)
    db.session.commit()
    sessions_before = db.session.scalar(select(func.count(CourseSession.id)))
    login(instructor)
    for url in (f"/teach/courses/{course.id}/sessions/new",
                f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/edit"):
        response = client.post(url, data=session_form(day=PAST))
        assert response.status_code == 200 and "只有管理员才能添加过去的课次" in response.get_data(as_text=True), url
    assert db.session.scalar(select(func.count(CourseSession.id))) == sessions_before
    # an existing past session's topic may still be corrected: its time does not move
    first = course.sessions[0]
    day = first.starts_at.astimezone(PAST_TZ).date()
    response = client.post(f"/teach/courses/{course.id}/sessions/{first.id}/edit",
                           data=session_form(day=day, topic="更正后的主题"))
    assert response.status_code == 302


def test_an_administrator_adds_a_past_session_and_it_is_audited(client, make, login):
    course = make.create_course(sessions=1, starts_on=local_today() - timedelta(days=10))
    course.ends_on = local_today() + timedelta(days=10)
    db.session.commit()
    login(make.create_admin())
    assert client.post(f"/teach/courses/{course.id}/sessions/new", data=session_form(day=PAST)).status_code == 302
    (event,) = audit("course.session_backdate")
    assert event.object_id == course.id and event.detail["starts_at"] == local(PAST, 9).isoformat()


def test_an_instructor_cannot_duplicate_a_course_into_the_past(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor], sessions=2)
    before = db.session.scalar(select(func.count(Course.id)))
    login(instructor)
    response = client.post(f"/teach/courses/{course.id}/duplicate",
                           data={"code": "PAST-COPY", "starts_on": PAST.isoformat()})
    assert response.status_code == 200 and "只有管理员才能添加过去的课次" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Course.id))) == before
