from datetime import timedelta
from decimal import Decimal

import pytest

from academy.core.reasons import PREFIX, readable
from sqlalchemy import select

from academy.attendance import operations as att
from academy.attendance.models import AttendanceChange, Mark
from academy.core.errors import OperationError
from academy.enrolment import operations as ops
from academy.enrolment.models import EnrolmentStatus as S
from academy.extensions import db
from academy.notifications.models import Notification
from academy.core.i18n import local_today

PAST = local_today() - timedelta(days=20)


def past_course(make, sessions=5, **overrides):
    """A course whose sessions (3 hours each) all lie in the past."""
    return make.create_course(starts_on=PAST, sessions=sessions, **overrides)


def seated(make, course, count):
    enrolments = []
    for _ in range(count):
        enrolment = ops.enrol(course, make.create_worker(), by_staff=True)
        enrolments.append(enrolment)
    db.session.commit()
    return enrolments


def mark_all(course, enrolment, marks, actor):
    for session, mark in zip(course.sessions, marks):
        att.save_marks(session, {enrolment.id: mark}, actor=actor)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ([Mark.PRESENT] * 4 + [Mark.ABSENT], S.COMPLETED),             # exactly 80%: completes
        ([Mark.PRESENT] * 3 + [Mark.ABSENT] * 2, S.NOT_COMPLETED),    # 60%
        ([Mark.LATE, Mark.LEFT_EARLY] + [Mark.PRESENT] * 2 + [Mark.ABSENT], S.COMPLETED),  # late still attends
        ([Mark.PRESENT] * 3 + [Mark.EXCUSED, Mark.ABSENT], S.NOT_COMPLETED),  # excused leave is not attendance
    ],
)
def test_completion_follows_the_attendance_rule_at_its_boundary(make, marks, expected):
    instructor = make.create_instructor()
    course = past_course(make, instructors=[instructor])
    (enrolment,) = seated(make, course, 1)
    mark_all(course, enrolment, marks, instructor)
    att.finalise(course, actor=instructor)
    assert enrolment.status == expected
    rate = sum(m in (Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY) for m in marks) * 20
    assert enrolment.attendance_rate == Decimal(rate)
    assert enrolment.credited_hours == (course.credit_hours if expected == S.COMPLETED else 0)
    if expected == S.NOT_COMPLETED:
        assert f"{rate}.0%" in readable(enrolment.outcome_reason)


def test_finalising_twice_gives_no_second_credit(make):
    instructor = make.create_instructor()
    course = past_course(make, sessions=1)
    first, second = seated(make, course, 2)
    att.save_marks(course.sessions[0], {first.id: Mark.PRESENT, second.id: Mark.PRESENT}, actor=instructor)
    assert len(att.finalise(course, actor=instructor)) == 2
    assert att.finalise(course, actor=instructor) == []
    notes = db.session.scalars(select(Notification).where(Notification.kind == "completed")).all()
    assert len(notes) == 2
    assert [e.to_status for e in first.events].count(S.COMPLETED) == 1


def test_pass_mark_decides_too(make):
    instructor = make.create_instructor()
    course = past_course(make, sessions=1, pass_mark=Decimal("60"))
    good, weak, missing = seated(make, course, 3)
    att.save_marks(course.sessions[0], {e.id: Mark.PRESENT for e in (good, weak, missing)}, actor=instructor)
    att.finalise(course, actor=instructor, scores={good.id: Decimal("60"), weak.id: Decimal("59.5")})
    assert (good.status, weak.status, missing.status) == (S.COMPLETED, S.NOT_COMPLETED, S.NOT_COMPLETED)
    assert "59.5" in readable(weak.outcome_reason) and readable(missing.outcome_reason) == "No mark was given."


def test_corrections_are_recorded_with_who_and_why(make):
    instructor = make.create_instructor()
    course = past_course(make, sessions=1)
    (enrolment,) = seated(make, course, 1)
    session = course.sessions[0]
    att.save_marks(session, {enrolment.id: Mark.ABSENT}, actor=instructor)
    assert att.save_marks(session, {enrolment.id: Mark.ABSENT}, actor=instructor) == 0
    att.save_marks(session, {enrolment.id: Mark.EXCUSED}, actor=instructor, reason="补交了请假条")
    change = db.session.scalar(select(AttendanceChange))
    assert (change.from_mark, change.to_mark, change.reason, change.actor_id) == (
        Mark.ABSENT, Mark.EXCUSED, "补交了请假条", instructor.id)
    assert att.marks_of(session)[enrolment.id].mark == Mark.EXCUSED


def test_no_marks_before_a_session_starts_and_no_results_before_the_end(make):
    instructor = make.create_instructor()
    future = make.create_course(sessions=1)
    (enrolment,) = seated(make, future, 1)
    with pytest.raises(OperationError, match="once the session has started"):
        att.save_marks(future.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    with pytest.raises(OperationError, match="last session has ended"):
        att.finalise(future, actor=instructor)


def test_every_session_must_be_marked_before_finalising(make):
    instructor = make.create_instructor()
    course = past_course(make, sessions=2)
    (enrolment,) = seated(make, course, 1)
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    with pytest.raises(OperationError, match="1 without marks"):
        att.finalise(course, actor=instructor)


def test_marks_only_for_workers_of_the_course(make):
    instructor = make.create_instructor()
    course = past_course(make, sessions=1)
    other = seated(make, past_course(make, sessions=1), 1)[0]
    with pytest.raises(OperationError, match="not enrolled"):
        att.save_marks(course.sessions[0], {other.id: Mark.PRESENT}, actor=instructor)


def test_instructor_keeps_attendance_and_finalises_from_the_ui(client, make, login):
    instructor = make.create_instructor()
    course = past_course(make, sessions=2, instructors=[instructor])
    keen, absent = seated(make, course, 2)
    login(instructor)
    for session in course.sessions:
        page = client.get(f"/teach/courses/{course.id}/sessions/{session.id}/attendance").get_data(as_text=True)
        assert keen.worker.name in page
        assert f'<input checked class="form-check-input" id="mark_{absent.id}-0" name="mark_{absent.id}"' in page
        response = client.post(f"/teach/courses/{course.id}/sessions/{session.id}/attendance",
                               data={f"mark_{keen.id}": "present", f"mark_{absent.id}": "absent"})
        assert response.status_code == 302
    results = client.get(f"/teach/courses/{course.id}/results").get_data(as_text=True)
    assert "将结业" in results and "不能结业" in results and "0.0%" in results
    asked = client.post(f"/teach/courses/{course.id}/results").get_data(as_text=True)
    db.session.expire_all()
    assert (keen.status, absent.status) == (S.ENROLLED, S.ENROLLED)  # it asks first, saying what it will do
    assert 'id="confirm-finalise"' in asked and "1 人将结业" in asked and "1 人不能结业" in asked
    done = client.post(f"/teach/courses/{course.id}/results", data={"confirmed": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert (keen.status, absent.status) == (S.COMPLETED, S.NOT_COMPLETED)
    assert "结业结果已确认：1 人结业并获得证书，1 人未结业。" in done  # and reports what it did
    # stored as data, read in the reader's language
    assert absent.outcome_reason.startswith(PREFIX)
    assert "出勤率 0.0% 低于要求的 80%。" in client.get(f"/teach/courses/{course.id}/results").get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Attendance 0.0% is below the required 80%." in client.get(
        f"/teach/courses/{course.id}/results").get_data(as_text=True)


def test_only_the_courses_instructors_keep_its_attendance(client, make, login):
    course = past_course(make, sessions=1, instructors=[make.create_instructor()])
    login(make.create_instructor())
    assert client.get(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/attendance").status_code == 403
    assert client.post(f"/teach/courses/{course.id}/results").status_code == 403


def test_workers_see_their_own_marks_only(client, make, login):
    instructor = make.create_instructor()
    course = past_course(make, sessions=1)
    mine, theirs = seated(make, course, 2)
    att.save_marks(course.sessions[0], {mine.id: Mark.LATE, theirs.id: Mark.ABSENT}, actor=instructor)
    db.session.commit()
    login(mine.worker)
    page = client.get(f"/learning/{mine.id}").get_data(as_text=True)
    assert "迟到" in page
    assert client.get(f"/learning/{theirs.id}").status_code == 404
