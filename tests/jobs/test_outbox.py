"""Every e-mail and SMS goes through the outbox: a request that causes one succeeds with the mail server
down, the message waits (backoff) and is delivered exactly once when the server is back; a real local SMTP
server (aiosmtpd) receives it, as text and HTML, in the recipient's language. SMS through the adapter."""
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from academy.core.models import now_utc
from academy.enrolment import operations as enrolment_ops
from academy.extensions import db
from academy.jobs import channels
from academy.jobs.models import OutboxMessage, OutboxStatus
from academy.jobs.outbox import deliver_due, pause_after, queue_email, queue_sms


class Received:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    handler = Received()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    yield controller, handler
    try:
        controller.stop()
    except Exception:  # stopped by the test already
        pass


def _message(message_id):
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_server_down_then_up_the_message_is_delivered_once(client, make, login, smtp):
    controller, received = smtp
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor], title="社会工作伦理")
    worker = make.create_worker(email="li@example.cn", locale="en")
    enrolment_ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    login(instructor)
    response = client.post(f"/teach/courses/{course.id}/cancel", data={"reason": "场地维修"})
    assert response.status_code == 302  # the mail server is down: the request does not care
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == worker.id))
    assert message.status == OutboxStatus.QUEUED and message.kind == "course_cancelled"
    assert deliver_due() == 0
    message = _message(message.id)
    assert message.status == OutboxStatus.QUEUED and message.attempts == 1 and "Error" in message.last_error
    assert message.next_attempt_at > now_utc()
    assert deliver_due() == 0 and _message(message.id).attempts == 1  # not due yet: waits its pause
    controller.start()
    later = now_utc() + timedelta(minutes=5)
    assert deliver_due(later) == 1
    assert deliver_due(later) == 0
    assert _message(message.id).status == OutboxStatus.SENT and len(received.messages) == 1
    envelope = received.messages[0]
    assert envelope.rcpt_tos == ["li@example.cn"]
    raw = envelope.content.decode()
    assert "text/plain" in raw and "text/html" in raw and "Subject:" in raw
    assert "is cancelled" in _message(message.id).body_text and "场地维修" in _message(message.id).body_text


def test_the_pause_grows_and_a_message_is_given_up_after_the_last_attempt(app, make, smtp, monkeypatch):
    assert [pause_after(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert pause_after(30) == timedelta(hours=6)
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    message = queue_email("nobody@example.cn", "test", "主题", "正文")
    db.session.commit()
    deliver_due()
    deliver_due(now_utc() + timedelta(hours=1))
    assert _message(message.id).status == OutboxStatus.FAILED and _message(message.id).attempts == 2


def test_sms_goes_through_the_adapter_and_stays_within_70_characters(make):
    channels.LoggingSms.sent.clear()
    message = queue_sms("13900001111", "test", "明天 9:00 有课:社会工作伦理。")
    db.session.commit()
    assert deliver_due() == 1 and _message(message.id).status == OutboxStatus.SENT
    assert channels.LoggingSms.sent == [("13900001111", "明天 9:00 有课:社会工作伦理。")]
    with pytest.raises(ValueError):
        queue_sms("13900001111", "test", "长" * 71)


def test_a_user_without_an_address_gets_no_email(make):
    from academy.notifications.operations import notify

    worker = make.create_worker(email=None)
    notify(worker.id, "course_cancelled", course="课", reason="因")
    db.session.flush()
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == worker.id)) is None
