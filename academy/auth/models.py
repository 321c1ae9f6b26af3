"""Accounts (every role) and the worker profile."""
from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from academy.auth.enums import ConsentKind, Education, Gender, Qualification
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.masking import mask_phone, mask_resident_id
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.core.permissions import Role
from academy.extensions import db
from academy.orgs.models import OrgUnit


class User(IdMixin, TimestampMixin, UserMixin, db.Model):
    __tablename__ = "users"
    __feeds__ = Feeds(public=("name",), owner="id", summaries=("active", "role"),  # instructors' names on course pages
                      tallies={"registry": ("active", "role")})
    __personal__ = Personal(subject="id", erase=("email",), secret=("password_hash",))  # the number: close_account
    __table_args__ = (
        CheckConstraint("role <> 'street_admin' OR street_id IS NOT NULL", name="street_admin_has_street"),
        CheckConstraint("session_version >= 1", name="session_version_positive"),
    )

    phone: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), index=True)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(8))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An instructor's home institution, when it is a partner.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"), index=True)

    unread_notifications = 0  # filled by the login loader (one query with the user)

    street: Mapped[OrgUnit | None] = relationship(foreign_keys=[street_id])
    partner: Mapped["Partner | None"] = relationship("Partner")  # noqa: F821 (partners builds on auth)
    profile: Mapped["WorkerProfile | None"] = relationship(back_populates="user", uselist=False)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session version makes old sessions invalid after a password change or sign-out-everywhere.
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class WorkerProfile(TimestampMixin, db.Model):
    __tablename__ = "worker_profiles"
    __feeds__ = Feeds(owner="user_id", summaries=("subdistrict_id", "qualification"),
                      tallies={"registry": ("subdistrict_id",)})
    __personal__ = Personal(subject="user_id", erase=("gender", "resident_id", "years_in_service", "post"))
    __table_args__ = (
        CheckConstraint("years_in_service IS NULL OR years_in_service >= 0", name="years_not_negative"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    work_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    # Derived from the work unit and kept here so reports group by subdistrict without a join chain.
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, "gender"))
    education: Mapped[Education | None] = mapped_column(enum_column(Education, "education"))
    qualification: Mapped[Qualification] = mapped_column(
        enum_column(Qualification, "qualification"), default=Qualification.NONE
    )
    # The level above is the worker's own word until an administrator has seen the certificate: an
    # unverified level satisfies no course's qualification rule (issue 27, finding 7). Any change of
    # level, certificate number or registration date makes it unverified again.
    qualification_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    certificate_no: Mapped[str | None] = mapped_column(String(40))
    registration_date: Mapped[date | None] = mapped_column(Date)
    resident_id: Mapped[str | None] = mapped_column(String(18), unique=True)
    years_in_service: Mapped[int | None]
    post: Mapped[str | None] = mapped_column(String(60))

    user: Mapped[User] = relationship(back_populates="profile")
    work_unit: Mapped[OrgUnit] = relationship(foreign_keys=[work_unit_id])
    subdistrict: Mapped[OrgUnit] = relationship(foreign_keys=[subdistrict_id])

    @property
    def masked_resident_id(self) -> str:
        return mask_resident_id(self.resident_id)


class ResetLink(IdMixin, db.Model):
    """A one-time link to set a new password without SMS: an administrator (or the subdistrict
    administrator of a worker) issues it and hands it over; it works once, for 24 hours. Only a hash of
    its secret is kept."""

    __tablename__ = "password_reset_links"
    __feeds__ = Feeds()  # shown on no kept page
    __personal__ = Personal(subject="user_id", secret=("token_hash",))

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SmsCode(IdMixin, db.Model):
    """A six-digit code sent by SMS to sign in without a password (academy/auth/sms.py): valid for five
    minutes, for a few tries, once. Only a keyed hash of the code is kept; a new code ends the earlier."""

    __tablename__ = "sms_sign_in_codes"
    __feeds__ = Feeds()  # shown on no kept page
    __personal__ = Personal(subject="user_id", secret=("code_hash",))
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class Consent(IdMixin, db.Model):
    """A person's consent to one use of their personal information, or its withdrawal, with the version of
    the notice they read and when (PIPL). Only ever added: the latest row of a kind is the standing answer."""

    __tablename__ = "consents"
    __feeds__ = Feeds()  # shown on no kept page
    __personal__ = Personal(subject="user_id", erase=("address",))
    __table_args__ = (Index("ix_consents_user_id_kind", "user_id", "kind"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    version: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    address: Mapped[str | None] = mapped_column(String(45))  # where it was given from, as evidence
