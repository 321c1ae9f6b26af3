"""The demo registry: the demo workers' certificates and a few dozen more workers across the
subdistricts, most holding the assistant level or none, about a fifth intermediate, a handful senior,
more each year. Written through the registry's own operations (declare, then verify or refuse)."""
import random
from datetime import date

from sqlalchemy import select

from academy.auth.enums import Education, Qualification
from academy.auth.models import User
from academy.auth.operations import create_user
from academy.core.i18n import local_today
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.qualifications import operations as ops
from academy.qualifications.models import QualificationRecord

AUTHORITY = "人力资源和社会保障部 民政部"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = ["静", "敏", "伟", "芳", "娜", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "桂芳", "海燕",
         "建华", "志强", "晓燕", "丽华", "文博", "思远", "雨涵", "子豪", "欣怡", "浩宇", "梓涵", "一鸣"]
EXTRA_WORKERS = 40
# The demo workers' own certificates: (phone, level, number, exam year, issued on)
DEMO_CERTIFICATES = [
    ("13800000005", Qualification.ASSISTANT, "A2019110100087", 2019, date(2019, 12, 28)),
    ("13800000005", Qualification.SOCIAL_WORKER, "Z2023110100123", 2023, date(2024, 3, 15)),
    ("13800000006", Qualification.ASSISTANT, "A2024110100456", 2024, date(2025, 6, 1)),
]


def _number(level: Qualification, year: int, serial: int) -> str:
    return f"{'AZG'[level.rank - 1]}{year}1101{serial:05d}"


def _declare_and_verify(worker, admin, level, number, year, issued_on, *, verified=True):
    if db.session.scalar(select(QualificationRecord.id).where(QualificationRecord.certificate_no == number)):
        return
    item = ops.declare(worker, level=level, certificate_no=number, exam_year=year, issued_on=issued_on,
                       issuing_authority=AUTHORITY, today=local_today())
    if verified:
        ops.verify(item, actor=admin)


def load_demo_registry(admin: User, password: str) -> None:
    today = local_today()
    for phone, level, number, year, issued_on in DEMO_CERTIFICATES:
        worker = db.session.scalar(select(User).where(User.phone == phone))
        _declare_and_verify(worker, admin, level, number, year, issued_on)
    pending = db.session.scalar(select(User).where(User.phone == "13800000007"))
    _declare_and_verify(pending, admin, Qualification.ASSISTANT, _number(Qualification.ASSISTANT, today.year - 1, 901),
                        today.year - 1, date(today.year - 1, 12, 20), verified=False)

    rng = random.Random(21)  # the same district every time
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind.in_((OrgKind.COMMUNITY, OrgKind.AGENCY)))
                               .order_by(OrgUnit.id)).all()
    serial = 100
    for index in range(EXTRA_WORKERS):
        phone = f"1380001{index:04d}"
        worker = db.session.scalar(select(User).where(User.phone == phone))
        if worker is None:
            worker = create_user(role=Role.WORKER, phone=phone, name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                                 password=password, work_unit=units[index % len(units)],
                                 education=rng.choice(list(Education)))
        draw = rng.random()
        top = (Qualification.NONE if draw < 0.4 else Qualification.ASSISTANT if draw < 0.75
               else Qualification.SOCIAL_WORKER if draw < 0.93 else Qualification.SENIOR)
        # Later years weigh more: the registry grows year by year.
        year = min(today.year - 1, 2012 + int((today.year - 2012) * rng.random() ** 0.5))
        for level in (Qualification.ASSISTANT, Qualification.SOCIAL_WORKER, Qualification.SENIOR):
            if level.rank > top.rank:
                break
            if level == Qualification.ASSISTANT and top.rank > 1 and rng.random() < 0.5:
                continue  # many sit the intermediate exam directly
            serial += 1
            level_year = min(today.year - 1, year + 2 * (level.rank - 1))
            _declare_and_verify(worker, admin, level, _number(level, level_year, serial), level_year,
                                date(level_year, 12, 1), verified=index % 13 != 5)
    db.session.flush()
