"""Append-only audit trail: who did what to which object, when and from where."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, now_utc
from academy.extensions import db


class AuditEvent(IdMixin, db.Model):
    __tablename__ = "audit_events"
    __feeds__ = Feeds()  # the audit trail is never kept
    __personal__ = Personal()  # the operators' trail, kept for accountability

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()
