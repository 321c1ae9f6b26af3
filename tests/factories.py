"""Factories for test data: create_worker(**overrides) and friends.

They commit, which inside the test's outer transaction only releases a savepoint: the rows exist
before the request under test, as in real use, and vanish when the test's transaction rolls back."""
import itertools
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from academy.auth.enums import ConsentKind, Education, Qualification
from academy.auth.models import Consent, User, WorkerProfile
from academy.core.i18n import LOCAL_TZ
from academy.core.permissions import Role
from academy.courses.models import Course, CourseSession, CourseStatus, DeliveryMode
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.programmes.models import Programme
from academy.core.i18n import local_today

DEFAULT_PASSWORD = "quiet-hutong-lantern-42"
_sequence = itertools.count(1)


def next_phone() -> str:
    return f"139{next(_sequence):08d}"


def subdistrict(code: str = "110101001000") -> OrgUnit:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def programme(code: str = "ZHUJI") -> Programme:
    return db.session.scalar(select(Programme).where(Programme.code == code))


def create_unit(parent: OrgUnit | None = None, kind: OrgKind = OrgKind.COMMUNITY, **overrides) -> OrgUnit:
    number = next(_sequence)
    unit = OrgUnit(
        kind=kind,
        parent=parent or subdistrict(),
        name_zh=overrides.pop("name_zh", f"测试{number}社区"),
        name_en=overrides.pop("name_en", f"Test Community {number}"),
        **overrides,
    )
    db.session.add(unit)
    db.session.commit()
    return unit


def create_user(role: Role = Role.ADMIN, password: str = DEFAULT_PASSWORD, **overrides) -> User:
    number = next(_sequence)
    user = User(
        role=role,
        phone=overrides.pop("phone", None) or next_phone(),
        name=overrides.pop("name", f"用户{number}"),
        **overrides,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def create_admin(**overrides) -> User:
    return create_user(Role.ADMIN, **overrides)


def create_instructor(**overrides) -> User:
    return create_user(Role.INSTRUCTOR, **overrides)


def create_district_reviewer(**overrides) -> User:
    return create_user(Role.DISTRICT_REVIEWER, **overrides)
def create_judge(**overrides) -> User:
    return create_user(Role.JUDGE, **overrides)


def create_street_admin(street: OrgUnit | None = None, **overrides) -> User:
    return create_user(Role.STREET_ADMIN, street=street or subdistrict(), **overrides)


def create_worker(work_unit: OrgUnit | None = None, consented: bool = True, **overrides) -> User:
    """A worker who agreed to the current privacy notice (and to their ID number, when they have one) unless
    `consented=False`: one without is sent to the notice at sign-in."""
    profile_fields = {
        key: overrides.pop(key)
        for key in list(overrides)
        if key in {"gender", "education", "qualification", "qualification_verified", "certificate_no",
                   "registration_date",
                   "resident_id", "years_in_service", "post"}
    }
    profile_fields.setdefault("education", Education.BACHELOR)
    profile_fields.setdefault("qualification", Qualification.ASSISTANT)
    profile_fields.setdefault("registration_date", date(2025, 1, 1))
    # Test workers' levels are verified unless a test says otherwise (issue 27, finding 7).
    profile_fields.setdefault("qualification_verified", True)
    unit = work_unit or create_unit()
    user = create_user(Role.WORKER, **overrides)
    user.profile = WorkerProfile(work_unit=unit, subdistrict_id=unit.subdistrict_id, **profile_fields)
    if consented:
        kinds = [ConsentKind.PRIVACY_NOTICE] + ([ConsentKind.RESIDENT_ID] if profile_fields.get("resident_id") else [])
        db.session.add_all(Consent(user_id=user.id, kind=kind, version=current_app.config["PRIVACY_NOTICE_VERSION"],
                                   granted=True) for kind in kinds)
    db.session.commit()
    return user


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing wall-clock time as the aware UTC datetime the database stores."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def create_course(programme_code: str = "ZHUJI", *, sessions: int = 1, instructors=(), **overrides) -> Course:
    """A course starting 30 days from now; published unless status= says otherwise."""
    number = next(_sequence)
    starts_on = overrides.pop("starts_on", local_today() + timedelta(days=30))
    values = dict(
        code=f"TEST-{number:05d}",
        title=f"测试课程{number}",
        summary="社区治理实务",
        mode=DeliveryMode.IN_PERSON,
        capacity=30,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=max(sessions - 1, 0)),
        enrol_opens_at=local(starts_on - timedelta(days=40)),
        enrol_closes_at=local(starts_on - timedelta(days=2), 18),
        status=CourseStatus.PUBLISHED,
        credit_hours=Decimal("3") * sessions,
        hours_from_sessions=True,
    )
    values.update(overrides)
    values.setdefault("seats_taken", 0)
    course = Course(programme=programme(programme_code), **values)
    course.instructors = list(instructors)
    for index in range(sessions):
        day = starts_on + timedelta(days=index)
        course.sessions.append(CourseSession(
            starts_at=local(day, 9), ends_at=local(day, 12), topic=f"第{index + 1}讲", hours=Decimal("3"),
        ))
    db.session.add(course)
    db.session.commit()
    return course
