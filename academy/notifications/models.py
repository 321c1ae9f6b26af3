"""In-app notifications, stored as a kind and parameters and worded when shown (in the reader's language)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, now_utc
from academy.extensions import db


class Notification(IdMixin, db.Model):
    __tablename__ = "notifications"
    __feeds__ = Feeds()  # pages show the unread count, read with every kept page
    __personal__ = Personal(subject="user_id")
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
