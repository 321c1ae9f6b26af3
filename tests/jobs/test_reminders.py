"""Reminders: each kind at its time, once however often the scheduler runs, never for something that
changed meanwhile, and not to a user who turned an optional kind off."""
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import func, select

from academy.core.i18n import LOCAL_TZ, local_today
from academy.core.models import now_utc
from academy.courses.models import CourseStatus, DeliveryMode
from academy.enrolment import operations as enrolment_ops
from academy.enrolment.models import EnrolmentStatus
from academy.extensions import db
from academy.jobs.models import OutboxMessage, SentReminder
from academy.jobs.reminders import run_reminders, sms_text
from academy.jobs.scheduler import tick
from academy.notifications.models import Notification
from academy.notifications.operations import message
from academy.partners.models import Agreement, AgreementType
from academy.progress.models import CeStanding, ExternalRecord


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


def _notes(user, kind):
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user.id,
                                                                       Notification.kind == f"reminder_{kind}"))


def test_a_session_tomorrow_is_reminded_the_evening_before_once_and_not_to_the_withdrawn(make):
    starts = local_today() + timedelta(days=10)
    course = make.create_course(starts_on=starts, title="社区治理与社会工作实务" * 4)
    stays = make.create_worker(email="stays@example.cn")
    leaves = make.create_worker(email="leaves@example.cn")
    for worker in (stays, leaves):
        enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    eve = starts - timedelta(days=1)
    assert run_reminders(_at(eve, 17, 59))["session_tomorrow"] == 0  # before 18:00
    leaving = db.session.scalar(select(enrolment_ops.Enrolment).where(enrolment_ops.Enrolment.worker_id == leaves.id))
    enrolment_ops.withdraw(leaving, actor=leaves)
    db.session.commit()
    assert run_reminders(_at(eve, 18, 5))["session_tomorrow"] == 1
    assert run_reminders(_at(eve, 21, 0))["session_tomorrow"] == 0  # the scheduler again: nothing twice
    assert (_notes(stays, "session_tomorrow"), _notes(leaves, "session_tomorrow")) == (1, 0)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == stays.id)).all()
    email = next(m for m in mails if m.channel == "email")
    sms = next(m for m in mails if m.channel == "sms")
    assert "09:00" in email.body_text and "/jobs/reminders" in email.body_text and "/jobs/reminders" in email.body_html
    assert len(sms.body_text) <= 70 and "09:00" in sms.body_text
    assert db.session.scalar(select(func.count(SentReminder.id))) == 1


def test_an_online_session_is_reminded_with_where_its_meeting_link_appears_not_an_empty_venue(app, make):
    starts = local_today() + timedelta(days=10)
    course = make.create_course("YUXIN", starts_on=starts, mode=DeliveryMode.ONLINE, venue=None,
                                meeting_url="https://meeting.tencent.com/dm/abc123")
    course.sessions[0].venue = None
    worker = make.create_worker(email="online@example.cn")
    enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    assert run_reminders(_at(starts - timedelta(days=1), 18, 5))["session_tomorrow"] == 1
    note = db.session.scalar(select(Notification).where(Notification.user_id == worker.id,
                                                        Notification.kind.like("reminder_%")))
    assert note.kind == "reminder_session_tomorrow_online"
    minutes = app.config["MEETING_SHOWN_BEFORE_MINUTES"]
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == worker.id,
                                                          OutboxMessage.channel == "email",
                                                          OutboxMessage.kind == note.kind))
    assert f"线上上课，会议链接将于开始前 {minutes} 分钟显示在课程页面" in email.body_text  # the worker's language
    with force_locale("en"):
        assert str(message(note)).endswith(f"the meeting link is on the course page from {minutes} minutes before.")
    assert db.session.scalar(select(func.count(SentReminder.id))) == 1  # still the one kind, for opting out


def test_a_cancelled_course_sends_no_reminder(make):
    starts = local_today() + timedelta(days=10)
    course = make.create_course(starts_on=starts)
    enrolment_ops.enrol(course, make.create_worker(), by_staff=True)
    course.status = CourseStatus.CANCELLED
    db.session.commit()
    assert run_reminders(_at(starts - timedelta(days=1), 19))["session_tomorrow"] == 0


def test_a_user_who_turned_a_reminder_off_gets_none(client, make, login):
    starts = local_today() + timedelta(days=10)
    course = make.create_course(starts_on=starts)
    worker = make.create_worker()
    enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    login(worker)
    page = client.get("/jobs/reminders").get_data(as_text=True)
    assert 'name="session_tomorrow"' in page and "checked" in page
    client.post("/jobs/reminders", data={"enrolment_closing": "y", "ce_at_risk": "y"})
    assert run_reminders(_at(starts - timedelta(days=1), 19))["session_tomorrow"] == 0
    client.post("/jobs/reminders", data={"session_tomorrow": "y"})
    assert run_reminders(_at(starts - timedelta(days=1), 19))["session_tomorrow"] == 1


def test_enrolment_closing_reminds_waiting_workers_only(make):
    course = make.create_course(capacity=1, starts_on=local_today() + timedelta(days=10))
    seated, waiting, gone = make.create_worker(), make.create_worker(), make.create_worker()
    for worker in (seated, waiting, gone):
        enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    waits = {e.worker_id: e for e in db.session.scalars(select(enrolment_ops.Enrolment).where(
        enrolment_ops.Enrolment.course_id == course.id))}
    assert waits[waiting.id].status == EnrolmentStatus.WAITLISTED
    enrolment_ops.withdraw(waits[gone.id], actor=gone)
    db.session.commit()
    closes = course.enrol_closes_at
    assert run_reminders(closes - timedelta(days=3))["enrolment_closing"] == 0  # not yet within 48 hours
    assert run_reminders(closes - timedelta(hours=30))["enrolment_closing"] == 1
    assert run_reminders(closes - timedelta(hours=2))["enrolment_closing"] == 0
    assert [_notes(w, "enrolment_closing") for w in (seated, waiting, gone)] == [0, 1, 0]


def test_continuing_education_at_risk_is_reminded_monthly(make):
    worker = make.create_worker()
    today = local_today()
    db.session.merge(CeStanding(worker_id=worker.id, applicable=True, period_start=today - timedelta(days=700),
                                period_end=today + timedelta(days=60), required=Decimal("30"), done=Decimal("12"),
                                refreshed_at=now_utc()))
    db.session.commit()
    now = _at(today.replace(day=1), 10)
    assert run_reminders(now)["ce_at_risk"] == 1
    assert run_reminders(now + timedelta(days=20))["ce_at_risk"] == 0  # once a month
    assert run_reminders(now + timedelta(days=32))["ce_at_risk"] == 1  # the next month
    db.session.get(CeStanding, worker.id).done = Decimal("30")  # caught up meanwhile
    db.session.commit()
    assert run_reminders(now + timedelta(days=64))["ce_at_risk"] == 0


def test_agreements_expiring_remind_the_administrators_at_90_and_30_days(make):
    admins = [make.create_admin(), make.create_admin()]
    today = local_today()
    agreement = Agreement(title="合作框架协议", type=AgreementType.FRAMEWORK, signed_on=today - timedelta(days=300),
                          effective_to=today + timedelta(days=60))
    db.session.add(agreement)
    db.session.commit()
    assert run_reminders(_at(today, 9))["agreement_expiring"] == len(admins) + _other_admins(admins)
    assert run_reminders(_at(today + timedelta(days=1), 9))["agreement_expiring"] == 0
    assert run_reminders(_at(today + timedelta(days=31), 9))["agreement_expiring"] == len(admins) + _other_admins(admins)
    agreement.terminated_on = today
    db.session.commit()
    assert run_reminders(_at(today + timedelta(days=45), 9))["agreement_expiring"] == 0


def _other_admins(mine) -> int:
    from academy.auth.models import User
    from academy.core.permissions import Role

    return db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN, User.active.is_(True))) - len(mine)


def test_records_waiting_past_their_deadline_remind_the_reviewers_once(make):
    admin = make.create_admin()
    worker = make.create_worker()
    record = ExternalRecord(worker_id=worker.id, kind="training", title="院外培训", institution="机构",
                            hours=Decimal("4"), ended_on=local_today())
    db.session.add(record)
    db.session.commit()
    record.created_at = now_utc() - timedelta(days=20)
    db.session.commit()
    assert run_reminders()["verification_overdue"] >= 1 and _notes(admin, "verification_overdue") == 1
    assert run_reminders()["verification_overdue"] == 0


def test_the_tick_sends_reminders_and_delivers_the_outbox(make):
    starts = local_today() + timedelta(days=10)
    course = make.create_course(starts_on=starts)
    enrolment_ops.enrol(course, make.create_worker(), by_staff=True)  # no e-mail: an SMS only
    db.session.commit()
    counts = tick(_at(starts - timedelta(days=1), 18, 30).astimezone(LOCAL_TZ))
    assert counts["session_tomorrow"] == 1 and counts["messages_sent"] >= 1


def test_sms_texts_fit_in_70_characters():
    assert len(sms_text("session_tomorrow", "长" * 200, time="09:00")) == 70
    assert sms_text("session_tomorrow", "伦理", time="09:00").endswith("《伦理》，请准时参加。")


def test_qualification_certificates_waiting_past_their_deadline_remind_the_reviewers_once(make):
    from academy.qualifications.models import QualificationRecord, RecordStatus

    admin = make.create_admin()
    worker = make.create_worker()
    record = QualificationRecord(worker_id=worker.id, level="social_worker", certificate_no="ZJ2020110101",
                                 exam_year=2020, issuing_authority="民政部")
    db.session.add(record)
    db.session.commit()
    assert run_reminders()["qualification_overdue"] == 0  # within its deadline
    record.created_at = now_utc() - timedelta(days=20)
    db.session.commit()
    assert run_reminders()["qualification_overdue"] >= 1 and _notes(admin, "qualification_overdue") == 1
    assert run_reminders()["qualification_overdue"] == 0
    other = QualificationRecord(worker_id=make.create_worker().id, level="assistant", certificate_no="ZJ2021110102",
                                exam_year=2021, issuing_authority="民政部", status=RecordStatus.VERIFIED)
    db.session.add(other)
    db.session.commit()
    other.created_at = now_utc() - timedelta(days=30)
    db.session.commit()
    assert run_reminders()["qualification_overdue"] == 0  # decided: nothing to remind


def test_the_e_mails_one_click_link_turns_the_kind_off_after_a_confirmation(client, make):
    from academy.jobs.reminders import opted_out_kinds, stop_token

    starts = local_today() + timedelta(days=10)
    course = make.create_course(starts_on=starts)
    worker = make.create_worker(email="w@example.cn")
    enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    run_reminders(_at(starts - timedelta(days=1), 19))
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == worker.id,
                                                          OutboxMessage.channel == "email"))
    link = f"/jobs/reminders/stop/{stop_token(worker.id, 'session_tomorrow')}"
    assert link in email.body_text and link in email.body_html
    assert "不再接收" in client.get(link).get_data(as_text=True)  # signed out: a page to confirm, nothing changed
    assert opted_out_kinds(worker.id) == set()
    client.post(link)
    assert opted_out_kinds(worker.id) == {"session_tomorrow"}
    assert client.get(link[:-3] + "xyz").status_code == 404  # a forged link
    assert client.get(f"/jobs/reminders/stop/{stop_token(worker.id, 'agreement_expiring')}").status_code == 404


def test_the_in_process_scheduler_ticks_until_stopped(app, monkeypatch):
    import threading

    from academy.jobs import scheduler

    ticks = threading.Semaphore(0)
    monkeypatch.setattr(scheduler, "tick", lambda now=None: ticks.release())
    thread = scheduler.start_in_process(app, every=0.01)
    assert scheduler.start_in_process(app) is None  # once per process
    assert ticks.acquire(timeout=10) and ticks.acquire(timeout=10)
    scheduler.stop_in_process()
    thread.join(10)
    assert not thread.is_alive()
