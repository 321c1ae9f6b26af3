"""A worker's request to close their account (PIPL art. 47) and what an administrator decided."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.models import IdMixin, UTCDateTime, enum_column, now_utc
from academy.core.personal import Personal
from academy.extensions import db


class ClosureStatus(enum.StrEnum):
    PENDING = "pending"
    CLOSED = "closed"
    REFUSED = "refused"
    CANCELLED = "cancelled"  # by the worker, before a decision

    @property
    def label(self):
        return {ClosureStatus.PENDING: _l("Waiting for the academy"), ClosureStatus.CLOSED: _l("Account closed"),
                ClosureStatus.REFUSED: _l("Not closed"), ClosureStatus.CANCELLED: _l("Withdrawn by the worker")}[self]


class ClosureRequest(IdMixin, db.Model):
    """Asked by the worker, decided by an administrator. Never deleted: a refused or withdrawn request stays
    in the history with who decided, when and why (the audit trail has each step too)."""

    __tablename__ = "account_closure_requests"
    __feeds__ = Feeds()  # listed on its own uncached pages
    __personal__ = Personal(subject="user_id")
    __table_args__ = (
        # one open request per account
        Index("uq_account_closure_requests_open", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
        Index("ix_account_closure_requests_status_id", "status", "id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ClosureStatus] = mapped_column(enum_column(ClosureStatus, "closure_status"),
                                                  default=ClosureStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
