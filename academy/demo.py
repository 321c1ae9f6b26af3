"""A small, realistic demo set: communities, agencies, a few accounts of each role and courses."""
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.auth import consent
from academy.auth.enums import ConsentKind, Education, Gender, Qualification
from academy.auth.models import User
from academy.auth.operations import create_user
from academy.core.i18n import local_to_utc, local_today
from academy.core.permissions import Role
from academy.courses import operations as course_ops
from academy.courses.models import CourseStatus, DeliveryMode
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.programmes.models import Programme
from academy.competitions.demo import load_demo_competitions
from academy.attendance.demo import load_demo_classroom
from academy.evaluations.demo import load_demo_evaluations
from academy.materials.demo import load_demo_materials
from academy.plans.demo import load_demo_plans
from academy.jobs.demo import load_demo_jobs
from academy.qualifications.demo import load_demo_registry
from academy.claims.demo import load_demo_claims

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
        certificate_no="Z2023110100123", qualification_verified=True, registration_date=date(2024, 3, 15),
        years_in_service=6,
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
            if role == Role.WORKER:  # as if registered: the notice agreed to, and the ID number apart
                consent.give(user, ConsentKind.PRIVACY_NOTICE)
                if profile.get("resident_id"):
                    consent.give(user, ConsentKind.RESIDENT_ID)
        accounts.append((user, DEMO_PASSWORD))
    instructors = [user for user, _ in accounts if user.role == Role.INSTRUCTOR]
    load_demo_courses(instructors, accounts[0][0])
    load_demo_history(instructors[0], accounts[0][0], [user for user, _ in accounts if user.role == Role.WORKER])
    load_demo_agreement(accounts[0][0])
    load_demo_registry(accounts[0][0], DEMO_PASSWORD)
    load_demo_claims(accounts[0][0], DEMO_PASSWORD)
    load_demo_competitions(accounts[0][0], DEMO_PASSWORD)
    load_demo_classroom(instructors[0], accounts[0][0], [user for user, _ in accounts if user.role == Role.WORKER])
    load_demo_materials(instructors[0])
    load_demo_evaluations(instructors[0], accounts[0][0], [user for user, _ in accounts if user.role == Role.WORKER][1])
    load_demo_plans(accounts[0][0])
    load_demo_jobs(accounts[0][0])
    return accounts


# (code, programme, title, summary, mode, weeks from today, days, session hours, capacity, description)
DEMO_COURSES = [
    ("DEMO-ZHUJI-01", "ZHUJI", "社会工作者职业水平考试（初级）冲刺班", "综合能力与实务串讲，真题演练",
     DeliveryMode.BLENDED, 3, 4, 3, 60, "## 课程安排\n\n- 社会工作综合能力\n- 社会工作实务\n\n每次课后布置**模拟题**。"),
    ("DEMO-YUYAN-01", "YUYAN", "新入职社区工作者岗位入门", "社区治理、居民服务与工作规范",
     DeliveryMode.IN_PERSON, 2, 3, 3, 40, "面向入职三年以内的社区工作者。"),
    ("DEMO-LINGYAN-01", "LINGYAN", "社区骨干项目策划与管理", "从需求调研到项目评估的全流程",
     DeliveryMode.IN_PERSON, 5, 2, 3, 30, "以东城区真实社区项目为案例。"),
    ("DEMO-TOUYAN-01", "TOUYAN", "党建引领基层治理专题研修", "面向社区党组织书记",
     DeliveryMode.IN_PERSON, 6, 2, 3, 25, "由北京青年政治学院教授主讲。"),
    ("DEMO-YUXIN-01", "YUXIN", "新就业群体参与社区治理", "外卖骑手、快递员等新就业群体的服务与动员",
     DeliveryMode.ONLINE, 4, 2, 2, 100, "线上直播，可回看。"),
    ("DEMO-SHENGENG-01", "SHENGENG", "校社联动调研方法工作坊", "与高校师生结对开展社区调研",
     DeliveryMode.BLENDED, 8, 2, 3, 20, "在校社联动实训基地开展。"),
]


def load_demo_courses(instructors: list[User], admin: User) -> None:
    """Published demo courses starting a few weeks from today, created through the real rules."""
    programmes = {p.code: p for p in db.session.scalars(select(Programme))}
    for index, (code, programme_code, title, summary, mode, weeks, days, hours, capacity, description) in enumerate(
        DEMO_COURSES
    ):
        if course_ops.find_course_by_code(code) is not None:
            continue
        starts_on = local_today() + timedelta(weeks=weeks)
        teacher = instructors[index % len(instructors)] if instructors else admin
        course = course_ops.create_course(
            actor=admin, programme=programmes[programme_code], code=code, title=title, summary=summary,
            description=description, mode=mode, credit_hours=Decimal("0"),
            venue=None if mode == DeliveryMode.ONLINE else "东城区社会工作学院",
            # a demo Tencent Meeting for the courses held online (the number is not a real meeting)
            meeting_url="https://meeting.tencent.com/dm/DEMO0001" if mode != DeliveryMode.IN_PERSON else None,
            meeting_number="800 000 001" if mode != DeliveryMode.IN_PERSON else None,
            meeting_password="2026" if mode != DeliveryMode.IN_PERSON else None,
            hours_from_sessions=True, capacity=capacity, waitlist_enabled=True,
            enrol_opens_at=local_to_utc(datetime.combine(local_today() - timedelta(days=7), datetime.min.time())),
            enrol_closes_at=local_to_utc(datetime.combine(starts_on - timedelta(days=2), datetime.min.time())),
            starts_on=starts_on, ends_on=starts_on + timedelta(days=days - 1), approval_required=None,
            min_qualification=None, min_education=None, min_attendance_rate=80, pass_mark=None,
            instructors=[teacher], subdistricts=[], prerequisites=[],
        )
        for day in range(days):
            start = datetime.combine(starts_on + timedelta(days=day), datetime.min.time()).replace(hour=9)
            course_ops.save_session(
                course, None, actor=admin, starts_at=local_to_utc(start),
                ends_at=local_to_utc(start + timedelta(hours=hours)), topic=f"{title}（第{day + 1}讲）",
                instructor=teacher,
            )
        course_ops.change_status(course, CourseStatus.PUBLISHED, actor=admin)


def load_demo_history(instructor: User, admin: User, workers: list[User]) -> None:
    """A course that ended two weeks ago, with attendance kept and results finalised."""
    from academy.attendance import operations as attendance_ops
    from academy.attendance.models import Mark
    from academy.enrolment import operations as enrolment_ops

    code = "DEMO-ZHUJI-PAST"
    if course_ops.find_course_by_code(code) is not None:
        return
    starts_on = local_today() - timedelta(days=20)
    course = course_ops.create_course(
        actor=admin, programme=db.session.scalar(select(Programme).where(Programme.code == "ZHUJI")), code=code,
        title="社会工作伦理与实务基础", summary="价值、伦理与专业关系", description="", mode=DeliveryMode.IN_PERSON,
        venue="东城区社会工作学院", credit_hours=Decimal("0"), hours_from_sessions=True, capacity=30,
        waitlist_enabled=True, enrol_opens_at=local_to_utc(datetime.combine(starts_on - timedelta(days=30),
                                                                           datetime.min.time())),
        enrol_closes_at=local_to_utc(datetime.combine(starts_on - timedelta(days=1), datetime.min.time())),
        starts_on=starts_on, ends_on=starts_on + timedelta(days=4), approval_required=False, min_qualification=None,
        min_education=None, min_attendance_rate=80, pass_mark=None, instructors=[instructor], subdistricts=[],
        prerequisites=[],
    )
    for day in range(5):
        start = datetime.combine(starts_on + timedelta(days=day), datetime.min.time()).replace(hour=14)
        course_ops.save_session(course, None, actor=admin, starts_at=local_to_utc(start),
                                ends_at=local_to_utc(start + timedelta(hours=3)), topic=f"伦理与实务（第{day + 1}讲）",
                                instructor=instructor)
    course.status = CourseStatus.PUBLISHED
    enrolments = [enrolment_ops.enrol(course, worker, actor=admin, by_staff=True) for worker in workers[:2]]
    for index, item in enumerate(course.sessions):
        marks = {enrolments[0].id: Mark.PRESENT, enrolments[1].id: Mark.ABSENT if index < 2 else Mark.PRESENT}
        attendance_ops.save_marks(item, marks, actor=instructor)
    attendance_ops.finalise(course, actor=instructor)


def load_demo_agreement(admin: User) -> None:
    """The tri-party framework agreement that founded the academy, and a practice base under it."""
    from academy.partners import operations as partner_ops
    from academy.partners.models import Agreement, AgreementType, Partner

    if db.session.scalar(select(Agreement).where(Agreement.number == "DEMO-DCSW-2025-001")) is not None:
        return
    parties = db.session.scalars(select(Partner).order_by(Partner.id)).all()
    programmes = {p.code: p for p in db.session.scalars(select(Programme))}
    founding = partner_ops.save_agreement(
        None, actor=admin, title="共建东城区社会工作学院合作框架协议", type=AgreementType.FRAMEWORK,
        number="DEMO-DCSW-2025-001", signed_on=local_today() - timedelta(days=300),
        effective_from=local_today() - timedelta(days=300), effective_to=local_today() + timedelta(days=60),
        scope="围绕学历提升、能力提升、技能提升、学研实践四个方面合作共建社会工作学院。", responsible_staff="王敏",
        parties=parties, programmes=list(programmes.values()),
    )
    partner_ops.save_base(
        None, actor=admin, name="交道口校社联动实训基地", host_partner=parties[1], host_unit=None,
        subdistrict=db.session.scalar(select(OrgUnit).where(OrgUnit.code == "110101003000")),
        address="东城区交道口", capacity=30, agreement=founding,
    )
