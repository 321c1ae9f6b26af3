"""Access tokens of the JSON API and the answers kept for retried POSTs."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.models import IdMixin, UTCDateTime, now_utc
from academy.core.permissions import Role
from academy.core.personal import Personal
from academy.extensions import db


class ApiScope(enum.StrEnum):
    """What a token may do; a token never does more than its holder may do on the pages."""

    LEARNING_READ = "learning:read"  # one's own enrolments, learning record, CE standing, certificates
    ENROL = "enrol"  # enrol in and withdraw from courses

    @property
    def label(self):
        return {ApiScope.LEARNING_READ: _l("Read my enrolments, learning record and certificates"),
                ApiScope.ENROL: _l("Enrol in and withdraw from courses for me")}[self]


# The scopes a personal token of each role may carry: those of the pages the role has.
SCOPES_OF_ROLE = {Role.WORKER: (ApiScope.LEARNING_READ, ApiScope.ENROL)}


class ApiToken(IdMixin, db.Model):
    """A personal access token: shown once when created, kept only as its SHA-256 digest; revoked, never
    deleted, so the trail keeps which token did what."""

    __tablename__ = "api_tokens"
    __feeds__ = Feeds()  # listed on its holder's uncached account page
    __personal__ = Personal(subject="user_id", secret=("digest",))
    __table_args__ = (Index("ix_api_tokens_user_id_id", "user_id", "id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(60))
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the token
    prefix: Mapped[str] = mapped_column(String(12))  # its first characters, to recognise it in a list
    scopes: Mapped[str] = mapped_column(String(200))  # space-separated ApiScope values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="raise_on_sql")

    @property
    def scope_set(self) -> frozenset[ApiScope]:
        return frozenset(ApiScope(value) for value in self.scopes.split() if value in set(ApiScope))

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


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
