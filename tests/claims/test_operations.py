"""The claim's life through the operations: submission checks, the three-level review, returns and
resubmission, refusals that write nothing, two reviewers at once, and schemes that change later."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from academy.auth.enums import Qualification
from academy.claims import operations as ops
from academy.claims.models import Claim, ClaimEvent, ClaimState, Material
from academy.core.errors import OperationError
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.models import Notification
from tests.claims.helpers import PDF, TICKS, TODAY, bring_to, draft, scheme

S = ClaimState


def events_count():
    return db.session.scalar(select(func.count()).select_from(ClaimEvent))


def test_a_claim_goes_through_three_reviews_and_keeps_its_history(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FINAL_APPROVED)
    assert claim.state == S.FINAL_APPROVED
    assert claim.amount == Decimal("1000") and claim.required_materials == ["application_form", "certificate",
                                                                            "identity"]
    steps = [(e.from_state, e.to_state, e.actor_id) for e in claim.events]
    assert steps == [(None, S.DRAFT, claim.worker_id), (S.DRAFT, S.FIRST_REVIEW, claim.worker_id),
                     (S.FIRST_REVIEW, S.SECOND_REVIEW, people[S.FIRST_REVIEW].id),
                     (S.SECOND_REVIEW, S.FINAL_REVIEW, people[S.SECOND_REVIEW].id),
                     (S.FINAL_REVIEW, S.FINAL_APPROVED, people[S.FINAL_REVIEW].id)]
    assert all(e.checklist == TICKS for e in claim.events[2:])
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == claim.worker_id)
                               .order_by(Notification.id)).all()
    assert kinds[-4:] == ["claim_submitted", "claim_progress", "claim_progress", "claim_progress"]


def test_submission_checks_refuse_and_write_nothing(make):
    the_scheme = scheme(make)
    claim = draft(make, the_scheme, upload=False)
    before = events_count()
    with pytest.raises(OperationError, match="missing materials"):
        ops.submit(claim, claim.worker, today=TODAY)
    db.session.rollback()
    assert events_count() == before and db.session.get(Claim, claim.id).state == S.DRAFT
    with pytest.raises(OperationError, match="accepted from"):
        ops.submit(claim, claim.worker, today=date(2026, 7, 1))


def test_the_certificate_must_be_of_the_schemes_exam_year(make):
    claim = draft(make, scheme(make), year=2024)
    with pytest.raises(OperationError, match="2025 exam"):
        ops.submit(claim, claim.worker, today=TODAY)


def test_a_senior_claim_needs_the_review_pass_certificate(make):
    the_scheme = scheme(make)
    worker = make.create_worker()
    claim = draft(make, the_scheme, worker=worker, level=Qualification.SENIOR, upload=False)
    for kind in ("application_form", "certificate", "identity"):
        ops.upload_material(claim, worker, Material(kind), "x.pdf", PDF)
    with pytest.raises(OperationError, match="Review-pass"):
        ops.submit(claim, worker, today=TODAY)
    ops.upload_material(claim, worker, Material.REVIEW_PASS, "x.pdf", PDF)
    ops.submit(claim, worker, today=TODAY)
    assert claim.state == S.FIRST_REVIEW and claim.amount == Decimal("3000")


def test_uploads_are_checked_by_content(make):
    claim = draft(make, scheme(make), upload=False)
    with pytest.raises(OperationError, match="checked by their content"):
        ops.upload_material(claim, claim.worker, Material.IDENTITY, "id.pdf", b"<html>not a pdf</html>")


def test_never_subsidised_twice_for_a_certificate_or_a_level(make):
    first = scheme(make)
    claim = draft(make, first)
    worker = claim.worker
    later = scheme(make, exam_year=2026, opens_on=date(2026, 6, 1))
    with pytest.raises(OperationError, match="already claimed or received"):
        ops.start_claim(worker, later, level=Qualification.ASSISTANT, certificate_no="X2026000001", exam_year=2026)
    other = make.create_worker()
    with pytest.raises(OperationError, match="already been claimed"):
        ops.start_claim(other, later, level=Qualification.ASSISTANT, certificate_no=claim.certificate_no,
                        exam_year=2026)


def test_a_rejected_claim_no_longer_blocks_a_new_one(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    ops.reject(claim, actor=people[S.FIRST_REVIEW], reason="证书编号不符")
    db.session.commit()
    again = ops.start_claim(claim.worker, claim.scheme, level=claim.level, certificate_no=claim.certificate_no,
                            exam_year=claim.exam_year)
    assert again.state == S.DRAFT


def test_return_for_correction_then_resubmit_goes_back_to_first_review(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.SECOND_REVIEW)
    ops.send_back(claim, actor=people[S.SECOND_REVIEW], note="身份证明不清晰", checklist={"identity": False})
    db.session.commit()
    assert claim.state == S.RETURNED and claim.correction_note == "身份证明不清晰"
    assert claim.events[-1].checklist == dict.fromkeys(TICKS, False)
    ops.upload_material(claim, claim.worker, Material.IDENTITY, "id2.pdf", PDF)
    ops.submit(claim, claim.worker, today=TODAY)
    assert claim.state == S.FIRST_REVIEW and claim.correction_note is None
    ops.forward(claim, actor=people[S.FIRST_REVIEW], checklist=TICKS)  # the same people again at their levels
    ops.forward(claim, actor=people[S.SECOND_REVIEW], checklist=TICKS)
    assert claim.state == S.FINAL_REVIEW


@pytest.mark.parametrize("state", [S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW])
def test_wrong_reviewers_are_refused_and_nothing_is_written(make, state):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, state)
    wrong = [make.create_worker(), make.create_instructor(), make.create_street_admin(street=make.subdistrict(
        "110101016000"))] + [person for level, person in people.items() if level != state]
    before = events_count()
    for person in wrong:
        for action in (lambda who=person: ops.forward(claim, actor=who, checklist=TICKS),
                       lambda who=person: ops.send_back(claim, actor=who, note="x"),
                       lambda who=person: ops.reject(claim, actor=who, reason="x")):
            with pytest.raises(OperationError):
                action()
            db.session.rollback()
    assert events_count() == before and db.session.get(Claim, claim.id).state == state


def test_an_admin_who_did_one_level_cannot_do_another(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FINAL_REVIEW)
    # the final reviewer's account is the same person who forwarded at 复核? A district reviewer never can;
    # an admin who forwarded at 复核 cannot decide at 终审 even if made district reviewer later.
    admin = people[S.SECOND_REVIEW]
    admin.role = Role.DISTRICT_REVIEWER
    db.session.commit()
    with pytest.raises(OperationError, match="another level"):
        ops.forward(claim, actor=admin, checklist=TICKS)


def test_forwarding_without_every_tick_is_refused(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    with pytest.raises(OperationError, match="Tick every"):
        ops.forward(claim, actor=people[S.FIRST_REVIEW], checklist={"certificate_no": True})
    with pytest.raises(OperationError, match="what the worker must correct"):
        ops.send_back(claim, actor=people[S.FIRST_REVIEW], note=" ")
    with pytest.raises(OperationError, match="reason"):
        ops.reject(claim, actor=people[S.FIRST_REVIEW], reason="")


def test_two_reviewers_at_once_one_wins_the_other_is_told(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    colleague = make.create_street_admin(street=claim.worker.profile.subdistrict)
    state_read = claim.state  # both opened the claim while it waited for 初审
    ops.forward(claim, actor=people[S.FIRST_REVIEW], checklist=TICKS, state_read=state_read)
    db.session.commit()
    before = events_count()
    with pytest.raises(OperationError, match="meanwhile"):
        ops.reject(claim, actor=colleague, reason="重复", state_read=state_read)
    db.session.rollback()
    assert events_count() == before and db.session.get(Claim, claim.id).state == S.SECOND_REVIEW


def test_the_worker_cannot_edit_a_claim_under_review_nor_someone_elses(make):
    claim = draft(make, scheme(make))
    bring_to(make, claim, S.FIRST_REVIEW)
    with pytest.raises(OperationError, match="under review"):
        ops.edit_claim(claim, claim.worker, bank_name="X")
    other = draft(make, claim.scheme)
    with pytest.raises(OperationError, match="not your claim"):
        ops.upload_material(other, claim.worker, Material.IDENTITY, "x.pdf", PDF)


def test_changing_the_scheme_never_rewrites_submitted_claims(make):
    the_scheme = scheme(make)
    submitted = draft(make, the_scheme)
    bring_to(make, submitted, S.FIRST_REVIEW)
    ops.change_scheme(the_scheme, actor=make.create_admin(), amount_assistant=Decimal("1500"),
                      materials={"assistant": ["certificate"], "social_worker": [], "senior": []})
    db.session.commit()
    assert the_scheme.version == 2
    db.session.refresh(submitted)
    assert submitted.amount == Decimal("1000") and submitted.scheme_version == 1
    assert submitted.materials_needed() == ["application_form", "certificate", "identity"]
    later = draft(make, the_scheme, upload=False)
    ops.upload_material(later, later.worker, Material.CERTIFICATE, "c.pdf", PDF)
    ops.submit(later, later.worker, today=TODAY)
    assert later.amount == Decimal("1500") and later.scheme_version == 2


def test_scheme_rules(make):
    with pytest.raises(OperationError, match="closes before"):
        scheme(make, opens_on=date(2026, 7, 1))
    scheme(make)
    with pytest.raises(OperationError, match="already a scheme"):
        scheme(make)


def test_queues_hold_each_levels_claims(make):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    def queued(person):
        return db.session.scalars(select(Claim.id).where(*ops.queue_filter(person))).all()
    assert claim.id in queued(people[S.FIRST_REVIEW])
    assert claim.id not in queued(people[S.SECOND_REVIEW])
    assert queued(make.create_street_admin(street=make.subdistrict("110101016000"))) == []
    assert queued(make.create_worker()) == []
