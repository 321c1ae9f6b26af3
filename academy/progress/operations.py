"""Records from outside the academy: workers add them with evidence; administrators verify them."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from academy.audit.operations import changes, record as audit
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.notifications.operations import notify
from academy.progress.evidence import store_evidence
from academy.progress.models import ExternalRecord, RecordKind, ReviewStatus
from academy.progress.standing import refresh_all, refresh_standing

FIELDS = {
    RecordKind.DEGREE: ("title", "institution", "partner", "major", "level_from", "level_to", "credits_earned",
                        "credits_required", "started_on", "expected_end_on", "ended_on", "degree_status",
                        "social_work_degree", "hours"),
    RecordKind.TRAINING: ("title", "institution", "started_on", "ended_on", "hours"),
    RecordKind.RESEARCH: ("title", "institution", "practice_base", "research_kind", "role", "started_on", "ended_on", "hours",
                          "outcome"),
}


def can_see_worker(viewer, worker) -> bool:
    """The worker themself, an administrator, or the administrator of the worker's subdistrict."""
    if not getattr(viewer, "is_authenticated", False) or worker is None:
        return False
    if viewer.id == worker.id or viewer.role == Role.ADMIN:
        return True
    return (viewer.role == Role.STREET_ADMIN and worker.profile is not None
            and worker.profile.subdistrict_id == viewer.street_id)


def _check(kind: RecordKind, values: dict, *, has_evidence: bool) -> None:
    """The rules of a claimed record, each refused in words at its field."""
    unknown = set(values) - set(FIELDS[kind])
    if unknown:
        raise TypeError(f"fields not used by {kind}: {sorted(unknown)}")
    started, ended, hours = values.get("started_on"), values.get("ended_on"), values.get("hours")
    if started and ended and ended < started:
        raise OperationError(_l("The end cannot be before the start."), field="ended_on")
    if not hours or kind == RecordKind.DEGREE:  # a degree's study is counted by its completion, not by days
        return
    if kind == RecordKind.TRAINING and not (started and ended):
        raise OperationError(_l("Give the start and end dates of the hours you claim."), field="started_on")
    per_day = current_app.config["RECORD_MAX_HOURS_PER_DAY"]
    days = (ended - started).days + 1 if started and ended else None
    if days is not None and hours > per_day * days:
        most, daily = format(per_day * days, "g"), format(per_day, "g")
        raise OperationError(_l("At most %(most)s hours for %(days)d days (%(per_day)s a day).", most=most, days=days,
                                per_day=daily), field="hours")
    threshold = current_app.config["RECORD_EVIDENCE_ABOVE_HOURS"]
    if hours > threshold and not has_evidence:
        raise OperationError(_l("More than %(hours)s hours need evidence: add a certificate or a letter.",
                                hours=format(threshold, "g")), field="evidence")


def add_record(worker, kind: RecordKind, *, evidence_name: str | None = None, evidence_data: bytes | None = None,
               **values) -> ExternalRecord:
    if worker.profile is None:
        raise OperationError(_l("Only social workers keep a learning record."))
    _check(kind, values, has_evidence=evidence_data is not None)
    item = ExternalRecord(worker_id=worker.id, kind=kind, review_status=ReviewStatus.PENDING, **values)
    if evidence_data is not None:
        item.evidence = store_evidence(worker, evidence_name, evidence_data)
    db.session.add(item)
    db.session.flush()
    return item


def _own_pending(item: ExternalRecord, worker) -> None:
    if item.worker_id != worker.id:
        raise PermissionError("another worker's record")
    if item.review_status != ReviewStatus.PENDING:
        raise OperationError(_l("Only a record awaiting verification can be changed or withdrawn."))


def update_record(item: ExternalRecord, worker, *, evidence_name: str | None = None,
                  evidence_data: bytes | None = None, **values) -> None:
    """The worker corrects their record while it awaits verification (a new file replaces the evidence,
    which stays stored); audited with what changed."""
    _own_pending(item, worker)
    _check(item.kind, values, has_evidence=evidence_data is not None or item.evidence_id is not None)
    for name, value in values.items():
        setattr(item, name, value)
    if evidence_data is not None:
        item.evidence = store_evidence(worker, evidence_name, evidence_data)
    audit("record.update", item, actor=worker, **changes(item, list(values)))
    db.session.flush()


def withdraw_record(item: ExternalRecord, worker) -> None:
    """The worker takes back a record awaiting verification: it stays, marked withdrawn."""
    _own_pending(item, worker)
    item.review_status = ReviewStatus.WITHDRAWN
    audit("record.withdraw", item, actor=worker)
    db.session.flush()


def awaiting_review_count() -> int:
    return db.session.scalar(select(func.count(ExternalRecord.id)).where(
        ExternalRecord.review_status == ReviewStatus.PENDING))


def review(item: ExternalRecord, *, actor, verified: bool, reason: str | None = None) -> None:
    if item.review_status != ReviewStatus.PENDING:
        raise OperationError(_l("This record has already been reviewed."))
    if not verified and not (reason or "").strip():
        raise OperationError(_l("Give the reason for not accepting the record."), field="reason")
    item.review_status = ReviewStatus.VERIFIED if verified else ReviewStatus.REJECTED
    item.reviewed_by_id, item.reviewed_at = actor.id, now_utc()
    item.review_reason = (reason or "").strip() or None
    audit("record.verify" if verified else "record.reject", item, actor=actor, reason=item.review_reason)
    if verified:
        notify(item.worker_id, "record_verified", title=item.title)
        refresh_standing(item.worker_id)
    else:
        notify(item.worker_id, "record_rejected", title=item.title, reason=item.review_reason)
    db.session.flush()


RULE_FIELDS = ("period_years", "required_hours", "degree_hours", "window_months", "counts_research")


def update_rule(rule, *, actor, **values) -> None:
    """Change a continuing-education rule (audited) and recompute every worker's standing under it."""
    for name, value in values.items():
        if name not in RULE_FIELDS:
            raise TypeError(name)
        setattr(rule, name, value)
    audit("ce_rule.update", rule, actor=actor, **changes(rule, RULE_FIELDS))
    refresh_all()
