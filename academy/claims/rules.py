"""The claims' rules, each decided here once with its clear refusal. Pure: the callers read what a rule
needs (prior claims, the reviewers so far) and pass it in."""
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from academy.claims.models import REVIEW_STATES, ClaimState, Material
from academy.core.errors import OperationError
from academy.core.permissions import Role

S = ClaimState
CHECKLIST = ("certificate_no", "exam_year", "identity", "materials")
CHECKLIST_LABELS = {
    "certificate_no": _l("Certificate number matches the registry and the scan, character by character"),
    "exam_year": _l("Exam year matches the scheme and the certificate"),
    "identity": _l("Identity matches the worker's record"),
    "materials": _l("Every required material is present and legible"),
}
# Who decides at each review step.
REVIEWER_ROLE = {S.FIRST_REVIEW: Role.STREET_ADMIN, S.SECOND_REVIEW: Role.ADMIN, S.FINAL_REVIEW: Role.DISTRICT_REVIEWER}
NEXT_STATE = {S.FIRST_REVIEW: S.SECOND_REVIEW, S.SECOND_REVIEW: S.FINAL_REVIEW, S.FINAL_REVIEW: S.FINAL_APPROVED}
EDITABLE = (S.DRAFT, S.RETURNED)


def check_submission(*, scheme_exam_year: int, exam_year: int, in_dongcheng: bool, certificate_claimed: bool,
                     level_claimed: bool, today: date, opens_on: date, closes_on: date, missing: list[str],
                     declared: bool, bank_complete: bool) -> None:
    """Raise OperationError naming the field of the first pre-submission check the claim fails."""
    if today < opens_on or today > closes_on:
        raise OperationError(_l("Applications are accepted from %(opens)s to %(closes)s only.",
                                opens=opens_on.isoformat(), closes=closes_on.isoformat()))
    if exam_year != scheme_exam_year:
        raise OperationError(_l("This scheme covers certificates of the %(year)d exam; the certificate is of "
                                "%(other)d.", year=scheme_exam_year, other=exam_year), field="exam_year")
    if not in_dongcheng:
        raise OperationError(_l("Only social workers employed by a unit in Dongcheng District may claim."))
    if certificate_claimed:
        raise OperationError(_l("This certificate has already been claimed or subsidised in a scheme."),
                             field="certificate_no")
    if level_claimed:
        raise OperationError(_l("You have already claimed or received the subsidy for this level."), field="level")
    if not bank_complete:
        raise OperationError(_l("Enter the bank, the account number and the account holder for the payment."),
                             field="bank_account")
    if missing:
        names = "、".join(str(Material(kind).label) for kind in missing)
        raise OperationError(_l("Upload the missing materials: %(names)s.", names=names))
    if not declared:
        raise OperationError(_l("Confirm the declaration."), field="declaration")


def missing_materials(required: list[str], present) -> list[str]:
    return [kind for kind in required if kind not in set(present)]


def check_bank_account(number: str) -> str:
    digits = "".join((number or "").split())
    if digits and not (digits.isdigit() and 12 <= len(digits) <= 30):
        raise OperationError(_l("A bank account number has 12 to 30 digits."), field="bank_account")
    return digits


def review_refusal(*, actor, state: ClaimState, claim_worker_id: int, claim_subdistrict_id: int,
                   earlier_levels: set[ClaimState]):
    """Why `actor` may not decide on a claim in `state` (None when they may). `earlier_levels` are the review
    levels at which the actor already decided on this claim."""
    if state not in REVIEW_STATES:
        return _l("This claim is not waiting for a review.")
    role = REVIEWER_ROLE[state]
    if getattr(actor, "role", None) != role:
        return _l("This review step belongs to another reviewer.")
    if role == Role.STREET_ADMIN and actor.street_id != claim_subdistrict_id:
        return _l("You review only claims of workers in your subdistrict.")
    if actor.id == claim_worker_id:
        return _l("Nobody reviews their own claim.")
    if earlier_levels - {state}:
        return _l("You already reviewed this claim at another level: a claim is reviewed by different people "
                  "at each level.")
    return None


def check_checklist(ticks: dict | None) -> dict:
    """Forwarding needs every cross-check ticked."""
    ticks = {key: bool((ticks or {}).get(key)) for key in CHECKLIST}
    if not all(ticks.values()):
        raise OperationError(_l("Tick every cross-check before forwarding the claim."), field="checklist")
    return ticks


def check_text(value: str | None, message) -> str:
    value = (value or "").strip()
    if not value:
        raise OperationError(message, field="reason")
    return value


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days (Monday to Friday) starting on `start` or the next
    working day. Public holidays are not counted out."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    counted = 1
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def first_review_overdue(state: ClaimState, deadline: date, today: date) -> bool:
    return state == S.FIRST_REVIEW and today > deadline
