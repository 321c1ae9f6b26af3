"""Claims: schemes set up by an administrator, a worker's claim from draft to submission, and the
three-level review. Every state change is one conditional UPDATE on the state that was read (two
reviewers at once: one wins, the other is told) plus an event row. Operations flush, never commit."""
from datetime import date

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.claims import rules
from academy.claims.models import REVIEW_STATES, Claim, ClaimEvent, ClaimState, ClaimUpload, Material, Scheme
from academy.core.errors import OperationError
from academy.core import i18n
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.operations import notify
from academy.orgs.models import WORK_UNIT_KINDS
from academy.privacy.signals import closing_blocked
from academy.progress.evidence import store_evidence
from academy.qualifications.models import QualificationRecord, RecordStatus
from academy.qualifications.rules import normalise_certificate_no

S = ClaimState
CHANGED = _l("Someone else acted on this claim meanwhile, so nothing was saved. Reload the page to see its "
             "current state.")
SCHEME_FIELDS = ("title", "exam_year", "amount_assistant", "amount_social_worker", "amount_senior", "opens_on",
                 "closes_on", "first_review_by", "notice_days", "materials", "guide")


def _check_scheme(values: dict) -> None:
    if values["closes_on"] < values["opens_on"]:
        raise OperationError(_l("The window closes before it opens."), field="closes_on")
    if values["first_review_by"] < values["closes_on"]:
        raise OperationError(_l("The first-review deadline comes after the window closes."), field="first_review_by")
    if not 1 <= values["notice_days"] <= 30:
        raise OperationError(_l("The notice lasts 1 to 30 working days."), field="notice_days")
    if any(values[key] < 0 for key in ("amount_assistant", "amount_social_worker", "amount_senior")):
        raise OperationError(_l("Amounts cannot be negative."), field="amount_assistant")


def create_scheme(*, actor: User, **values) -> Scheme:
    _check_scheme(values)
    if db.session.scalar(select(Scheme.id).where(Scheme.exam_year == values["exam_year"])) is not None:
        raise OperationError(_l("There is already a scheme for this exam year."), field="exam_year")
    scheme = Scheme(created_by_id=actor.id, **{key: values[key] for key in SCHEME_FIELDS if key in values})
    db.session.add(scheme)
    db.session.flush()
    audit("claims.scheme_create", scheme, actor=actor, exam_year=scheme.exam_year)
    return scheme


def change_scheme(scheme: Scheme, *, actor: User, **values) -> None:
    """A new version of the scheme's terms; claims already submitted keep the terms they copied."""
    merged = {key: values.get(key, getattr(scheme, key)) for key in SCHEME_FIELDS}
    _check_scheme(merged)
    for key in SCHEME_FIELDS:
        setattr(scheme, key, merged[key])
    scheme.version += 1
    db.session.flush()
    audit("claims.scheme_change", scheme, actor=actor, version=scheme.version)


def in_dongcheng(worker: User) -> bool:
    profile = worker.profile
    return profile is not None and profile.work_unit is not None and profile.work_unit.kind in WORK_UNIT_KINDS \
        and profile.subdistrict_id is not None


def claimable_records(worker: User) -> list[QualificationRecord]:
    """The worker's standing certificates (verified or awaiting verification), to pre-fill a claim."""
    return list(db.session.scalars(select(QualificationRecord).where(
        QualificationRecord.worker_id == worker.id,
        QualificationRecord.status.in_((RecordStatus.VERIFIED, RecordStatus.DECLARED)))
        .order_by(QualificationRecord.exam_year.desc())))


def start_claim(worker: User, scheme: Scheme, record: QualificationRecord | None = None, **values) -> Claim:
    """A draft claim, its level and certificate taken from the worker's registry record when given."""
    if worker.profile is None:
        raise OperationError(_l("Only social workers claim the exam subsidy."))
    if record is not None:
        if record.worker_id != worker.id:
            raise OperationError(_l("Choose one of your own certificates."), field="record")
        values.update(level=record.level, certificate_no=record.certificate_no, exam_year=record.exam_year)
    claim = Claim(scheme=scheme, worker_id=worker.id, qualification_id=record.id if record else None,
                  subdistrict_id=worker.profile.subdistrict_id, work_unit_id=worker.profile.work_unit_id,
                  level=values["level"], certificate_no=normalise_certificate_no(values["certificate_no"]),
                  exam_year=values["exam_year"], account_holder=worker.name)
    _set_details(claim, values)
    _check_not_claimed(claim)
    db.session.add(claim)
    db.session.add(ClaimEvent(claim=claim, actor_id=worker.id, to_state=S.DRAFT))
    db.session.flush()
    audit("claims.start", claim, actor=worker, scheme=scheme.id)
    return claim


def _set_details(claim: Claim, values: dict) -> None:
    if "bank_account" in values:
        claim.bank_account = rules.check_bank_account(values["bank_account"])
    for key in ("bank_name", "account_holder"):
        if values.get(key) is not None:
            setattr(claim, key, values[key].strip())
    if "declared" in values:
        claim.declared = bool(values["declared"])


def _standing_claims(claim: Claim):
    standing = [Claim.state != S.REJECTED]
    if claim.id is not None:
        standing.append(Claim.id != claim.id)
    certificate = db.session.scalar(select(func.count(Claim.id)).where(
        Claim.certificate_no == claim.certificate_no, *standing))
    level = db.session.scalar(select(func.count(Claim.id)).where(
        Claim.worker_id == claim.worker_id, Claim.level == claim.level, *standing))
    return bool(certificate), bool(level)


def _check_not_claimed(claim: Claim) -> None:
    certificate, level = _standing_claims(claim)
    if certificate:
        raise OperationError(_l("This certificate has already been claimed or subsidised in a scheme."),
                             field="certificate_no")
    if level:
        raise OperationError(_l("You have already claimed or received the subsidy for this level."), field="level")


def _own_editable(claim: Claim, worker: User) -> None:
    if claim.worker_id != worker.id:
        raise OperationError(_l("This is not your claim."))
    if claim.state not in rules.EDITABLE:
        raise OperationError(_l("The claim is under review and cannot be changed now."))


def edit_claim(claim: Claim, worker: User, **values) -> None:
    _own_editable(claim, worker)
    _set_details(claim, values)
    db.session.flush()


def upload_material(claim: Claim, worker: User, material: Material, filename: str, data: bytes) -> ClaimUpload:
    _own_editable(claim, worker)
    upload = ClaimUpload(claim=claim, material=Material(material),
                         file=store_evidence(worker, filename, data, field="file"))
    db.session.add(upload)
    db.session.flush()
    return upload


def submission_problems(claim: Claim, today: date) -> None:
    """Every pre-submission check of the claim against its scheme (raises the first one failed)."""
    certificate, level = _standing_claims(claim)
    scheme = claim.scheme
    required = scheme.materials_for(claim.level)
    rules.check_submission(
        scheme_exam_year=scheme.exam_year, exam_year=claim.exam_year, in_dongcheng=in_dongcheng(claim.worker),
        certificate_claimed=certificate, level_claimed=level, today=today, opens_on=scheme.opens_on,
        closes_on=scheme.closes_on, missing=rules.missing_materials(required, claim.latest_uploads()),
        declared=claim.declared, bank_complete=bool(claim.bank_name and claim.bank_account and claim.account_holder))


def submit(claim: Claim, worker: User, today: date | None = None) -> None:
    """The worker submits (or resubmits after a return): the scheme's terms are copied onto the claim and
    it goes to the first review."""
    _own_editable(claim, worker)
    submission_problems(claim, today or i18n.local_today())
    scheme = claim.scheme
    resubmitted = claim.state == S.RETURNED
    move(claim, worker, claim.state, S.FIRST_REVIEW, reason=_l("Resubmitted") if resubmitted else None,
         values=dict(amount=scheme.amount_for(claim.level), required_materials=scheme.materials_for(claim.level),
                     scheme_version=scheme.version, submitted_at=now_utc(), correction_note=None))


def move(claim: Claim, actor: User | None, from_state: ClaimState, to_state: ClaimState, *, reason=None,
         checklist: dict | None = None, values: dict | None = None, notice: bool = True) -> ClaimEvent:
    """The one write path of a state change: UPDATE … WHERE state = the state read. When another request
    moved the claim first, nothing matches and the caller is told."""
    result = db.session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.state == from_state)
        .values(state=to_state, updated_at=now_utc(), **(values or {})))
    if result.rowcount != 1:
        raise OperationError(CHANGED)
    event = ClaimEvent(claim_id=claim.id, actor_id=actor.id if actor else None, from_state=from_state,
                       to_state=to_state, reason=str(reason) if reason else None, checklist=checklist)
    db.session.add(event)
    db.session.flush()
    db.session.refresh(claim)
    audit(f"claims.{to_state.value}", claim, actor=actor, before=from_state.value, reason=event.reason)
    if notice:
        notify(claim.worker_id, notification_kind(from_state, to_state), link=claim_link(claim),
               scheme=claim.scheme.title, reason=event.reason or "")
    return event


def claim_link(claim: Claim) -> str | None:
    try:
        return url_for("claims.my_claim", claim_id=claim.id)
    except RuntimeError:  # outside a request (the CLI)
        return None


def notification_kind(from_state: ClaimState, to_state: ClaimState) -> str:
    if from_state == S.IN_NOTICE and to_state == S.FINAL_REVIEW:
        return "claim_reopened"
    return {S.FIRST_REVIEW: "claim_submitted", S.RETURNED: "claim_returned", S.REJECTED: "claim_rejected",
            S.IN_NOTICE: "claim_in_notice", S.APPROVED: "claim_approved", S.PAID: "claim_paid"}.get(
        to_state, "claim_progress")


def earlier_levels(claim_id: int, actor_id: int) -> set[ClaimState]:
    """The review levels at which the actor already decided on the claim."""
    states = db.session.scalars(select(ClaimEvent.from_state).where(
        ClaimEvent.claim_id == claim_id, ClaimEvent.actor_id == actor_id,
        ClaimEvent.from_state.in_(REVIEW_STATES))).all()
    return set(states)


def may_review(actor: User, claim: Claim):
    """None when the actor may decide on the claim now, else the reason."""
    return rules.review_refusal(actor=actor, state=claim.state, claim_worker_id=claim.worker_id,
                                claim_subdistrict_id=claim.subdistrict_id,
                                earlier_levels=earlier_levels(claim.id, actor.id))


def _may_review(actor: User, claim: Claim, state_read: ClaimState) -> None:
    refusal = rules.review_refusal(actor=actor, state=state_read, claim_worker_id=claim.worker_id,
                                   claim_subdistrict_id=claim.subdistrict_id,
                                   earlier_levels=earlier_levels(claim.id, actor.id))
    if refusal:
        raise OperationError(refusal)


def forward(claim: Claim, *, actor: User, checklist: dict | None, state_read: ClaimState | None = None) -> None:
    """Pass the review step: to the next level, or past 终审 to wait for the public notice."""
    state = ClaimState(state_read or claim.state)
    _may_review(actor, claim, state)
    ticks = rules.check_checklist(checklist)
    move(claim, actor, state, rules.NEXT_STATE[state], checklist=ticks)


def send_back(claim: Claim, *, actor: User, note: str | None, checklist: dict | None = None,
              state_read: ClaimState | None = None) -> None:
    """退回补正: the worker is told what to fix, edits and resubmits; the claim starts again at 初审."""
    state = ClaimState(state_read or claim.state)
    _may_review(actor, claim, state)
    note = rules.check_text(note, _l("Say what the worker must correct."))
    move(claim, actor, state, S.RETURNED, reason=note, checklist=_ticks(checklist), values={"correction_note": note})


def reject(claim: Claim, *, actor: User, reason: str | None, checklist: dict | None = None,
           state_read: ClaimState | None = None) -> None:
    state = ClaimState(state_read or claim.state)
    _may_review(actor, claim, state)
    reason = rules.check_text(reason, _l("Give the reason for the rejection."))
    move(claim, actor, state, S.REJECTED, reason=reason, checklist=_ticks(checklist))


def _ticks(checklist: dict | None) -> dict:
    return {key: bool((checklist or {}).get(key)) for key in rules.CHECKLIST}


def bulk_forward(claims: list[Claim], *, actor: User, checklist: dict | None) -> int:
    """Forward several checked claims at once: all or none."""
    for claim in claims:
        forward(claim, actor=actor, checklist=checklist)
    return len(claims)


def queue_filter(actor: User):
    """The claims waiting for this reviewer's level (and subdistrict)."""
    state = {Role.STREET_ADMIN: S.FIRST_REVIEW, Role.ADMIN: S.SECOND_REVIEW,
             Role.DISTRICT_REVIEWER: S.FINAL_REVIEW}.get(actor.role)
    if state is None:
        return [Claim.id.is_(None)]
    conditions = [Claim.state == state, Claim.worker_id != actor.id]
    if actor.role == Role.STREET_ADMIN:
        conditions.append(Claim.subdistrict_id == actor.street_id)
    return conditions


def can_see(actor: User, claim: Claim) -> bool:
    """Reviewers see the claims of their level's scope; the worker their own."""
    if actor.role == Role.WORKER:
        return claim.worker_id == actor.id
    if actor.role == Role.STREET_ADMIN:
        return claim.subdistrict_id == actor.street_id
    return actor.role in (Role.ADMIN, Role.DISTRICT_REVIEWER)


@closing_blocked.connect
def _claim_under_way(worker: User) -> str | None:
    """A claim under review, in notice or waiting for payment needs its claimant's details until it ends."""
    under_way = db.session.scalar(select(func.count(Claim.id)).where(
        Claim.worker_id == worker.id,
        Claim.state.in_(REVIEW_STATES + (ClaimState.FINAL_APPROVED, ClaimState.IN_NOTICE, ClaimState.APPROVED))))
    return _l("an exam-subsidy claim is under review or waiting for payment") if under_way else None
