"""The demo claims: four schemes, one in each state, written through the claims' own operations.

- this year's scheme (last year's exam), window open: drafts, claims at each review level, one
  returned for correction;
- the scheme before (two years back), in public notice, with a pending objection;
- the one before that, paid in a batch, with a rejected claim and one approved for payment;
- next year's scheme, its window not yet open."""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.auth.operations import create_user
from academy.claims import notice as notice_ops
from academy.claims import operations as ops
from academy.claims.models import Claim, ClaimState, Material, Scheme
from academy.core.errors import OperationError
from academy.core.i18n import local_today
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.qualifications.models import QualificationRecord, RecordStatus

S = ClaimState
PDF = b"%PDF-1.4\n%%EOF\n"
TICKS = {"certificate_no": True, "exam_year": True, "identity": True, "materials": True}
GUIDE = ("申请人须为在东城区单位工作的社会工作者，于当年度全国社会工作者职业水平考试中取得证书。"
         "请上传签字的申请表、证书和身份证明；高级社会工作师另附评审通过证明。")


def _scheme(admin, year: int, opens_on: date, **amounts) -> Scheme:
    existing = db.session.scalar(select(Scheme).where(Scheme.exam_year == year))
    if existing is not None:
        return existing
    return ops.create_scheme(actor=admin, title=f"{year}年度社会工作者职业水平考试奖补", exam_year=year,
                             amount_assistant=Decimal("1000"), amount_social_worker=Decimal("2000"),
                             amount_senior=Decimal("3000"), opens_on=opens_on, closes_on=opens_on + timedelta(days=45),
                             first_review_by=opens_on + timedelta(days=60), notice_days=5, guide=GUIDE)


def _first_reviewer(subdistrict_id: int, password: str) -> User:
    reviewer = db.session.scalar(select(User).where(User.role == Role.STREET_ADMIN, User.street_id == subdistrict_id)
                                 .order_by(User.id).limit(1))
    if reviewer is None:
        reviewer = create_user(role=Role.STREET_ADMIN, phone=f"1380002{subdistrict_id:04d}", name="街道审核员",
                               password=password, street=db.session.get(OrgUnit, subdistrict_id))
    return reviewer


NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "黄敏", "赵勇", "吴娟", "周涛", "徐明", "孙超", "马丽", "朱军",
         "胡杰"]


def _more_workers(year: int, count: int, admin: User, password: str) -> None:
    """Workers certified in `year` through the annual results list, for the demo claims."""
    from academy.qualifications.operations import record_result

    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind.in_((OrgKind.COMMUNITY, OrgKind.AGENCY)))
                               .order_by(OrgUnit.id)).all()
    for index in range(count):
        serial = (year % 100) * 100 + index
        worker = create_user(role=Role.WORKER, phone=f"1380003{serial:04d}", name=NAMES[serial % len(NAMES)],
                             password=password, work_unit=units[serial % len(units)])
        level = Qualification.SOCIAL_WORKER if index % 3 == 2 else Qualification.ASSISTANT
        record_result(worker, level=level, certificate_no=f"D{year}1101{serial:05d}", exam_year=year,
                      issued_on=date(year, 12, 1), issuing_authority="人力资源和社会保障部 民政部", actor=admin)


def _candidates(year: int, count: int, admin: User, password: str) -> list[QualificationRecord]:
    """Standing certificates of the exam year, of workers with no claim yet (more workers when too few)."""
    found = _standing(year, count)
    if len(found) < count:
        _more_workers(year, count - len(found), admin, password)
        found = _standing(year, count)
    return found


def _standing(year: int, count: int) -> list[QualificationRecord]:
    return list(db.session.scalars(
        select(QualificationRecord).join(WorkerProfile, WorkerProfile.user_id == QualificationRecord.worker_id)
        .where(QualificationRecord.exam_year == year,
               QualificationRecord.status.in_((RecordStatus.VERIFIED, RecordStatus.DECLARED)),
               ~select(Claim.id).where(Claim.worker_id == QualificationRecord.worker_id).exists())
        .order_by(QualificationRecord.id).limit(count)))


def _claim(scheme, record, day: date, upload: bool = True) -> Claim:
    worker = record.worker
    claim = ops.start_claim(worker, scheme, record, bank_name="北京银行东城支行",
                            bank_account=f"62220000{worker.id:011d}", declared=True)
    if upload:
        for kind in scheme.materials_for(record.level):
            ops.upload_material(claim, worker, Material(kind), f"{Material(kind).label}.pdf", PDF)
    return claim


def _to(claim, target: ClaimState, people: dict, day: date, password: str) -> None:
    ops.submit(claim, claim.worker, today=day)
    people = {S.FIRST_REVIEW: _first_reviewer(claim.subdistrict_id, password), **people}
    for step in (S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW):
        if target == step:
            return
        ops.forward(claim, actor=people[step], checklist=TICKS)


def load_demo_claims(admin: User, password: str) -> None:
    if db.session.scalar(select(Scheme.id).limit(1)) is not None:
        return
    today = local_today()
    reviewer = db.session.scalar(select(User).where(User.phone == "13800000008"))
    if reviewer is None:
        reviewer = create_user(role=Role.DISTRICT_REVIEWER, phone="13800000008", name="周建国", password=password)
    people = {S.SECOND_REVIEW: admin, S.FINAL_REVIEW: reviewer}
    try:
        # Open: last year's exam.
        current = _scheme(admin, today.year - 1, today - timedelta(days=10))
        records = _candidates(current.exam_year, 6, admin, password)
        targets = [S.DRAFT, S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW, S.RETURNED, S.FIRST_REVIEW]
        for record, target in zip(records, targets):
            claim = _claim(current, record, today, upload=target != S.DRAFT)
            if target == S.RETURNED:
                _to(claim, S.SECOND_REVIEW, people, today, password)
                ops.send_back(claim, actor=admin, note="身份证明扫描件不清晰，请重新上传。")
            elif target != S.DRAFT:
                _to(claim, target, people, today, password)
        # In notice: two years back.
        noticed = _scheme(admin, today.year - 2, today - timedelta(days=120))
        day = noticed.opens_on + timedelta(days=5)
        in_notice = []
        for record in _candidates(noticed.exam_year, 4, admin, password):
            claim = _claim(noticed, record, day)
            _to(claim, S.FINAL_APPROVED, people, day, password)
            in_notice.append(claim)
        if in_notice:
            notice_ops.publish_notice(noticed, actor=admin, today=today - timedelta(days=1))
            notice_ops.file_objection(in_notice[0], grounds="据了解该申请人已调离东城区工作单位。",
                                      contact="居民 139****0000", today=today)
        # Paid: three years back.
        paid = _scheme(admin, today.year - 3, today - timedelta(days=400))
        day = paid.opens_on + timedelta(days=5)
        done = []
        for index, record in enumerate(_candidates(paid.exam_year, 5, admin, password)):
            claim = _claim(paid, record, day)
            if index == 0:
                _to(claim, S.FIRST_REVIEW, people, day, password)
                ops.reject(claim, actor=_first_reviewer(claim.subdistrict_id, password), reason="证书考试年度与本期不符。")
                continue
            _to(claim, S.FINAL_APPROVED, people, day, password)
            done.append(claim)
        if done:
            notice_ops.publish_notice(paid, actor=admin, today=day + timedelta(days=70))
            notice_ops.close_notices(day + timedelta(days=90))
            notice_ops.record_payment(done[:-1], actor=admin, batch_no=f"{paid.exam_year}-JB-001",
                                      paid_on=day + timedelta(days=100))
        # Upcoming: this year's exam, opening next year.
        _scheme(admin, today.year, date(today.year + 1, 3, 1))
    except OperationError as error:  # the demo shows what it could write; the reason is visible in the logs
        raise RuntimeError(f"demo claims: {error.message}") from error
    db.session.flush()
