"""Reasons the system writes are stored as data and read in the reader's language; a person's words are
shown as typed; a withdrawal notice names its reason as one."""
import pytest
from flask_babel import force_locale
from sqlalchemy import select

from academy.core import reasons
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.notifications.models import Notification
from academy.notifications.operations import message


def test_a_coded_reason_reads_in_each_language(app):
    stored = reasons.coded("attendance_below", rate="60.0", required=80)
    with app.test_request_context():
        with force_locale("zh"):
            assert reasons.readable(stored) == "出勤率 60.0% 低于要求的 80%。"
        with force_locale("en"):
            assert reasons.readable(stored) == "Attendance 60.0% is below the required 80%."


def test_a_persons_words_an_unknown_code_and_a_nested_reason(app):
    with app.test_request_context(), force_locale("en"):
        assert reasons.readable("家中有事") == "家中有事"
        assert reasons.readable(reasons.PREFIX + '["gone", {}]') == reasons.PREFIX + '["gone", {}]'
        assert reasons.readable(reasons.PREFIX + "not json") == reasons.PREFIX + "not json"
        nested = reasons.coded("attendance_corrected", reason="请假改为出勤")
        assert reasons.readable(nested) == "Attendance corrected: 请假改为出勤"
        assert reasons.readable(None) is None
    with pytest.raises(ValueError):
        reasons.coded("no such reason")


def test_a_withdrawal_notice_names_its_reason_and_says_nothing_more_without_one(app, make):
    course = make.create_course(title="社区治理")
    admin = make.create_admin()
    with_reason, without = make.create_worker(), make.create_worker()
    for worker, reason in ((with_reason, "重复报名"), (without, None)):
        enrolment = ops.enrol(course, worker)
        ops.withdraw(enrolment, actor=admin if reason else worker, reason=reason)
    db.session.commit()
    notes = {n.user_id: n for n in db.session.scalars(select(Notification).where(Notification.kind == "withdrawn"))}
    with app.test_request_context():
        with force_locale("zh"):
            assert message(notes[with_reason.id]) == "您已退出《社区治理》。原因：重复报名"
            assert message(notes[without.id]) == "您已退出《社区治理》。"
        with force_locale("en"):
            assert message(notes[with_reason.id]) == "You are withdrawn from 社区治理. Reason: 重复报名"
