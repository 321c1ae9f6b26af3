"""The channels a message leaves by: e-mail through SMTP (Flask-Mailman, settings MAIL_* from the
environment) and SMS through an adapter (SMS_ADAPTER = "module:Class"; the logging adapter by default, a
gateway's adapter plugs in by configuration). A channel raises when it cannot deliver; the outbox keeps
the message and tries again later."""
import importlib
import logging

from flask import current_app
from flask_mailman import EmailMultiAlternatives, Mail

from academy.core.masking import mask_phone

log = logging.getLogger(__name__)
mail = Mail()
SMS_MAX_CHARACTERS = 70  # one Chinese SMS segment


def init_channels(app) -> None:
    mail.init_app(app)


def send_email(address: str, subject: str, text: str, html: str | None = None, headers: dict | None = None) -> None:
    config = current_app.config
    backend = config.get("MAIL_BACKEND") or "smtp"
    options = {"host": config["MAIL_SERVER"], "port": config["MAIL_PORT"], "timeout": config["MAIL_TIMEOUT"]} \
        if backend == "smtp" else {}
    connection = mail.get_connection(backend=backend, **options)
    message = EmailMultiAlternatives(subject, text, from_email=config["MAIL_DEFAULT_SENDER"], to=[address],
                                     headers=headers or {}, connection=connection)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


class SmsAdapter:
    """A gateway: send(phone, text) delivers one message or raises."""

    def send(self, phone: str, text: str) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class LoggingSms(SmsAdapter):
    """Writes each SMS to the log (the default, and the tests'): nothing leaves the machine."""

    sent: list = []

    def send(self, phone: str, text: str) -> None:
        if len(text) > SMS_MAX_CHARACTERS:
            raise ValueError(f"an SMS of {len(text)} characters (at most {SMS_MAX_CHARACTERS})")
        LoggingSms.sent.append((phone, text))
        log.info("SMS to %s: %s", mask_phone(phone), text)


def sms_adapter() -> SmsAdapter:
    module, _, name = current_app.config["SMS_ADAPTER"].partition(":")
    return getattr(importlib.import_module(module), name)()


def send_sms(phone: str, text: str) -> None:
    sms_adapter().send(phone, text)
