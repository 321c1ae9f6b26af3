"""The public notice, objections and their resolution, the end of the period, and payment batches."""
from datetime import date

import pytest
from sqlalchemy import func, select

from academy.claims import notice as ops
from academy.claims.models import Claim, ClaimState, Objection, ObjectionStatus, PaymentBatch
from academy.core.errors import OperationError
from academy.extensions import db
from tests.claims.helpers import TODAY, bring_to, draft, scheme

S = ClaimState


def in_notice(make, count=1):
    the_scheme = scheme(make)
    claims = [draft(make, the_scheme) for _ in range(count)]
    for claim in claims:
        people = bring_to(make, claim, S.FINAL_APPROVED)
    admin = people[S.SECOND_REVIEW]
    notice = ops.publish_notice(the_scheme, actor=admin, today=TODAY)
    db.session.commit()
    return claims, notice, admin


def test_publishing_puts_every_approved_claim_of_the_scheme_in_notice(make):
    claims, notice, _admin = in_notice(make, 2)
    assert (notice.starts_on, notice.ends_on) == (TODAY, date(2026, 6, 16))  # 5 working days
    assert {c.state for c in claims} == {S.IN_NOTICE} and {c.notice_id for c in claims} == {notice.id}


def test_only_an_admin_publishes_and_only_when_claims_wait(make):
    the_scheme = scheme(make)
    with pytest.raises(OperationError, match="administrator"):
        ops.publish_notice(the_scheme, actor=make.create_street_admin(), today=TODAY)
    with pytest.raises(OperationError, match="No claim"):
        ops.publish_notice(the_scheme, actor=make.create_admin(), today=TODAY)


def test_objections_only_during_the_period_with_grounds_and_contact(make):
    (claim,), notice, _admin = in_notice(make)
    with pytest.raises(OperationError, match="notice period"):
        ops.file_objection(claim, grounds="不实", contact="13900000000", today=date(2026, 6, 17))
    with pytest.raises(OperationError, match="grounds"):
        ops.file_objection(claim, grounds=" ", contact="13900000000", today=TODAY)
    with pytest.raises(OperationError, match="contact"):
        ops.file_objection(claim, grounds="不实", contact="", today=TODAY)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 0
    ops.file_objection(claim, grounds="此人不在东城工作", contact="13900000000", today=TODAY)


def test_an_upheld_objection_returns_the_claim_to_final_review(make):
    (claim,), notice, admin = in_notice(make)
    objection = ops.file_objection(claim, grounds="证书存疑", contact="邮件 a@b.cn", today=TODAY)
    ops.resolve_objection(objection, actor=admin, upheld=True, reason="核实证书有误")
    db.session.commit()
    assert claim.state == S.FINAL_REVIEW and claim.notice_id is None
    assert "核实证书有误" in claim.events[-1].reason
    with pytest.raises(OperationError, match="already been resolved"):
        ops.resolve_objection(objection, actor=admin, upheld=False, reason="x")


def test_a_dismissed_objection_needs_a_reason_and_leaves_the_claim_in_notice(make):
    (claim,), notice, admin = in_notice(make)
    objection = ops.file_objection(claim, grounds="不实", contact="c", today=TODAY)
    with pytest.raises(OperationError, match="reason"):
        ops.resolve_objection(objection, actor=admin, upheld=False, reason="")
    with pytest.raises(OperationError, match="administrator"):
        ops.resolve_objection(objection, actor=make.create_street_admin(), upheld=False, reason="x")
    ops.resolve_objection(objection, actor=admin, upheld=False, reason="经核实无误")
    assert objection.status == ObjectionStatus.DISMISSED and claim.state == S.IN_NOTICE


def test_the_end_of_the_period_approves_for_payment_unless_an_objection_waits(make):
    (clean, disputed), notice, admin = in_notice(make, 2)
    objection = ops.file_objection(disputed, grounds="不实", contact="c", today=TODAY)
    assert ops.close_notices(date(2026, 6, 16)) == 0  # the last day still belongs to the period
    assert ops.close_notices(date(2026, 6, 17)) == 1
    assert clean.state == S.APPROVED and disputed.state == S.IN_NOTICE and notice.closed_at is None
    ops.resolve_objection(objection, actor=admin, upheld=False, reason="无误")
    assert ops.close_notices(date(2026, 6, 18)) == 1
    assert disputed.state == S.APPROVED and notice.closed_at is not None


def test_payment_batches(make):
    (claim, other), notice, admin = in_notice(make, 2)
    ops.close_notices(date(2026, 6, 30))
    with pytest.raises(OperationError, match="batch number"):
        ops.record_payment([claim], actor=admin, batch_no="", paid_on=date(2026, 7, 1))
    batch = ops.record_payment([claim, other], actor=admin, batch_no="2026-01", paid_on=date(2026, 7, 1))
    db.session.commit()
    assert {claim.state, other.state} == {S.PAID} and claim.batch_id == batch.id
    with pytest.raises(OperationError, match="already recorded"):
        ops.record_payment([claim], actor=admin, batch_no="2026-01", paid_on=date(2026, 7, 1))
    db.session.rollback()
    with pytest.raises(OperationError, match="approved for payment"):
        ops.record_payment([claim], actor=admin, batch_no="2026-02", paid_on=date(2026, 7, 1))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PaymentBatch)) == 1
    assert db.session.get(Claim, claim.id).batch_id == batch.id


def test_the_close_notices_command_runs_by_a_date(app, make, monkeypatch):
    from academy.claims.cli import close_notices_command
    from academy.core import i18n

    (claim,), notice, _admin = in_notice(make)
    runner = app.test_cli_runner()
    monkeypatch.setattr(db.session, "commit", db.session.flush)  # keep the test's transaction
    early = runner.invoke(args=["academy", "claims", "close-notices", "--date", "2026-06-16"])
    assert early.exit_code == 0 and "0 claims approved" in early.output
    assert db.session.get(Claim, claim.id).state == S.IN_NOTICE
    monkeypatch.setattr(i18n, "local_today", lambda: date(2026, 6, 17))  # frozen: the day after the period
    done = runner.invoke(close_notices_command, [])
    assert done.exit_code == 0 and "1 claims approved" in done.output
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).state == S.APPROVED
