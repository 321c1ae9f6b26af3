"""The pure rules: pre-submission checks, who may review, the checklist, working days."""
from datetime import date
from types import SimpleNamespace

import pytest

from academy.claims import rules
from academy.claims.models import ClaimState
from academy.core.errors import OperationError
from academy.core.permissions import Role

S = ClaimState
GOOD = dict(scheme_exam_year=2025, exam_year=2025, in_dongcheng=True, certificate_claimed=False, level_claimed=False,
            today=date(2026, 6, 10), opens_on=date(2026, 6, 1), closes_on=date(2026, 6, 30), missing=[],
            declared=True, bank_complete=True)


def test_a_good_claim_passes_every_check():
    rules.check_submission(**GOOD)


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"today": date(2026, 5, 31)}, None, "accepted from 2026-06-01 to 2026-06-30"),
    ({"today": date(2026, 7, 1)}, None, "accepted from"),
    ({"exam_year": 2024}, "exam_year", "2025 exam"),
    ({"in_dongcheng": False}, None, "Dongcheng"),
    ({"certificate_claimed": True}, "certificate_no", "already been claimed"),
    ({"level_claimed": True}, "level", "this level"),
    ({"bank_complete": False}, "bank_account", "bank"),
    ({"missing": ["identity", "review_pass"]}, None, "missing materials"),
    ({"declared": False}, "declaration", "declaration"),
])
def test_each_failed_check_has_its_own_message(change, field, words):
    with pytest.raises(OperationError) as refused:
        rules.check_submission(**{**GOOD, **change})
    assert refused.value.field == field
    assert words in str(refused.value.message)


def test_missing_materials_are_named():
    with pytest.raises(OperationError) as refused:
        rules.check_submission(**{**GOOD, "missing": ["identity", "review_pass"]})
    assert "Proof of identity" in str(refused.value.message) and "Review-pass" in str(refused.value.message)
    assert rules.missing_materials(["a", "b"], {"b": 1}) == ["a"]


def actor(role, id=1, street_id=None):
    return SimpleNamespace(role=role, id=id, street_id=street_id)


def refusal(who, state=S.FIRST_REVIEW, worker=9, street=5, earlier=()):
    return rules.review_refusal(actor=who, state=state, claim_worker_id=worker, claim_subdistrict_id=street,
                                earlier_levels=set(earlier))


def test_each_level_has_its_reviewer():
    assert refusal(actor(Role.STREET_ADMIN, street_id=5)) is None
    assert refusal(actor(Role.ADMIN), state=S.SECOND_REVIEW) is None
    assert refusal(actor(Role.DISTRICT_REVIEWER), state=S.FINAL_REVIEW) is None
    assert "another reviewer" in str(refusal(actor(Role.ADMIN), state=S.FIRST_REVIEW))
    assert "another reviewer" in str(refusal(actor(Role.STREET_ADMIN, street_id=5), state=S.SECOND_REVIEW))
    assert "another reviewer" in str(refusal(actor(Role.WORKER), state=S.FINAL_REVIEW))


def test_a_subdistrict_reviews_only_its_own_workers():
    assert "your subdistrict" in str(refusal(actor(Role.STREET_ADMIN, street_id=6)))


def test_nobody_reviews_their_own_claim_nor_at_two_levels():
    assert "own claim" in str(refusal(actor(Role.ADMIN, id=9), state=S.SECOND_REVIEW))
    assert "another level" in str(refusal(actor(Role.ADMIN), state=S.SECOND_REVIEW, earlier=[S.FIRST_REVIEW]))
    # the same level again (after a resubmission) is allowed
    assert refusal(actor(Role.ADMIN), state=S.SECOND_REVIEW, earlier=[S.SECOND_REVIEW]) is None


@pytest.mark.parametrize("state", [S.DRAFT, S.RETURNED, S.FINAL_APPROVED, S.IN_NOTICE, S.APPROVED, S.PAID,
                                   S.REJECTED])
def test_only_review_states_are_reviewed(state):
    assert "not waiting" in str(refusal(actor(Role.ADMIN), state=state))


def test_forwarding_needs_every_tick():
    with pytest.raises(OperationError):
        rules.check_checklist({"certificate_no": True, "exam_year": True, "identity": True})
    assert rules.check_checklist(dict.fromkeys(rules.CHECKLIST, "y")) == dict.fromkeys(rules.CHECKLIST, True)


def test_bank_accounts():
    assert rules.check_bank_account(" 6222 0000 1111 2222 ") == "6222000011112222"
    for bad in ("12345", "6222abc011112222"):
        with pytest.raises(OperationError):
            rules.check_bank_account(bad)


def test_working_days_skip_weekends():
    assert rules.add_working_days(date(2026, 6, 10), 5) == date(2026, 6, 16)  # Wed → next Tue
    assert rules.add_working_days(date(2026, 6, 13), 1) == date(2026, 6, 15)  # Sat → Mon
    assert rules.first_review_overdue(S.FIRST_REVIEW, date(2026, 7, 1), date(2026, 7, 2))
    assert not rules.first_review_overdue(S.SECOND_REVIEW, date(2026, 7, 1), date(2026, 7, 2))
