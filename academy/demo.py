"""A small, realistic demo set: communities, agencies and a few accounts of each role."""
from datetime import date

from sqlalchemy import select

from academy.auth.enums import Education, Gender, Qualification
from academy.auth.models import User
from academy.auth.operations import create_user
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit

# (subdistrict code, kind, Chinese name, English name)
DEMO_UNITS = [
    ("110101001000", OrgKind.COMMUNITY, "多福巷社区", "Duofuxiang Community"),
    ("110101001000", OrgKind.COMMUNITY, "南池子社区", "Nanchizi Community"),
    ("110101002000", OrgKind.COMMUNITY, "景山东街社区", "Jingshan Dongjie Community"),
    ("110101003000", OrgKind.COMMUNITY, "南锣鼓巷社区", "Nanluoguxiang Community"),
    ("110101006000", OrgKind.COMMUNITY, "东四六条社区", "Dongsi Liutiao Community"),
    ("110101010000", OrgKind.COMMUNITY, "和平里东街社区", "Hepingli Dongjie Community"),
    ("110101011000", OrgKind.COMMUNITY, "草厂社区", "Caochang Community"),
    ("110101016000", OrgKind.COMMUNITY, "天坛东里社区", "Tiantan Dongli Community"),
    ("110101008000", OrgKind.AGENCY, "东城区协力社会工作事务所", "Xieli Social Work Agency"),
    ("110101014000", OrgKind.AGENCY, "龙潭睦邻社会工作服务中心", "Longtan Good Neighbours Social Work Centre"),
]

DEMO_PASSWORD = "dongcheng-demo-courtyard"

# (role, phone, name, street code, work unit name, profile)
DEMO_USERS = [
    (Role.ADMIN, "13800000001", "王敏", None, None, {}),
    (Role.STREET_ADMIN, "13800000002", "李静", "110101001000", None, {}),
    (Role.INSTRUCTOR, "13800000003", "陈晓东", None, None, {}),
    (Role.INSTRUCTOR, "13800000004", "刘芳", None, None, {}),
    (Role.WORKER, "13800000005", "张伟", None, "多福巷社区", dict(
        gender=Gender.MALE, education=Education.BACHELOR, qualification=Qualification.SOCIAL_WORKER,
        certificate_no="Z2023110100123", registration_date=date(2024, 3, 15), years_in_service=6,
        post="社区居委会委员", resident_id="110105198803150029",
    )),
    (Role.WORKER, "13800000006", "赵丽娜", None, "草厂社区", dict(
        gender=Gender.FEMALE, education=Education.JUNIOR_COLLEGE, qualification=Qualification.ASSISTANT,
        registration_date=date(2025, 6, 1), years_in_service=2, post="社区工作者",
    )),
    (Role.WORKER, "13800000007", "孙浩然", None, "龙潭睦邻社会工作服务中心", dict(
        gender=Gender.MALE, education=Education.MASTER, qualification=Qualification.NONE, years_in_service=1,
        post="项目社工",
    )),
]


def _subdistricts() -> dict[str, OrgUnit]:
    rows = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT))
    return {unit.code: unit for unit in rows}


def load_demo() -> list[tuple[User, str]]:
    """Add the demo units and accounts that are missing; returns every demo account."""
    streets = _subdistricts()
    if not streets:
        raise RuntimeError("Reference data is missing: run `flask --app wsgi academy seed` first.")
    units = {unit.name_zh: unit for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_not(None)))}
    for street_code, kind, name_zh, name_en in DEMO_UNITS:
        if name_zh not in units:
            units[name_zh] = OrgUnit(kind=kind, parent=streets[street_code], name_zh=name_zh, name_en=name_en)
            db.session.add(units[name_zh])
    db.session.flush()

    accounts = []
    for role, phone, name, street_code, unit_name, profile in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.phone == phone))
        if user is None:
            user = create_user(
                role=role, phone=phone, name=name, password=DEMO_PASSWORD,
                street=streets.get(street_code) if street_code else None,
                work_unit=units.get(unit_name) if unit_name else None,
                **profile,
            )
        accounts.append((user, DEMO_PASSWORD))
    return accounts
