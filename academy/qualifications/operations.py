"""Qualification records: workers declare them, administrators verify, refuse or revoke them, and the
worker's profile level follows the highest verified record. Operations flush, never commit."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record as audit
from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.core.errors import OperationError
from academy.core.i18n import local_today
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.operations import notify
from academy.progress.evidence import store_evidence
from academy.qualifications.models import QualificationEvent, QualificationRecord, RecordStatus
from academy.qualifications.rules import check_declaration, check_reason, check_senior, normalise_certificate_no

S = RecordStatus
COUNTED = (S.DECLARED, S.VERIFIED)  # records that stand (for the senior rule)


def can_review(actor, worker) -> bool:
    """An administrator, or the administrator of the worker's subdistrict."""
    if not getattr(actor, "is_authenticated", False) or worker is None or worker.profile is None:
        return False
    if actor.role == Role.ADMIN:
        return True
    return actor.role == Role.STREET_ADMIN and worker.profile.subdistrict_id == actor.street_id


def number_holder(certificate_no: str) -> QualificationRecord | None:
    """The standing record holding this certificate number, if any."""
    return db.session.scalar(select(QualificationRecord).where(
        QualificationRecord.certificate_no == certificate_no, QualificationRecord.status != S.REFUSED))


def has_intermediate(worker_id: int, statuses=COUNTED) -> bool:
    return db.session.scalar(select(QualificationRecord.id).where(
        QualificationRecord.worker_id == worker_id, QualificationRecord.level == Qualification.SOCIAL_WORKER,
        QualificationRecord.status.in_(statuses)).limit(1)) is not None


def _event(item: QualificationRecord, actor, to_status: RecordStatus, reason: str | None = None) -> None:
    from_status = item.status if item.id is not None else None
    db.session.add(QualificationEvent(record=item, actor_id=actor.id if actor else None, from_status=from_status,
                                      to_status=to_status, reason=reason))
    item.status = to_status


def declare(worker: User, *, level, certificate_no: str, exam_year: int | None, issued_on: date | None,
            issuing_authority: str, scan_name: str | None = None, scan_data: bytes | None = None,
            actor: User | None = None, today: date | None = None) -> QualificationRecord:
    """A worker declares a certificate; it waits for verification."""
    if worker.profile is None:
        raise OperationError(_l("Only social workers keep qualification records."))
    number = normalise_certificate_no(certificate_no)
    check_declaration(level=level, certificate_no=number, exam_year=exam_year, issued_on=issued_on,
                      today=today or local_today(), number_taken=number_holder(number) is not None if number else False,
                      has_intermediate=level != Qualification.SENIOR or has_intermediate(worker.id))
    if not (issuing_authority or "").strip():
        raise OperationError(_l("Enter the issuing authority."), field="issuing_authority")
    item = QualificationRecord(worker_id=worker.id, level=level, certificate_no=number, exam_year=exam_year,
                               issued_on=issued_on, issuing_authority=issuing_authority.strip()[:120],
                               declared_by_id=(actor or worker).id)
    if scan_data:
        item.scan = store_evidence(worker, scan_name, scan_data, field="scan")
    _event(item, actor or worker, S.DECLARED)
    db.session.add(item)
    db.session.flush()
    audit("qualification.declare", item, actor=actor or worker, level=level.value)
    return item


def verify(item: QualificationRecord, *, actor: User, override_reason: str | None = None) -> None:
    _may_decide(actor, item, S.DECLARED)
    override = (override_reason or "").strip() or None
    if override and actor.role != Role.ADMIN:
        raise OperationError(_l("Only an administrator may override the intermediate-record rule."),
                             field="override_reason")
    if item.level == Qualification.SENIOR:
        backed = has_intermediate(item.worker_id, (S.VERIFIED,))
        check_senior(item.level, backed, override)
        item.override_reason = None if backed else override
    _decide(item, actor, S.VERIFIED, override and f"override: {override}")
    notify(item.worker_id, "qualification_verified", number=item.certificate_no)
    derive_profile(item.worker_id)


def refuse(item: QualificationRecord, *, actor: User, reason: str | None) -> None:
    _may_decide(actor, item, S.DECLARED)
    reason = check_reason(reason)
    item.status_reason = reason
    _decide(item, actor, S.REFUSED, reason)
    notify(item.worker_id, "qualification_refused", number=item.certificate_no,
           reason=reason)


def revoke(item: QualificationRecord, *, actor: User, reason: str | None) -> None:
    """A verified record found wrong later: revoked (kept in the history), the level recomputed."""
    _may_decide(actor, item, S.VERIFIED)
    reason = check_reason(reason)
    item.status_reason = reason
    _decide(item, actor, S.REVOKED, reason)
    notify(item.worker_id, "qualification_revoked", number=item.certificate_no,
           reason=reason)
    derive_profile(item.worker_id)


def _may_decide(actor: User, item: QualificationRecord, expected: RecordStatus) -> None:
    if not can_review(actor, item.worker):
        raise OperationError(_l("You may decide only on records of workers in your subdistrict."))
    if item.status != expected:
        raise OperationError(_l("Only a verified record can be revoked.") if expected == S.VERIFIED
                             else _l("This record has already been decided."))


def _decide(item: QualificationRecord, actor: User, to_status: RecordStatus, reason: str | None) -> None:
    before = RecordStatus(item.status)
    _event(item, actor, to_status, reason)
    item.decided_by_id, item.decided_at = actor.id, now_utc()
    audit(f"qualification.{to_status.value}", item, actor=actor, before=before.value, reason=reason)
    db.session.flush()


def highest_verified(worker_id: int) -> QualificationRecord | None:
    records = db.session.scalars(select(QualificationRecord).where(
        QualificationRecord.worker_id == worker_id, QualificationRecord.status == S.VERIFIED)).all()
    return max(records, key=lambda r: (r.level.rank, r.exam_year, r.issued_on or date.min, r.id), default=None)


def derive_profile(worker_id: int) -> None:
    """The profile's level, certificate number and registration date from the highest verified record,
    set through the ORM so that the summary tables and the caches follow; then the CE standing."""
    from academy.progress.standing import refresh_standing  # the learning record builds on the registry's result

    profile = db.session.get(WorkerProfile, worker_id)
    if profile is None:
        return
    top = highest_verified(worker_id)
    profile.qualification = top.level if top else Qualification.NONE
    profile.certificate_no = top.certificate_no if top else None
    profile.registration_date = top.issued_on if top else None
    profile.qualification_verified = top is not None  # derived from a verified certificate
    db.session.flush()
    refresh_standing(worker_id)


def record_result(worker: User, *, level, certificate_no: str, exam_year: int, issued_on: date | None,
                  issuing_authority: str, actor: User, today: date | None = None) -> QualificationRecord:
    """A certificate from the official annual results list: written verified, under the same rules as a
    declaration (the senior rule against verified records). The caller derives the profile after."""
    number = normalise_certificate_no(certificate_no)
    check_declaration(level=level, certificate_no=number, exam_year=exam_year, issued_on=issued_on,
                      today=today or local_today(), number_taken=number_holder(number) is not None,
                      has_intermediate=level != Qualification.SENIOR or has_intermediate(worker.id, (S.VERIFIED,)))
    item = QualificationRecord(worker_id=worker.id, level=level, certificate_no=number, exam_year=exam_year,
                               issued_on=issued_on, issuing_authority=issuing_authority, imported=True,
                               declared_by_id=actor.id, decided_by_id=actor.id, decided_at=now_utc())
    _event(item, actor, S.VERIFIED, "annual results list")
    db.session.add(item)
    db.session.flush()
    audit("qualification.import", item, actor=actor, level=level.value)
    notify(worker.id, "qualification_verified", number=number)
    return item


def notify_ceremony(records, *, year: int, details: str, actor: User) -> int:
    """Tell each worker on the ceremony list when and where their certificate is handed out (once per
    worker, however many certificates)."""
    details = check_reason(details)
    worker_ids = sorted({item.worker_id for item in records})
    for worker_id in worker_ids:
        notify(worker_id, "qualification_ceremony", year=year, details=details)
    audit("qualification.ceremony_notice", actor=actor, year=year, workers=len(worker_ids), details=details)
    return len(worker_ids)
