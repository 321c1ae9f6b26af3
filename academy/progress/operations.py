"""Records from outside the academy: workers add them with evidence; administrators verify them."""
from flask_babel import lazy_gettext as _l

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


def add_record(worker, kind: RecordKind, *, evidence_name: str | None = None, evidence_data: bytes | None = None,
               **values) -> ExternalRecord:
    if worker.profile is None:
        raise OperationError(_l("Only social workers keep a learning record."))
    unknown = set(values) - set(FIELDS[kind])
    if unknown:
        raise TypeError(f"fields not used by {kind}: {sorted(unknown)}")
    if values.get("started_on") and values.get("ended_on") and values["ended_on"] < values["started_on"]:
        raise OperationError(_l("The end cannot be before the start."), field="ended_on")
    item = ExternalRecord(worker_id=worker.id, kind=kind, review_status=ReviewStatus.PENDING, **values)
    if evidence_data is not None:
        item.evidence = store_evidence(worker, evidence_name, evidence_data)
    db.session.add(item)
    db.session.flush()
    return item


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
