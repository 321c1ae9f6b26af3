from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from academy.core.errors import OperationError
from academy.courses import operations
from academy.courses.models import CourseStatus, DeliveryMode
from academy.extensions import db
from academy.core.i18n import local_today
from tests.factories import local

START = local_today() + timedelta(days=60)


def new_course(make, actor, **overrides):
    values = dict(
        programme=make.programme("LINGYAN"), code="LINGYAN-2027-01", title="社区骨干项目管理", summary="",
        description="", mode=DeliveryMode.BLENDED, venue="东城区职工大学", credit_hours=0, hours_from_sessions=True,
        capacity=40, waitlist_enabled=True, enrol_opens_at=local(START - timedelta(days=30)),
        enrol_closes_at=local(START - timedelta(days=3), 18), starts_on=START, ends_on=START + timedelta(days=7),
        approval_required=None, min_qualification=None, min_education=None, min_attendance_rate=80,
        pass_mark=None, instructors=[], subdistricts=[], prerequisites=[],
    )
    values.update(overrides)
    return operations.create_course(actor=actor, **values)


@pytest.mark.parametrize(
    ("minutes", "hours"), [(60, "1"), (90, "1.5"), (140, "2"), (150, "2.5"), (29, "0"), (180, "3")]
)
def test_session_hours_follow_the_duration_in_half_hours(minutes, hours):
    start = local(START, 9)
    assert operations.duration_hours(start, start + timedelta(minutes=minutes)) == Decimal(hours)


def test_new_course_is_a_draft_with_its_creator_as_instructor_and_a_history(make):
    instructor = make.create_instructor()
    course = new_course(make, instructor)
    assert course.status == CourseStatus.DRAFT
    assert course.instructors == [instructor]
    assert [(event.from_status, event.to_status) for event in course.events] == [(None, CourseStatus.DRAFT)]


def test_approval_defaults_to_the_programme(make):
    admin = make.create_admin()
    touyan = new_course(make, admin, programme=make.programme("TOUYAN"), code="TOUYAN-1")
    yuyan = new_course(make, admin, programme=make.programme("YUYAN"), code="YUYAN-1")
    assert touyan.approval_required is True and yuyan.approval_required is False
    assert new_course(make, admin, code="YUYAN-2", approval_required=True).approval_required is True


def test_course_hours_are_the_sum_of_its_sessions_unless_set(make):
    admin = make.create_admin()
    course = new_course(make, admin)
    operations.save_session(course, None, actor=admin, starts_at=local(START, 9), ends_at=local(START, 11, 30),
                            topic="开班")
    second = operations.save_session(course, None, actor=admin, starts_at=local(START, 14),
                                     ends_at=local(START, 17), topic="案例", hours=Decimal("4"))
    assert course.credit_hours == Decimal("6.5")
    operations.remove_session(course, second, actor=admin)
    assert course.credit_hours == Decimal("2.5")
    operations.update_course(course, actor=admin, credit_hours=Decimal("10"), hours_from_sessions=False)
    operations.save_session(course, None, actor=admin, starts_at=local(START + timedelta(days=1), 9),
                            ends_at=local(START + timedelta(days=1), 12), topic="实务")
    assert course.credit_hours == Decimal("10")


def test_sessions_must_fall_inside_the_course_dates_and_end_after_they_start(make):
    admin = make.create_admin()
    course = new_course(make, admin)
    with pytest.raises(OperationError, match="outside the course dates"):
        operations.save_session(course, None, actor=admin, starts_at=local(START - timedelta(days=1)),
                                ends_at=local(START - timedelta(days=1), 12), topic="x")
    with pytest.raises(OperationError, match="end after it starts"):
        operations.save_session(course, None, actor=admin, starts_at=local(START, 12), ends_at=local(START, 9),
                                topic="x")
    assert course.sessions == []


def test_publishing_is_refused_with_every_reason(make):
    admin = make.create_admin()
    course = new_course(make, admin, capacity=0, enrol_opens_at=None, enrol_closes_at=None)
    problems = [str(problem) for problem in operations.publish_problems(course)]
    assert any("at least one session" in p for p in problems)
    assert any("capacity of at least one seat" in p for p in problems)
    assert any("more than zero credit hours" in p for p in problems)
    assert any("opens and closes" in p for p in problems)
    with pytest.raises(OperationError):
        operations.change_status(course, CourseStatus.PUBLISHED, actor=admin)
    assert course.status == CourseStatus.DRAFT


def test_publishing_needs_the_window_to_close_before_the_first_session(make):
    admin = make.create_admin()
    course = new_course(make, admin, enrol_closes_at=local(START, 10))
    operations.save_session(course, None, actor=admin, starts_at=local(START, 9), ends_at=local(START, 12),
                            topic="开班")
    assert [str(p) for p in operations.publish_problems(course)] == [
        "Enrolment must close before the first session starts."]
    operations.update_course(course, actor=admin, enrol_closes_at=local(START, 9))
    assert operations.publish_problems(course) == []
    operations.change_status(course, CourseStatus.PUBLISHED, actor=admin)
    assert course.status == CourseStatus.PUBLISHED


def test_lifecycle_is_recorded_and_ends_in_archive_or_cancellation(make):
    admin = make.create_admin()
    course = make.create_course(status=CourseStatus.PUBLISHED)
    operations.change_status(course, CourseStatus.CLOSED, actor=admin)
    operations.change_status(course, CourseStatus.ARCHIVED, actor=admin)
    with pytest.raises(OperationError):
        operations.change_status(course, CourseStatus.PUBLISHED, actor=admin)
    with pytest.raises(OperationError, match="can no longer be changed"):
        operations.update_course(course, actor=admin, title="改名")
    assert [event.to_status for event in course.events] == [CourseStatus.CLOSED, CourseStatus.ARCHIVED]


def test_cancelling_needs_a_reason_and_keeps_it(make):
    admin = make.create_admin()
    course = make.create_course()
    with pytest.raises(OperationError, match="reason"):
        operations.change_status(course, CourseStatus.CANCELLED, actor=admin, reason="  ")
    operations.change_status(course, CourseStatus.CANCELLED, actor=admin, reason="讲师临时出差")
    assert course.status == CourseStatus.CANCELLED and course.cancel_reason == "讲师临时出差"
    assert course.events[-1].reason == "讲师临时出差" and course.events[-1].actor_id == admin.id


def test_duplicate_moves_every_date_by_the_same_days(make):
    admin = make.create_admin()
    instructor = make.create_instructor()
    original = make.create_course(sessions=3, instructors=[instructor], min_attendance_rate=90)
    new_start = original.starts_on + timedelta(days=91)
    copy = operations.duplicate_course(original, actor=admin, code="NEXT-INTAKE", starts_on=new_start)
    assert copy.status == CourseStatus.DRAFT and copy.code == "NEXT-INTAKE"
    assert copy.ends_on - copy.starts_on == original.ends_on - original.starts_on
    assert copy.enrol_closes_at - original.enrol_closes_at == timedelta(days=91)
    assert [s.starts_at - o.starts_at for s, o in zip(copy.sessions, original.sessions)] == [timedelta(days=91)] * 3
    assert copy.instructors == [instructor] and copy.min_attendance_rate == 90
    assert copy.credit_hours == original.credit_hours
    assert operations.publish_problems(copy) == []


def test_the_schema_refuses_seats_above_capacity(make):
    course = make.create_course(capacity=2)
    course.seats_taken = 3
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_capacity_cannot_drop_below_the_seats_taken(make):
    admin = make.create_admin()
    course = make.create_course(capacity=10, seats_taken=6)
    with pytest.raises(OperationError, match="6 seats are already taken"):
        operations.update_course(course, actor=admin, capacity=5)


def test_overlapping_sessions_of_one_course_are_refused_and_touching_ones_are_not(make):
    admin = make.create_admin()
    course = new_course(make, admin)
    first = operations.save_session(course, None, actor=admin, starts_at=local(START, 9), ends_at=local(START, 12),
                                    topic="上午")
    db.session.commit()
    with pytest.raises(OperationError, match="overlaps the session of") as refused:
        operations.save_session(course, None, actor=admin, starts_at=local(START, 11), ends_at=local(START, 13),
                                topic="重叠")
    assert refused.value.field == "start_time"
    db.session.rollback()
    course = db.session.get(type(course), course.id)
    assert [s.topic for s in course.sessions] == ["上午"] and course.credit_hours == Decimal("3")
    operations.save_session(course, None, actor=admin, starts_at=local(START, 12), ends_at=local(START, 13),
                            topic="紧接")  # ends where the other starts: fine
    operations.save_session(course, db.session.get(type(first), first.id), actor=admin, starts_at=local(START, 8),
                            ends_at=local(START, 12), topic="上午")  # a session never overlaps itself
    assert course.credit_hours == Decimal("5")


def test_an_instructor_booked_twice_at_once_is_warned(make):
    admin, teacher = make.create_admin(), make.create_instructor()
    elsewhere = make.create_course(starts_on=START, sessions=0, instructors=[teacher])
    operations.save_session(elsewhere, None, actor=admin, starts_at=local(START, 9), ends_at=local(START, 12),
                            topic="别处")
    course = new_course(make, admin)
    course.instructors.append(teacher)
    clashing = operations.save_session(course, None, actor=admin, starts_at=local(START, 10),
                                       ends_at=local(START, 11), topic="冲突")
    assert [s.topic for s in operations.instructor_clashes(course, clashing)] == ["别处"]
    later = operations.save_session(course, None, actor=admin, starts_at=local(START, 14), ends_at=local(START, 15),
                                    topic="下午")
    assert operations.instructor_clashes(course, later) == []
