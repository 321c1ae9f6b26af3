from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from academy.auth.enums import Education, Qualification
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus
from academy.enrolment import operations as ops
from academy.enrolment import rules
from academy.enrolment.models import Enrolment, EnrolmentStatus as S
from academy.extensions import db
from academy.notifications.models import Notification


def statuses(course):
    rows = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id).order_by(Enrolment.id))
    return [row.status for row in rows]


def kinds(user):
    return [n.kind for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_enrol_takes_a_seat_records_the_event_and_tells_the_worker(make):
    course = make.create_course(capacity=2)
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker)
    assert enrolment.status == S.ENROLLED
    assert course.seats_taken == 1
    assert [(e.from_status, e.to_status, e.actor_id) for e in enrolment.events] == [(None, S.ENROLLED, worker.id)]
    assert kinds(worker) == ["enrolled"]


def test_full_course_waitlists_in_order_and_reports_positions(make):
    course = make.create_course(capacity=1)
    first, second, third = (make.create_worker() for _ in range(3))
    ops.enrol(course, first)
    w2, w3 = ops.enrol(course, second), ops.enrol(course, third)
    assert (w2.status, w3.status) == (S.WAITLISTED, S.WAITLISTED)
    assert (rules.waitlist_position(w2), rules.waitlist_position(w3)) == (1, 2)
    assert kinds(third) == ["waitlisted"]
    note = db.session.scalar(select(Notification).where(Notification.user_id == third.id))
    assert note.params["position"] == 2


def test_full_course_without_waitlist_refuses(make):
    course = make.create_course(capacity=1, waitlist_enabled=False)
    ops.enrol(course, make.create_worker())
    with pytest.raises(OperationError, match="full"):
        ops.enrol(course, make.create_worker())
    assert course.seats_taken == 1


def test_withdrawal_frees_the_seat_for_the_first_waiting_worker(make):
    course = make.create_course(capacity=1)
    holder, first, second = (make.create_worker() for _ in range(3))
    seat = ops.enrol(course, holder)
    w1, w2 = ops.enrol(course, first), ops.enrol(course, second)
    ops.withdraw(seat, actor=holder)
    assert (seat.status, w1.status, w2.status) == (S.WITHDRAWN, S.ENROLLED, S.WAITLISTED)
    assert rules.waitlist_position(w2) == 1
    assert course.seats_taken == 1
    assert kinds(first) == ["waitlisted", "promoted"]
    assert [e.to_status for e in w1.events] == [S.WAITLISTED, S.ENROLLED]


def test_a_withdrawal_with_nobody_waiting_gives_the_seat_back_without_loading_earlier_events(make):
    course = make.create_course(capacity=2)
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker)
    for _ in range(20):  # a long history: enrolled and withdrawn many times
        ops.withdraw(enrolment, actor=worker)
        ops.enrol(course, worker)
    db.session.commit()
    db.session.expire_all()
    enrolment = db.session.get(Enrolment, enrolment.id)
    ops.withdraw(enrolment, actor=worker)
    db.session.flush()
    assert "events" in inspect(enrolment).unloaded  # the 41 earlier events were never loaded
    assert course.seats_taken == 0
    assert len(enrolment.events) == 42 and enrolment.events[-1].to_status == S.WITHDRAWN


def test_raising_capacity_promotes_the_waiting_in_order(make):
    admin = make.create_admin()
    course = make.create_course(capacity=1)
    workers = [make.create_worker() for _ in range(4)]
    enrolments = [ops.enrol(course, worker) for worker in workers]
    course_ops.update_course(course, actor=admin, capacity=3)
    db.session.expire_all()
    assert [e.status for e in enrolments] == [S.ENROLLED, S.ENROLLED, S.ENROLLED, S.WAITLISTED]
    assert course.seats_taken == 3


def test_approval_courses_create_requests_and_approval_takes_the_seat(make):
    instructor = make.create_instructor()
    course = make.create_course("TOUYAN", capacity=1, approval_required=True)
    a, b = make.create_worker(), make.create_worker()
    request_a, request_b = ops.enrol(course, a), ops.enrol(course, b)
    assert (request_a.status, request_b.status, course.seats_taken) == (S.PENDING, S.PENDING, 0)
    ops.approve(request_a, actor=instructor)
    ops.approve(request_b, actor=instructor)
    assert (request_a.status, request_b.status, course.seats_taken) == (S.ENROLLED, S.WAITLISTED, 1)
    assert kinds(a) == ["pending", "approved"] and kinds(b) == ["pending", "waitlisted"]


def test_rejection_needs_a_reason_and_a_rejected_seat_goes_to_the_waitlist(make):
    admin = make.create_admin()
    course = make.create_course(capacity=1)
    holder, waiting = make.create_worker(), make.create_worker()
    seat, queued = ops.enrol(course, holder), ops.enrol(course, waiting)
    with pytest.raises(OperationError, match="reason"):
        ops.reject(seat, actor=admin, reason=" ")
    ops.reject(seat, actor=admin, reason="不符合岗位要求")
    assert (seat.status, queued.status) == (S.REJECTED, S.ENROLLED)
    assert seat.events[-1].reason == "不符合岗位要求" and seat.events[-1].actor_id == admin.id


def test_worker_withdraws_only_before_the_start_an_admin_any_time_with_a_reason(make):
    admin = make.create_admin()
    course = make.create_course(capacity=5)
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker)
    after_start = course.sessions[0].starts_at + timedelta(minutes=1)
    with pytest.raises(OperationError, match="started"):
        ops.withdraw(enrolment, actor=worker, now=after_start)
    with pytest.raises(OperationError, match="reason"):
        ops.withdraw(enrolment, actor=admin, reason="", now=after_start)
    ops.withdraw(enrolment, actor=admin, reason="工作调动", now=after_start)
    assert enrolment.status == S.WITHDRAWN and course.seats_taken == 0


def test_a_withdrawn_worker_can_enrol_again_and_history_is_kept(make):
    course = make.create_course(capacity=3)
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker)
    ops.withdraw(enrolment, actor=worker)
    again = ops.enrol(course, worker)
    assert again.id == enrolment.id
    assert [e.to_status for e in again.events] == [S.ENROLLED, S.WITHDRAWN, S.ENROLLED]
    assert course.seats_taken == 1


def test_enrolling_twice_is_refused(make):
    course = make.create_course()
    worker = make.create_worker()
    ops.enrol(course, worker)
    with pytest.raises(OperationError, match="Already enrolled"):
        ops.enrol(course, worker)
    assert course.seats_taken == 1


@pytest.mark.parametrize(
    ("course_overrides", "worker_overrides", "message"),
    [
        ({"status": CourseStatus.DRAFT}, {}, "not open for enrolment"),
        ({"status": CourseStatus.CANCELLED, "cancel_reason": "x"}, {}, "cancelled"),
        ({"enrol_opens_at": now_utc() + timedelta(days=1)}, {}, "not opened yet"),
        ({"enrol_closes_at": now_utc() - timedelta(minutes=1)}, {}, "has closed"),
        ({"min_qualification": Qualification.SOCIAL_WORKER}, {"qualification": Qualification.ASSISTANT},
         "qualification Social Worker or higher"),
        ({"min_education": Education.MASTER}, {"education": Education.BACHELOR}, "Master's degree or higher"),
        ({"min_education": Education.BACHELOR}, {"education": None}, "Bachelor's degree or higher"),
    ],
)
def test_every_refusal_is_named(make, course_overrides, worker_overrides, message):
    course = make.create_course(**course_overrides)
    worker = make.create_worker(**worker_overrides)
    option = rules.enrol_option(course, worker)
    assert option.action is None
    assert any(message in str(reason) for reason in option.reasons), option.reasons
    with pytest.raises(OperationError, match=message):
        ops.enrol(course, worker)
    assert statuses(course) == [] and course.seats_taken == 0


def test_subdistrict_and_prerequisite_rules_are_each_named(make):
    first = make.create_course(code="BASE-1", title="基础课")
    course = make.create_course(subdistricts=[make.subdistrict("110101016000")], prerequisites=[first])
    worker = make.create_worker()
    reasons = [str(r) for r in rules.enrol_option(course, worker).reasons]
    assert "The course is not open to your subdistrict." in reasons
    assert "Complete BASE-1 基础课 first." in reasons


def test_completed_prerequisite_opens_the_course(make):
    first = make.create_course(code="BASE-2")
    course = make.create_course(prerequisites=[first])
    worker = make.create_worker()
    enrolment = ops.enrol(first, worker)
    enrolment.status = S.COMPLETED
    db.session.flush()
    assert rules.enrol_option(course, worker).action == "enrol"


def test_option_tells_what_will_happen(make):
    worker = make.create_worker()
    assert rules.enrol_option(make.create_course(), worker).action == "enrol"
    assert rules.enrol_option(make.create_course(approval_required=True), worker).action == "request"
    full = make.create_course(capacity=1, seats_taken=1)
    assert rules.enrol_option(full, worker).action == "waitlist"
    assert str(rules.enrol_option(full, None).reasons[0]) == "Sign in as a social worker to enrol."


def test_staff_enrolment_skips_approval_and_window_but_not_eligibility(make):
    admin = make.create_admin()
    course = make.create_course(approval_required=True, enrol_closes_at=now_utc() - timedelta(hours=1),
                                min_qualification=Qualification.SENIOR)
    with pytest.raises(OperationError, match="Senior Social Worker"):
        ops.enrol(course, make.create_worker(), actor=admin, by_staff=True)
    senior = make.create_worker(qualification=Qualification.SENIOR)
    assert ops.enrol(course, senior, actor=admin, by_staff=True).status == S.ENROLLED


def test_cancelling_a_course_tells_everyone_holding_a_place(make):
    admin = make.create_admin()
    course = make.create_course(capacity=1)
    seated, waiting, gone = make.create_worker(), make.create_worker(), make.create_worker()
    ops.enrol(course, seated)
    ops.enrol(course, waiting)
    ops.withdraw(ops.enrol(make.create_course(), gone), actor=gone)
    course_ops.change_status(course, CourseStatus.CANCELLED, actor=admin, reason="场地不可用")
    assert kinds(seated)[-1] == "course_cancelled" and kinds(waiting)[-1] == "course_cancelled"
    assert "course_cancelled" not in kinds(gone)
