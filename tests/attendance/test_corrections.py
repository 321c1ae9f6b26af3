"""A correction of attendance after the results were finalised decides the result again by the
course's rule, and everything that follows from a result follows: hours, certificates, the learning
record and continuing-education standing, the reports, the worker's notices and the audit trail."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.audit.models import AuditEvent
from academy.certificates.models import Certificate
from academy.core.i18n import local_today
from academy.core.reasons import readable
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentEvent
from academy.enrolment.models import EnrolmentStatus as S
from academy.extensions import db
from academy.notifications.models import Notification
from academy.progress.models import CeStanding
from tests.reports.test_tallies import assert_current

PAST = local_today() - timedelta(days=20)


def _finalised(make, marks):
    """A past course of five 3-hour sessions, one worker marked as given, results finalised."""
    instructor = make.create_instructor()
    course = make.create_course(starts_on=PAST, sessions=5, instructors=[instructor])
    enrolment = ops.enrol(course, make.create_worker(), by_staff=True)
    for session, mark in zip(course.sessions, marks):
        att.save_marks(session, {enrolment.id: mark}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    return course, enrolment, instructor


def _live_certificates(enrolment) -> list:
    return db.session.scalars(select(Certificate).where(
        Certificate.worker_id == enrolment.worker_id, Certificate.revoked_at.is_(None))).all()


def _kinds(enrolment) -> list[str]:
    return [kind for (kind,) in db.session.execute(
        select(Notification.kind).where(Notification.user_id == enrolment.worker_id).order_by(Notification.id))]


def test_excused_leave_corrected_to_present_completes_the_course(make):
    course, enrolment, instructor = _finalised(make, [Mark.PRESENT] * 3 + [Mark.EXCUSED, Mark.ABSENT])
    assert enrolment.status == S.NOT_COMPLETED and not _live_certificates(enrolment)
    att.save_marks(course.sessions[3], {enrolment.id: Mark.PRESENT}, actor=instructor, reason="请假条有误")
    db.session.commit()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert enrolment.status == S.COMPLETED
    assert enrolment.attendance_rate == Decimal("80.0") and enrolment.outcome_reason is None
    assert enrolment.credited_hours == course.credit_hours
    assert [cert.course_id for cert in _live_certificates(enrolment)] == [course.id]
    assert db.session.get(CeStanding, enrolment.worker_id).done == course.credit_hours
    assert _kinds(enrolment)[-1] == "completed"
    event = db.session.scalars(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id == enrolment.id)
                               .order_by(EnrolmentEvent.id.desc())).first()
    assert (event.from_status, event.to_status, event.actor_id) == (S.NOT_COMPLETED, S.COMPLETED, instructor.id)
    assert "请假条有误" in event.reason
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "result.redecide")).one()
    assert audit.detail["from"] == "not_completed" and audit.detail["to"] == "completed"
    assert_current()  # the reports follow


def test_present_corrected_to_absent_withdraws_the_completion(make):
    course, enrolment, instructor = _finalised(make, [Mark.PRESENT] * 4 + [Mark.ABSENT])
    assert enrolment.status == S.COMPLETED
    (certificate,) = _live_certificates(enrolment)
    assert db.session.get(CeStanding, enrolment.worker_id).done == course.credit_hours
    att.save_marks(course.sessions[0], {enrolment.id: Mark.ABSENT}, actor=instructor, reason="代签")
    db.session.commit()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert enrolment.status == S.NOT_COMPLETED and enrolment.credited_hours == 0
    assert enrolment.attendance_rate == Decimal("60.0") and "60.0%" in readable(enrolment.outcome_reason)
    assert _live_certificates(enrolment) == []
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.revoked_at is not None and "代签" in revoked.revoke_reason  # kept, with why
    assert db.session.get(CeStanding, enrolment.worker_id).done == 0
    assert _kinds(enrolment)[-1] == "not_completed"
    assert_current()


def test_deciding_again_both_ways_issues_a_new_certificate_beside_the_revoked_one(make):
    course, enrolment, instructor = _finalised(make, [Mark.PRESENT] * 4 + [Mark.ABSENT])
    att.save_marks(course.sessions[0], {enrolment.id: Mark.ABSENT}, actor=instructor, reason="代签")
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor, reason="核实后恢复")
    db.session.commit()
    assert db.session.get(Enrolment, enrolment.id).status == S.COMPLETED
    certificates = db.session.scalars(select(Certificate).where(Certificate.worker_id == enrolment.worker_id)
                                      .order_by(Certificate.id)).all()
    assert [cert.revoked_at is None for cert in certificates] == [False, True]
    assert certificates[1].serial != certificates[0].serial and certificates[1].hours == course.credit_hours
    assert_current()


def test_a_correction_that_keeps_the_outcome_updates_the_rate_only(make):
    course, enrolment, instructor = _finalised(make, [Mark.PRESENT] * 5)
    att.save_marks(course.sessions[4], {enrolment.id: Mark.ABSENT}, actor=instructor, reason="早退未记")
    db.session.commit()
    enrolment = db.session.get(Enrolment, enrolment.id)
    assert enrolment.status == S.COMPLETED and enrolment.attendance_rate == Decimal("80.0")
    assert len(_live_certificates(enrolment)) == 1 and _kinds(enrolment).count("completed") == 1
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "result.redecide")).one()
    assert audit.detail["from"] == audit.detail["to"] == "completed"


def test_the_results_page_shows_the_corrected_result(client, make, login):
    course, enrolment, instructor = _finalised(make, [Mark.PRESENT] * 3 + [Mark.EXCUSED, Mark.ABSENT])
    login(instructor)
    session = course.sessions[3]
    sheet = client.get(f"/teach/courses/{course.id}/sessions/{session.id}/attendance")
    assert sheet.status_code == 200
    field = f"mark_{enrolment.id}"
    response = client.post(f"/teach/courses/{course.id}/sessions/{session.id}/attendance",
                           data={field: Mark.PRESENT.value, "reason": "请假条有误"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "未结业" not in page
    assert db.session.scalar(select(Enrolment.status).where(Enrolment.id == enrolment.id)) == S.COMPLETED


def test_a_future_sessions_sheet_is_read_only_and_says_why(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(sessions=2, instructors=[instructor])  # starts in 30 days
    ops.enrol(course, make.create_worker(), by_staff=True)
    db.session.commit()
    login(instructor)
    page = client.get(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/attendance").get_data(as_text=True)
    assert "本课次尚未开始" in page and "<fieldset disabled>" in page
    results = client.get(f"/teach/courses/{course.id}/results").get_data(as_text=True)
    assert "未开始" in results and "0.0%" not in results
