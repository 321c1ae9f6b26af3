"""QR check-in (扫码签到): the signed short-lived token a projector shows, the 6-digit code typed by those
who cannot scan, the QR drawn as SVG path data, and the rule deciding whether a scan is accepted.

A token names its session and direction (check-in or sign-out), is signed with the app's secret and
stamped with the start of the CHECKIN_ROTATE_SECONDS step it was made in (every screen showing the session
in that step shows the same token, so its QR code is drawn once a step), and is refused
CHECKIN_TOKEN_MAX_AGE seconds after that start; the screen asks for a fresh one every step.
The code is an HMAC of the session, direction and the 30-second step, accepted for the same age.
Every time is read from `clock()`, which the tests move instead of sleeping.
"""
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from reportlab.graphics.barcode import qrencoder

from academy.attendance.models import ScanDirection
from academy.core.i18n import LOCAL_TZ
from academy.core.models import now_utc

SALT = "attendance-checkin"


def clock() -> datetime:
    return now_utc()


class CheckinRefused(Exception):
    """A scan refused, with the reason in words for the worker."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class _Signer(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(clock().timestamp())


class _StepSigner(_Signer):
    def get_timestamp(self) -> int:
        return step_of(clock()) * rotate_seconds()


class _Serializer(URLSafeTimedSerializer):
    default_signer = _Signer


class _StepSerializer(URLSafeTimedSerializer):
    default_signer = _StepSigner


def _serializer(kind=_Serializer):
    return kind(current_app.config["SECRET_KEY"], salt=SALT)


def rotate_seconds() -> int:
    return int(current_app.config["CHECKIN_ROTATE_SECONDS"])


def max_age() -> int:
    return int(current_app.config["CHECKIN_TOKEN_MAX_AGE"])


def make_token(session_id: int, direction: ScanDirection) -> str:
    return _serializer(_StepSerializer).dumps({"s": session_id, "d": direction.value})


def read_token(token: str, session_id: int) -> ScanDirection:
    """The direction a token asks for; refused when forged, expired or naming another session."""
    try:
        payload = _serializer().loads(token or "", max_age=max_age())
    except SignatureExpired:
        raise CheckinRefused(_l("This code has expired. Scan the code on the screen again.")) from None
    except BadSignature:
        raise CheckinRefused(_l("This code is not valid.")) from None
    if not isinstance(payload, dict) or payload.get("d") not in {d.value for d in ScanDirection}:
        raise CheckinRefused(_l("This code is not valid."))
    if payload.get("s") != session_id:
        raise CheckinRefused(_l("This code belongs to another session."))
    return ScanDirection(payload["d"])


def seconds_to_next_step() -> int:
    """When the screen should ask for the next token: at the start of the next step, so that it shows each
    token from its stamp on and a token scanned at the end of its showing has a minute left."""
    now = clock()
    return (step_of(now) + 1) * rotate_seconds() - int(now.timestamp())


def step_of(moment: datetime) -> int:
    return int(moment.timestamp()) // rotate_seconds()


def code_for(session_id: int, direction: ScanDirection, step: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{SALT}:{session_id}:{direction.value}:{step}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def current_code(session_id: int, direction: ScanDirection) -> str:
    return code_for(session_id, direction, step_of(clock()))


def code_matches(code: str, session_id: int, direction: ScanDirection) -> bool:
    """A code shown in the last CHECKIN_TOKEN_MAX_AGE seconds (the steps that began within it)."""
    now = step_of(clock())
    steps = range(now - max_age() // rotate_seconds() + 1, now + 1)
    return any(hmac.compare_digest(code, code_for(session_id, direction, step)) for step in steps)


@dataclass(frozen=True)
class Window:
    opens: datetime
    closes: datetime


def window(session, course, direction: ScanDirection) -> Window:
    """Check-in: from `checkin_opens_before` minutes before the start to `checkin_closes_after` after it.
    Sign-out: from the start to `checkin_closes_after` minutes after the end."""
    after = timedelta(minutes=course.checkin_closes_after)
    if direction == ScanDirection.OUT:
        return Window(session.starts_at, session.ends_at + after)
    return Window(session.starts_at - timedelta(minutes=course.checkin_opens_before), session.starts_at + after)


def local_time(moment: datetime) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%H:%M")


def window_refusal(session, course, direction: ScanDirection, now: datetime):
    """Why the scan cannot be taken now, or None."""
    if direction == ScanDirection.OUT and not course.signout_scan:
        return _l("This course has no sign-out scan.")
    span = window(session, course, direction)
    if now < span.opens:
        return _l("The scan for this session opens at %(time)s.", time=local_time(span.opens))
    if now > span.closes:
        return _l("The scan for this session closed at %(time)s.", time=local_time(span.closes))
    return None


@lru_cache(maxsize=256)
def qr_path(text: str) -> tuple[int, str]:
    """The QR code of `text` as (size in modules including the quiet zone, SVG path data). Kept: drawing one
    takes 15 ms, and a session's screens ask for the same one for a whole step."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    count = code.getModuleCount()
    parts = []
    for row in range(count):
        column = 0
        while column < count:
            if code.isDark(row, column):
                start = column
                while column < count and code.isDark(row, column):
                    column += 1
                parts.append(f"M{start + 4} {row + 4}h{column - start}v1h-{column - start}z")
            else:
                column += 1
    return count + 8, "".join(parts)
