"""Claims test data: a scheme, a worker with a verified certificate, and claims brought to any state
through the real operations."""
from datetime import date
from decimal import Decimal

from academy.auth.enums import Qualification
from academy.claims import notice as notice_ops
from academy.claims import operations as ops
from academy.claims.models import ClaimState, Material, Scheme
from academy.core.permissions import Role
from academy.extensions import db
from tests.qualifications.helpers import add_record

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = date(2026, 6, 10)  # inside the window of scheme()
TICKS = {"certificate_no": True, "exam_year": True, "identity": True, "materials": True}


def scheme(make, exam_year=2025, **overrides) -> Scheme:
    values = dict(title=f"{exam_year}年度社会工作者职业水平考试奖补", exam_year=exam_year,
                  amount_assistant=Decimal("1000"), amount_social_worker=Decimal("2000"),
                  amount_senior=Decimal("3000"), opens_on=date(2026, 6, 1), closes_on=date(2026, 6, 30),
                  first_review_by=date(2026, 7, 15), notice_days=5, guide="请按要求提交材料。")
    values.update(overrides)
    item = ops.create_scheme(actor=overrides.pop("actor", None) or make.create_admin(), **values)
    db.session.commit()
    return item


def reviewer(make, role, street=None):
    if role == Role.STREET_ADMIN:
        return make.create_street_admin(street=street)
    return make.create_user(role)


def draft(make, the_scheme, worker=None, level=Qualification.ASSISTANT, year=None, upload=True, **values):
    worker = worker or make.create_worker()
    record = add_record(worker, level=level, year=year or the_scheme.exam_year)
    values = {"bank_name": "北京银行", "bank_account": "6222000011112222333", "declared": True, **values}
    claim = ops.start_claim(worker, the_scheme, record, **values)
    if upload:
        for kind in the_scheme.materials_for(level):
            ops.upload_material(claim, worker, Material(kind), f"{kind}.pdf", PDF)
    db.session.commit()
    return claim


def reviewers(make, claim) -> dict:
    return {ClaimState.FIRST_REVIEW: make.create_street_admin(street=claim.worker.profile.subdistrict),
            ClaimState.SECOND_REVIEW: make.create_admin(),
            ClaimState.FINAL_REVIEW: make.create_user(Role.DISTRICT_REVIEWER)}


def bring_to(make, claim, state: ClaimState, people=None, today=TODAY):
    """Move a draft through the real operations up to `state` (a review state, FINAL_APPROVED, IN_NOTICE,
    APPROVED)."""
    people = people or reviewers(make, claim)
    ops.submit(claim, claim.worker, today=today)
    for step in (ClaimState.FIRST_REVIEW, ClaimState.SECOND_REVIEW, ClaimState.FINAL_REVIEW):
        if state == step:
            break
        ops.forward(claim, actor=people[step], checklist=TICKS)
    if state in (ClaimState.IN_NOTICE, ClaimState.APPROVED):
        notice_ops.publish_notice(claim.scheme, actor=people[ClaimState.SECOND_REVIEW], today=today)
    if state == ClaimState.APPROVED:
        notice_ops.close_notices(date(2026, 12, 31))
    db.session.commit()
    return people


def freeze(monkeypatch, day: date) -> None:
    """Freeze the academy's today (Beijing) for the claims' rules and pages."""
    from academy.core import i18n

    monkeypatch.setattr(i18n, "local_today", lambda: day)
