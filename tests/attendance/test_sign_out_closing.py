"""The optional sign-out scan: once a session's sign-out window has shut, the scheduler closes each check-in
left without its sign-out (present becomes left early, the reason stored as a code, audited), once. Time is
moved, never slept."""
from datetime import timedelta

from sqlalchemy import func, select

from academy.attendance import operations as att
from academy.attendance.checkin_operations import close_unsigned
from academy.attendance.models import AttendanceChange, AttendanceMark, AttendanceScan, Mark, ScanDirection
from academy.audit.models import AuditEvent
from academy.core.reasons import readable
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.jobs.scheduler import tick
from tests.attendance.test_checkin import clock, room, scan, token_for  # noqa: F401

IN, OUT = ScanDirection.IN, ScanDirection.OUT


def marks(session):
    return dict(db.session.execute(select(Enrolment.worker_id, AttendanceMark.mark)
                                   .join(Enrolment, Enrolment.id == AttendanceMark.enrolment_id)
                                   .where(AttendanceMark.session_id == session.id)).all())


def both_check_in_one_signs_out(app, room, login, clock):  # noqa: F811
    first = room["first"]
    room["course"].signout_scan = True
    db.session.commit()
    for index, worker in enumerate(room["workers"]):
        client = login(worker)
        assert scan(client, first, token_for(app, first)).status_code == 302
        if index == 0:
            clock.set(first.ends_at + timedelta(minutes=1))
            assert scan(client, first, token_for(app, first, OUT)).status_code == 302
            clock.set(first.starts_at - timedelta(minutes=5))
        client.post("/logout")
    return first


def test_a_check_in_without_sign_out_is_closed_once_the_window_shuts(app, room, login, clock):  # noqa: F811
    first = both_check_in_one_signs_out(app, room, login, clock)
    signed_out, forgot = room["workers"]
    closes = first.ends_at + timedelta(minutes=room["course"].checkin_closes_after)
    assert close_unsigned(closes) == 0  # the worker may still sign out
    db.session.commit()
    assert marks(first) == {signed_out.id: Mark.PRESENT, forgot.id: Mark.PRESENT}

    assert close_unsigned(closes + timedelta(seconds=1)) == 1
    db.session.commit()
    assert marks(first) == {signed_out.id: Mark.PRESENT, forgot.id: Mark.LEFT_EARLY}
    change = db.session.scalar(select(AttendanceChange))
    assert (change.from_mark, change.to_mark, change.actor_id) == (Mark.PRESENT, Mark.LEFT_EARLY, None)
    assert change.reason.startswith("§r:")  # stored as a code, read in the reader's language
    with app.test_request_context():
        assert readable(change.reason) == "截至 12:30 未扫码签退。"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attendance.close_unsigned"))
    assert event.actor_id is None and event.object_type == "attendance_scans"
    assert db.session.scalar(select(AttendanceScan.closed_at).where(AttendanceScan.closed_at.is_not(None))) is not None


def test_a_closed_check_in_is_never_closed_again_even_after_a_correction(app, room, login, clock):  # noqa: F811
    first = both_check_in_one_signs_out(app, room, login, clock)
    forgot = room["workers"][1]
    later = first.ends_at + timedelta(hours=2)
    assert close_unsigned(later) == 1
    db.session.commit()
    enrolment_id = db.session.scalar(select(Enrolment.id).where(Enrolment.worker_id == forgot.id))
    att.save_marks(first, {enrolment_id: Mark.PRESENT}, actor=room["instructor"], reason="在场，忘记签退", now=later)
    db.session.commit()
    assert close_unsigned(later + timedelta(hours=1)) == 0
    db.session.commit()
    assert marks(first)[forgot.id] == Mark.PRESENT
    assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 2


def test_the_scheduler_tick_closes_them(app, room, login, clock):  # noqa: F811
    first = both_check_in_one_signs_out(app, room, login, clock)
    counts = tick(first.ends_at + timedelta(hours=1))
    assert counts["sign_ins_closed"] == 1
    assert tick(first.ends_at + timedelta(hours=2))["sign_ins_closed"] == 0


def test_courses_without_a_sign_out_scan_are_left_alone(app, room, login, clock):  # noqa: F811
    first = room["first"]
    client = login(room["workers"][0])
    assert scan(client, first, token_for(app, first)).status_code == 302
    assert close_unsigned(first.ends_at + timedelta(days=1)) == 0
    db.session.commit()
    assert set(marks(first).values()) == {Mark.PRESENT}
    assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 0


def test_closing_after_finalisation_decides_the_result_again(app, room, login, clock):  # noqa: F811
    first, second = room["first"], room["second"]
    both_check_in_one_signs_out(app, room, login, clock)
    after = second.ends_at + timedelta(minutes=1)
    seats = dict(db.session.execute(select(Enrolment.worker_id, Enrolment.id)
                                    .where(Enrolment.course_id == room["course"].id)).all())
    att.save_marks(second, {seats[w.id]: Mark.PRESENT for w in room["workers"]}, actor=room["instructor"], now=after)
    att.finalise(room["course"], actor=room["instructor"], now=after)
    db.session.commit()
    assert close_unsigned(after) == 1
    db.session.commit()
    forgot = db.session.get(Enrolment, seats[room["workers"][1].id])
    assert forgot.status == EnrolmentStatus.COMPLETED  # left early still counts as attending
    redecided = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "result.redecide"))
    assert redecided.actor_id is None and redecided.object_id == forgot.id
    assert marks(first)[room["workers"][1].id] == Mark.LEFT_EARLY
