"""The registry's rules, each decided here once, with its clear refusal. Pure: the callers read what
the rules need (is the number taken, does the worker hold an intermediate record) and pass it in."""
import re
from datetime import date

from flask_babel import lazy_gettext as _l

from academy.auth.enums import Qualification
from academy.core.errors import OperationError
from academy.qualifications.models import FIRST_EXAM_YEAR, LEVELS


def normalise_certificate_no(text: str | None) -> str:
    """Certificate numbers compare without spaces and case: 'z2023 1101 00123' is Z2023110100123."""
    return re.sub(r"\s+", "", text or "").upper()


def check_declaration(*, level, certificate_no: str, exam_year: int | None, issued_on: date | None, today: date,
                      number_taken: bool, has_intermediate: bool, override_reason: str | None = None) -> None:
    """Raise OperationError naming the field of the first rule the declaration breaks."""
    if level not in LEVELS:
        raise OperationError(_l("Choose the qualification level."), field="level")
    if not certificate_no or not re.fullmatch(r"[0-9A-Z\-]{4,40}", certificate_no):
        raise OperationError(_l("Enter the certificate number (4 to 40 letters and digits)."), field="certificate_no")
    if number_taken:
        raise OperationError(_l("This certificate number is already in the registry. Each certificate number "
                                "belongs to one person; contact the academy if it is yours."), field="certificate_no")
    if exam_year is None or exam_year < FIRST_EXAM_YEAR:
        raise OperationError(_l("The national exam has been held since %(year)d: enter a year from %(year)d on.",
                                year=FIRST_EXAM_YEAR), field="exam_year")
    if exam_year > today.year:
        raise OperationError(_l("The year cannot be in the future."), field="exam_year")
    if issued_on is not None:
        if issued_on > today:
            raise OperationError(_l("The date of issue cannot be in the future."), field="issued_on")
        if issued_on.year < exam_year:
            raise OperationError(_l("The certificate cannot be issued before its exam or review year."),
                                 field="issued_on")
    check_senior(level, has_intermediate, override_reason)


def check_senior(level, has_intermediate: bool, override_reason: str | None) -> None:
    """A senior social worker first holds the intermediate level, unless an administrator overrides
    with a reason."""
    if level == Qualification.SENIOR and not has_intermediate and not (override_reason or "").strip():
        raise OperationError(_l("A senior record needs an intermediate (Social Worker) record first; an "
                                "administrator may override this with a reason."), field="level")


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise OperationError(_l("Give the reason."), field="reason")
    return reason
