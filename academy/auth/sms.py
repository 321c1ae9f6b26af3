"""Signing in with a code sent by SMS, through the SMS adapter (jobs/channels.py: the logging adapter
unless a gateway's is configured). Enabled by SMS_SIGNIN_ENABLED.

A code is six digits, valid for five minutes (SMS_CODE_VALID_MINUTES) and for SMS_CODE_MAX_ATTEMPTS tries,
once; only its keyed hash is kept (reset.hash_secret). Asking for a code ends the account's earlier codes.
Whether an account has the number is never told: asking answers the same either way (a code goes only to
an account's number), and every refused code gets the same message. Both steps are audited; the
requests are limited per number and per address (auth/limits.py)."""
import hmac
import logging
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from academy.audit.operations import record
from academy.auth.models import SmsCode, User
from academy.auth.operations import find_user_by_phone
from academy.auth.reset import hash_secret
from academy.core.models import now_utc
from academy.core.validators import normalise_phone
from academy.extensions import db
from academy.jobs.channels import send_sms

log = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(current_app.config.get("SMS_SIGNIN_ENABLED"))


def message(code: str) -> str:
    """The SMS, in Chinese as the academy's messages are, within one 70-character segment."""
    minutes = current_app.config["SMS_CODE_VALID_MINUTES"]
    return f"【东城区社会工作学院】您的登录验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。"


def request_code(phone: str, now=None) -> SmsCode | None:
    """Send a new code to an active account with this number (its earlier codes end); for any other
    number nothing is sent. Both are audited; the caller answers the same either way."""
    now = now or now_utc()
    phone = normalise_phone(phone)
    user = find_user_by_phone(phone)
    if user is None or not user.active:
        record("login.sms_code", user, actor=user, phone=phone[:11], sent=False)
        return None
    db.session.execute(update(SmsCode).where(SmsCode.user_id == user.id, SmsCode.used_at.is_(None),
                                             SmsCode.expires_at > now).values(expires_at=now))
    code = f"{secrets.randbelow(10 ** 6):06d}"
    sent = SmsCode(user_id=user.id, code_hash=hash_secret(code), created_at=now,
                   expires_at=now + timedelta(minutes=current_app.config["SMS_CODE_VALID_MINUTES"]))
    db.session.add(sent)
    db.session.flush()
    record("login.sms_code", user, actor=user, sent=True)
    try:
        send_sms(user.phone, message(code))
    except Exception:  # the gateway is down: the answer stays the same; the log says why
        log.exception("The sign-in code for account %s could not be sent.", user.id)
    return sent


def sign_in_with_code(phone: str, code: str, now=None) -> User | None:
    """The account whose latest code this is, if it is still valid and tries remain; the code then works
    no more. Every try counts, and is audited."""
    now = now or now_utc()
    phone = normalise_phone(phone)
    user = find_user_by_phone(phone)
    latest = db.session.scalar(
        select(SmsCode).where(SmsCode.user_id == user.id).order_by(SmsCode.id.desc()).limit(1)
    ) if user is not None else None
    matches = hmac.compare_digest(hash_secret((code or "")[:6]),
                                  latest.code_hash if latest is not None else hash_secret("-"))
    # One try spent, only while the code is unused, unexpired and has tries left, and the right code used
    # up by the same conditional UPDATE: parallel tries can neither exceed the count nor use it twice.
    values = {"attempts": SmsCode.attempts + 1, **({"used_at": now} if matches else {})}
    counted = latest is not None and db.session.execute(
        update(SmsCode).where(SmsCode.id == latest.id, SmsCode.used_at.is_(None), SmsCode.expires_at > now,
                              SmsCode.attempts < current_app.config["SMS_CODE_MAX_ATTEMPTS"])
        .values(**values)).rowcount == 1
    if counted and matches and user.active:
        user.last_login_at = now
        record("login.success", user, actor=user, method="sms")
        return user
    record("login.failure", user, actor=user, phone=phone[:11], method="sms")
    return None
