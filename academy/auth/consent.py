"""Consent to the processing of personal information (PIPL): to the privacy notice at registration and
to the resident ID number, sensitive personal information, apart (art. 29). Every answer is a new row
with the notice's version, the time and the address; withdrawing the ID consent clears the number."""
from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record
from academy.auth.enums import ConsentKind
from academy.auth.models import Consent, User
from academy.core.errors import OperationError
from academy.extensions import db


def notice_version() -> str:
    return current_app.config["PRIVACY_NOTICE_VERSION"]


def standing(user_id: int) -> dict[ConsentKind, Consent | None]:
    """The latest answer of each kind (None where none was given), in one statement."""
    answers = {kind: None for kind in ConsentKind}
    for consent in db.session.scalars(select(Consent).where(Consent.user_id == user_id).order_by(Consent.id)):
        answers[consent.kind] = consent
    return answers


def holds(user_id: int, kind: ConsentKind) -> bool:
    latest = db.session.scalar(select(Consent).where(Consent.user_id == user_id, Consent.kind == kind)
                               .order_by(Consent.id.desc()).limit(1))
    return latest is not None and latest.granted


def holds_current_notice(answers: dict) -> bool:
    latest = answers[ConsentKind.PRIVACY_NOTICE]
    return latest is not None and latest.granted and latest.version == notice_version()


def give(user: User, kind: ConsentKind) -> Consent:
    consent = _answer(user, kind, granted=True)
    record("consent.give", user, actor=user, kind=kind.value, version=consent.version)
    return consent


def withdraw(user: User, kind: ConsentKind) -> Consent:
    """Withdraw a consent. The privacy notice's cannot be withdrawn apart from the account: closing the
    account is that. Withdrawing the ID number's clears the number from the profile."""
    if kind == ConsentKind.PRIVACY_NOTICE:
        raise OperationError(_l("The privacy notice is what the account rests on: to withdraw it, ask for the "
                                "account to be closed."))
    if not holds(user.id, kind):
        raise OperationError(_l("There is no consent of this kind to withdraw."))
    consent = _answer(user, kind, granted=False)
    if kind == ConsentKind.RESIDENT_ID and user.profile is not None and user.profile.resident_id:
        user.profile.resident_id = None
        record("profile.update", user, actor=user, fields=["resident_id"])
    record("consent.withdraw", user, actor=user, kind=kind.value)
    db.session.flush()
    return consent


def _answer(user: User, kind: ConsentKind, *, granted: bool) -> Consent:
    consent = Consent(user_id=user.id, kind=kind, version=notice_version(), granted=granted,
                      address=request.remote_addr if has_request_context() else None)
    db.session.add(consent)
    db.session.flush()
    return consent
