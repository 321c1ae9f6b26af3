"""After 终审: the public notice (公示) of a scheme's approved claims, objections filed by anyone and
resolved by an administrator, the end of the period, and payment in batches. Operations flush only."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.claims import rules
from academy.claims.models import Claim, ClaimState, Notice, Objection, ObjectionStatus, PaymentBatch, Scheme
from academy.claims.operations import move
from academy.core.errors import OperationError
from academy.core import i18n
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db

S = ClaimState


def _admin(actor: User) -> None:
    if getattr(actor, "role", None) != Role.ADMIN:
        raise OperationError(_l("Only an administrator may do this."))


def publish_notice(scheme: Scheme, *, actor: User, today: date | None = None) -> Notice:
    """Publish every claim of the scheme that passed 终审, together, for the scheme's notice period."""
    _admin(actor)
    claims = db.session.scalars(select(Claim).where(Claim.scheme_id == scheme.id, Claim.state == S.FINAL_APPROVED)
                                .order_by(Claim.id)).all()
    if not claims:
        raise OperationError(_l("No claim of this scheme is waiting for the public notice."))
    starts = today or i18n.local_today()
    notice = Notice(scheme_id=scheme.id, starts_on=starts, ends_on=rules.add_working_days(starts, scheme.notice_days),
                    published_by_id=actor.id)
    db.session.add(notice)
    db.session.flush()
    for claim in claims:
        move(claim, actor, S.FINAL_APPROVED, S.IN_NOTICE, values={"notice_id": notice.id})
    audit("claims.notice_publish", notice, actor=actor, claims=len(claims), ends_on=notice.ends_on.isoformat())
    return notice


def file_objection(claim: Claim, *, grounds: str | None, contact: str | None, today: date | None = None) -> Objection:
    """Anyone may object to a claim in notice during the period (no account needed)."""
    today = today or i18n.local_today()
    notice = claim.notice
    if claim.state != S.IN_NOTICE or notice is None or not notice.starts_on <= today <= notice.ends_on:
        raise OperationError(_l("Objections are accepted only during the notice period."))
    grounds = rules.check_text(grounds, _l("State the grounds of the objection."))
    contact = (contact or "").strip()
    if not contact:
        raise OperationError(_l("Leave a way to contact you about the objection."), field="contact")
    objection = Objection(claim_id=claim.id, grounds=grounds[:2000], contact=contact[:100])
    db.session.add(objection)
    db.session.flush()
    audit("claims.objection_file", objection, actor=None, claim=claim.id)
    return objection


def resolve_objection(objection: Objection, *, actor: User, upheld: bool, reason: str | None) -> None:
    """Upheld: the claim returns to 终审 with the objection attached. Dismissed: with the reason."""
    _admin(actor)
    if objection.status != ObjectionStatus.PENDING:
        raise OperationError(_l("This objection has already been resolved."))
    reason = rules.check_text(reason, _l("Give the reason for the decision."))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution, objection.resolved_by_id, objection.resolved_at = reason, actor.id, now_utc()
    db.session.flush()
    audit("claims.objection_" + objection.status.value, objection, actor=actor, reason=reason)
    claim = objection.claim
    if upheld and claim.state == S.IN_NOTICE:
        move(claim, actor, S.IN_NOTICE, S.FINAL_REVIEW, reason=_l("Objection upheld: %(reason)s", reason=reason),
             values={"notice_id": None})


def close_notices(today: date, actor: User | None = None) -> int:
    """Claims whose notice period ended before `today` without a pending objection become approved for
    payment; a notice whose claims are all through is closed. Returns the number of claims approved."""
    notices = db.session.scalars(select(Notice).where(Notice.closed_at.is_(None), Notice.ends_on < today)
                                 .order_by(Notice.id)).all()
    approved = 0
    for notice in notices:
        claims = db.session.scalars(select(Claim).where(Claim.notice_id == notice.id, Claim.state == S.IN_NOTICE)
                                    .order_by(Claim.id)).all()
        waiting = 0
        for claim in claims:
            if any(item.status == ObjectionStatus.PENDING for item in claim.objections):
                waiting += 1
                continue
            move(claim, actor, S.IN_NOTICE, S.APPROVED, reason=_l("Notice period ended without objection"))
            approved += 1
        if not waiting:
            notice.closed_at = now_utc()
    db.session.flush()
    return approved


def record_payment(claims: list[Claim], *, actor: User, batch_no: str | None, paid_on: date | None) -> PaymentBatch:
    """A payment batch: the claims approved for payment are paid on `paid_on` under `batch_no`."""
    _admin(actor)
    batch_no = (batch_no or "").strip()
    if not batch_no:
        raise OperationError(_l("Enter the batch number."), field="batch_no")
    if paid_on is None:
        raise OperationError(_l("Enter the payment date."), field="paid_on")
    if not claims:
        raise OperationError(_l("Choose the claims paid in this batch."))
    if db.session.scalar(select(PaymentBatch.id).where(PaymentBatch.batch_no == batch_no)) is not None:
        raise OperationError(_l("This batch number is already recorded."), field="batch_no")
    batch = PaymentBatch(batch_no=batch_no, paid_on=paid_on, recorded_by_id=actor.id)
    db.session.add(batch)
    db.session.flush()
    for claim in claims:
        if claim.state != S.APPROVED:
            raise OperationError(_l("Only claims approved for payment can be paid."))
        move(claim, actor, S.APPROVED, S.PAID, reason=batch_no, values={"batch_id": batch.id})
    audit("claims.payment_batch", batch, actor=actor, claims=len(claims), batch_no=batch_no)
    return batch
