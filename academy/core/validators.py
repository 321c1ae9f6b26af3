"""WTForms validators for Chinese personal data and passwords."""
import re
import unicodedata
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

from academy.core.i18n import local_today

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$", re.ASCII)


PHONE_DECORATION = re.compile(r"[\s\-\u2010-\u2015\u2212.()]")
COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)", re.ASCII)


def normalise_phone(value: str | None) -> str:
    """One spelling for every way a number is typed: full-width digits become ASCII (NFKC), spaces,
    dashes, dots and brackets go, and a +86 / 0086 / 86 country prefix before 11 digits goes.
    Sign-in, its limits, registration and imports all key on this."""
    digits = PHONE_DECORATION.sub("", unicodedata.normalize("NFKC", value or ""))
    return COUNTRY_PREFIX.sub("", digits)


def is_mainland_mobile(value: str) -> bool:
    return bool(MOBILE_PATTERN.fullmatch(value))


def normalise_resident_id(value: str | None) -> str:
    return (value or "").strip().upper()


def is_resident_id(value: str) -> bool:
    try:
        ric.validate(value)
    except StdnumError:
        return False
    return len(value) == 18


class MainlandMobile:
    message = _l("Enter an 11-digit mainland mobile number, for example 13812345678.")

    def __call__(self, form, field):
        field.data = normalise_phone(field.data)
        if not is_mainland_mobile(field.data):
            raise ValidationError(self.message)


def resident_id_problem(value: str, today: date) -> str | None:
    """Why this is not a resident ID number, in words (its length, its birth date, its check digit)."""
    if len(value) != 18:
        return _l("A resident ID number has 18 characters; this one has %(count)d.", count=len(value))
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return _l("A resident ID number is 17 digits and a last digit or X.")
    try:
        born = ric.get_birth_date(value)
    except StdnumError:
        return _l("The birth date in this resident ID number (characters 7 to 14) is not a real date.")
    if born > today:
        return _l("The birth date in this resident ID number (characters 7 to 14) is in the future.")
    if not is_resident_id(value):
        return _l("This resident ID number does not check out: look at its last character again.")
    return None


class ResidentIdNumber:
    """An 18-character resident ID with a real, past birth date and a valid check digit; empty is allowed."""

    def __call__(self, form, field):
        field.data = normalise_resident_id(field.data)
        problem = resident_id_problem(field.data, local_today()) if field.data else None
        if problem:
            raise ValidationError(problem)


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why a password is refused, or None. Length and guessability only: no composition rules."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < min_length:
        return _l("Use at least %(count)d characters.", count=min_length)
    if len(password) > 128:
        return _l("Use at most 128 characters.")
    digits = normalise_phone(password)
    if any(is_mainland_mobile(value) and value in digits for value in map(normalise_phone, user_inputs)):
        return _l("Do not use the mobile number in the password.")
    result = zxcvbn(password, user_inputs=[value for value in user_inputs if value])
    if result["score"] < current_app.config["PASSWORD_MIN_SCORE"]:
        return _l(
            "This password is too common or too easy to guess. "
            "A few unrelated words together make a strong one."
        )
    return None


def account_inputs(user) -> list[str]:
    """What a password of this account must not echo: its number, name and email."""
    return [value for value in (user.phone, user.name, user.email) if value] if user is not None else []


class StrongPassword:
    """Refuses short and guessable passwords; `related_fields` are form fields it must not echo, and a
    form changing an existing account's password names it as `form.account` (its number, name, email)."""

    def __init__(self, related_fields: tuple[str, ...] = ()):
        self.related_fields = related_fields

    def __call__(self, form, field):
        inputs = [str(getattr(form, name).data or "") for name in self.related_fields if hasattr(form, name)]
        inputs += account_inputs(getattr(form, "account", None))
        problem = password_problem(field.data or "", inputs)
        if problem:
            raise ValidationError(problem)
