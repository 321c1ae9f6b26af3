"""The claims' part of the route-walk world: a scheme, the world worker's claim in public notice with
an upload and an objection."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.claims.models import Claim, ClaimEvent, ClaimState, ClaimUpload, Notice, Objection, Scheme
from academy.core.i18n import local_today
from academy.extensions import db
from academy.progress.evidence import store_evidence

PDF = b"%PDF-1.4\n%%EOF\n"


def claims_world(worker, record) -> dict:
    today = local_today()
    scheme = db.session.scalar(select(Scheme).where(Scheme.exam_year == 2020))
    if scheme is None:
        scheme = Scheme(title="2020年度考试奖补", exam_year=2020, amount_assistant=Decimal(1000),
                        amount_social_worker=Decimal(2000), amount_senior=Decimal(3000),
                        opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=30),
                        first_review_by=today + timedelta(days=40), notice_days=5)
        db.session.add(scheme)
    notice = Notice(scheme=scheme, starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=6))
    claim = Claim(scheme=scheme, worker_id=worker.id, qualification_id=record.id, level=record.level,
                  subdistrict_id=worker.profile.subdistrict_id, work_unit_id=worker.profile.work_unit_id,
                  certificate_no=record.certificate_no, exam_year=2020, bank_name="银行", bank_account="6222000011112222",
                  account_holder=worker.name, declared=True, state=ClaimState.IN_NOTICE, amount=Decimal(2000),
                  notice=notice)
    upload = ClaimUpload(claim=claim, material="certificate", file=store_evidence(worker, "证书.pdf", PDF))
    objection = Objection(claim=claim, grounds="存疑", contact="13900000000")
    db.session.add_all([notice, claim, upload, objection,
                        ClaimEvent(claim=claim, to_state=ClaimState.IN_NOTICE)])
    db.session.flush()
    return {"scheme_id": scheme.id, "claim_id": claim.id, "upload_id": upload.id, "objection_id": objection.id}
