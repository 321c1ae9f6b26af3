"""Account rules: registration, creation by administrators, sign-in, profile and password."""
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from academy.audit.operations import changes, record
from academy.auth import consent
from academy.auth.enums import ConsentKind
from academy.auth.models import User, WorkerProfile
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.core.permissions import Role
from academy.core.validators import account_inputs, is_mainland_mobile, normalise_phone, password_problem
from academy.extensions import db
from academy.orgs.models import WORK_UNIT_KINDS, OrgKind, OrgUnit

# The qualification level, certificate number and registration date are not typed here: they follow
# the highest verified record of the registry (academy.qualifications.operations.derive_profile).
PROFILE_FIELDS = (
    "gender", "education", "resident_id", "years_in_service", "post", "work_unit_id",
)


def _refresh_standing(worker_id: int) -> None:
    # Imported here: the learning record builds on accounts; a profile change moves the CE period.
    from academy.progress.standing import refresh_standing

    refresh_standing(worker_id)


def find_user_by_phone(phone: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == normalise_phone(phone)))


def resident_id_taken(resident_id: str, exclude_user_id: int | None = None) -> bool:
    query = select(WorkerProfile.user_id).where(WorkerProfile.resident_id == resident_id)
    if exclude_user_id is not None:
        query = query.where(WorkerProfile.user_id != exclude_user_id)
    return db.session.scalar(query) is not None


def _check_new_account(phone: str, name: str) -> str:
    phone = normalise_phone(phone)
    if not is_mainland_mobile(phone):
        raise OperationError(_l("Enter an 11-digit mainland mobile number."), field="phone")
    if not name.strip():
        raise OperationError(_l("Enter a name."), field="name")
    if find_user_by_phone(phone) is not None:
        raise OperationError(_l("An account with this mobile number already exists."), field="phone")
    return phone


def check_password_policy(password: str, user_inputs: list[str]) -> None:
    """The one password policy, for every path that sets a password (registration, an administrator's
    new account, a change, a reset): the forms say it beside the field, this makes sure."""
    problem = password_problem(password or "", user_inputs)
    if problem:
        raise OperationError(problem, field="password")


def _check_work_unit(unit: OrgUnit | None) -> OrgUnit:
    if unit is None or unit.kind not in WORK_UNIT_KINDS:
        raise OperationError(_l("Choose a community, agency or subdistrict office."), field="work_unit")
    return unit


def create_user(
    *,
    role: Role,
    phone: str,
    name: str,
    password: str,
    email: str | None = None,
    street: OrgUnit | None = None,
    work_unit: OrgUnit | None = None,
    actor: User | None = None,
    **profile,
) -> User:
    """Create an account of any role. Workers need a work unit, street administrators a street."""
    phone = _check_new_account(phone, name)
    if role == Role.STREET_ADMIN and (street is None or street.kind != OrgKind.SUBDISTRICT):
        raise OperationError(_l("A subdistrict administrator needs a subdistrict."), field="street")
    check_password_policy(password, [phone, name, email or ""])
    user = User(
        role=role,
        phone=phone,
        name=name.strip(),
        email=(email or None),
        # a judge's subdistrict is their own work unit's: they never score its teams
        street=street if role in (Role.STREET_ADMIN, Role.JUDGE) else None,
    )
    user.set_password(password)
    if role == Role.WORKER:
        unit = _check_work_unit(work_unit)
        user.profile = WorkerProfile(work_unit=unit, subdistrict_id=unit.subdistrict_id, **profile)
    db.session.add(user)
    db.session.flush()
    if role == Role.WORKER:
        _refresh_standing(user.id)
    record("user.create", user, actor=actor or user, role=role.value)
    return user


def register_worker(*, phone: str, name: str, password: str, work_unit: OrgUnit, email: str | None = None,
                    privacy_consent: bool = False) -> User:
    """Self-registration: always a worker, and only with consent to the privacy notice (recorded)."""
    if not privacy_consent:
        raise OperationError(_l("Read the privacy notice and tick the box: an account cannot be opened without it."),
                             field="privacy_consent")
    user = create_user(
        role=Role.WORKER, phone=phone, name=name, password=password, email=email, work_unit=work_unit
    )
    consent.give(user, ConsentKind.PRIVACY_NOTICE)
    return user


def _check_against_nobody(password: str) -> bool:
    """A password check as costly as a real account's (same method and work factor), for no account."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if _DUMMY_HASHES.get(method) is None:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    check_password_hash(_DUMMY_HASHES[method], password)
    return False


_DUMMY_HASHES: dict[str, str] = {}


def authenticate(phone: str, password: str) -> User | None:
    """The active user with this phone and password, or None; both outcomes are audited."""
    user = find_user_by_phone(phone)
    # An unknown number costs the same hashing as a known one: the answer's timing tells nothing.
    matches = user.check_password(password) if user is not None else _check_against_nobody(password)
    if user is None or not matches or not user.active:
        record("login.failure", user, actor=user, phone=normalise_phone(phone)[:11])
        return None
    user.last_login_at = now_utc()
    record("login.success", user, actor=user)
    return user


def update_profile(user: User, *, name: str, email: str | None, work_unit: OrgUnit | None, **fields) -> None:
    """A worker edits their own profile; the subdistrict follows the work unit."""
    if not name.strip():
        raise OperationError(_l("Enter a name."), field="name")
    user.name = name.strip()
    user.email = email or None
    profile = user.profile
    if profile is None:
        raise OperationError(_l("Only social workers have a worker profile."))
    unit = _check_work_unit(work_unit)
    profile.work_unit = unit
    profile.work_unit_id = unit.id
    profile.subdistrict_id = unit.subdistrict_id
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {key}")
        setattr(profile, key, value)
    changed = changes(profile, PROFILE_FIELDS)
    if {"qualification", "certificate_no", "registration_date"} & set(changed):
        profile.qualification_verified = False  # the worker's new word is not verified
    # Never write the ID number itself into the audit trail.
    if "resident_id" in changed:
        changed["resident_id"] = ["***", "***"]
    if changed or changes(user, ("name", "email")):
        record("profile.update", user, fields=sorted(changed) + sorted(changes(user, ("name", "email"))))
    db.session.flush()
    _refresh_standing(user.id)


def verify_qualification(user: User, *, actor: User) -> None:
    """An administrator has seen the certificate: the level on the profile now counts for eligibility."""
    profile = user.profile
    if profile is None or profile.qualification.rank == 0:
        raise OperationError(_l("This account has no qualification level to verify."))
    if profile.qualification_verified:
        return
    profile.qualification_verified = True
    record("profile.qualification_verify", user, actor=actor, level=profile.qualification.value,
           certificate_no=profile.certificate_no)
    db.session.flush()


def note_resident_id_conflict(user: User, resident_id: str) -> None:
    """A worker gave an ID number another account holds: kept (masked) for an administrator to resolve."""
    record("profile.resident_id_conflict", user, actor=user, resident_id=resident_id)


def change_password(user: User, new_password: str, *, actor: User | None = None) -> None:
    """Set a new password and end every other session of this user."""
    check_password_policy(new_password, account_inputs(user))
    user.set_password(new_password)
    user.session_version += 1
    record("user.password_change", user, actor=actor or user, by_admin=actor is not None and actor.id != user.id)
    db.session.flush()


def sign_out(user: User) -> None:
    """The user signs out: every session of theirs ends, a copied cookie with it."""
    user.session_version += 1
    record("logout", user, actor=user)
    db.session.flush()


def sign_out_everywhere(user: User, *, actor: User) -> None:
    user.session_version += 1
    record("user.sign_out_everywhere", user, actor=actor)
    db.session.flush()


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id and not active:
        raise OperationError(_l("You cannot deactivate your own account."))
    if user.active == active:
        return
    user.active = active
    user.session_version += 1
    record("user.activate" if active else "user.deactivate", user, actor=actor)
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()
