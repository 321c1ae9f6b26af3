"""Access tokens of the JSON API and the answers kept for retried POSTs."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.models import IdMixin, UTCDateTime, now_utc
from academy.core.permissions import Role
from academy.core.personal import Personal
from academy.orgs.models import OrgUnit
from academy.extensions import db


class ApiScope(enum.StrEnum):
    """What a token may do; a token never does more than its holder may do on the pages."""

    LEARNING_READ = "learning:read"  # one's own enrolments, learning record, CE standing, certificates
    ENROL = "enrol"  # enrol in and withdraw from courses
    REPORTS_READ = "reports:read"  # the progress report
    WORKERS_READ = "workers:read"  # the workers behind the report's figures, masked
    REGISTRY_READ = "registry:read"  # qualification records
    CLAIMS_READ = "claims:read"  # submitted exam-subsidy claims, without bank details

    @property
    def label(self):
        return SCOPE_LABELS[self]


SCOPE_LABELS = {
    ApiScope.LEARNING_READ: _l("Read my enrolments, learning record and certificates"),
    ApiScope.ENROL: _l("Enrol in and withdraw from courses for me"),
    ApiScope.REPORTS_READ: _l("Read the progress report"),
    ApiScope.WORKERS_READ: _l("Read the workers behind the report (masked)"),
    ApiScope.REGISTRY_READ: _l("Read the qualification registry (masked)"),
    ApiScope.CLAIMS_READ: _l("Read submitted exam-subsidy claims (no bank details)"),
}
ADMINISTRATION = (ApiScope.REPORTS_READ, ApiScope.WORKERS_READ, ApiScope.REGISTRY_READ, ApiScope.CLAIMS_READ)

# The scopes a personal token of each role may carry: those of the pages the role has; a subdistrict's
# administrator reads only their subdistrict (academy.core.scope), as on the pages.
SCOPES_OF_ROLE = {Role.WORKER: (ApiScope.LEARNING_READ, ApiScope.ENROL), Role.ADMIN: ADMINISTRATION,
                  Role.STREET_ADMIN: ADMINISTRATION, Role.DISTRICT_REVIEWER: (ApiScope.CLAIMS_READ,)}
# What a system may be given: it reads for the district's other systems, it acts for nobody.
CLIENT_SCOPES = ADMINISTRATION


class ApiClient(IdMixin, db.Model):
    """A system of the district (the talent database, HR) given credentials by an administrator: it trades
    them for short-lived access tokens (OAuth 2.0 client credentials, RFC 6749 §4.4). Its scopes are
    read-only; limited to a subdistrict, it reads that subdistrict alone. The secret is shown once and
    kept as its SHA-256 digest; a client is revoked, never deleted."""

    __tablename__ = "api_clients"
    __feeds__ = Feeds()  # listed on the administrators' uncached clients page
    __personal__ = Personal(secret=("secret_digest",))  # names accounts only as the administrators who acted

    name: Mapped[str] = mapped_column(String(60))
    client_key: Mapped[str] = mapped_column(String(40), unique=True)  # the public client_id
    secret_digest: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(String(200))
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    subdistrict: Mapped[OrgUnit | None] = relationship(lazy="raise_on_sql")

    @property
    def scope_set(self) -> frozenset[ApiScope]:
        return scope_set(self.scopes)


def scope_set(text: str) -> frozenset[ApiScope]:
    return frozenset(ApiScope(value) for value in text.split() if value in set(ApiScope))


class ApiToken(IdMixin, db.Model):
    """An access token: a person's own (made on the account page) or a system's (issued to its client for
    an hour). Shown once, kept only as its SHA-256 digest; revoked, never deleted, so the trail keeps which
    token did what."""

    __tablename__ = "api_tokens"
    __feeds__ = Feeds()  # listed on its holder's uncached account page
    __personal__ = Personal(subject="user_id", secret=("digest",))
    __table_args__ = (Index("ix_api_tokens_user_id_id", "user_id", "id"),
                      CheckConstraint("(user_id IS NULL) <> (client_id IS NULL)", name="one_holder"))

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the token
    prefix: Mapped[str] = mapped_column(String(12))  # its first characters, to recognise it in a list
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated ApiScope values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship(lazy="raise_on_sql")
    client: Mapped[ApiClient | None] = relationship(lazy="raise_on_sql")

    @property
    def scope_set(self) -> frozenset[ApiScope]:
        return scope_set(self.scopes)

    def usable(self, now: datetime) -> bool:
        """Not revoked nor expired, and its holder still may: an active account, a client not revoked."""
        if self.revoked_at is not None or self.expires_at <= now:
            return False
        return self.user.active if self.user is not None else self.client.revoked_at is None

    def may(self, scope: ApiScope) -> bool:
        """The token carries `scope` and its holder may still use it (a changed role loses its scopes)."""
        allowed = SCOPES_OF_ROLE.get(self.user.role, ()) if self.user is not None else CLIENT_SCOPES
        return scope in self.scope_set and scope in allowed


class IdempotentRequest(IdMixin, db.Model):
    """The first answer to a POST sent with an Idempotency-Key, given again to every retry of it by the
    same token; the same key with a different request is refused."""

    __tablename__ = "api_idempotent_requests"
    __feeds__ = Feeds()  # read by the API alone
    __personal__ = Personal(through=("token_id", "ApiToken"), erase=("body",))
    __table_args__ = (UniqueConstraint("token_id", "key"),)

    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id"))
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # method, path and body, hashed
    status: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
