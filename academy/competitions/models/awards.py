"""Awards: the tiers a competition gives (how many of each), the awards given with their verifiable
certificate codes, and the talent pool's flags."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.competitions.enums import AwardKind, Group, Medal
from academy.competitions.models.setup import Competition, Team
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db
from academy.orgs.models import OrgUnit


class AwardTier(IdMixin, db.Model):
    __tablename__ = "competition_award_tiers"
    __feeds__ = Feeds(public=("medal", "kind"))
    __table_args__ = (
        UniqueConstraint("competition_id", "kind", "medal", "group"),
        CheckConstraint("places >= 1", name="places_positive"),
    )

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    kind: Mapped[AwardKind] = mapped_column(enum_column(AwardKind, "award_kind"))
    medal: Mapped[Medal] = mapped_column(enum_column(Medal, "medal"))
    group: Mapped[Group | None] = mapped_column(enum_column(Group, "tier_group"))  # per group for team awards
    places: Mapped[int]


class Award(IdMixin, db.Model):
    """One award to a team, a worker or a subdistrict, with the code its certificate is verified by."""
    __tablename__ = "competition_awards"
    __feeds__ = Feeds(public=True, owner="worker_id")
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        CheckConstraint("revoked_at IS NULL OR revoke_reason IS NOT NULL", name="revocation_has_reason"),
        CheckConstraint("(CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN worker_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN subdistrict_id IS NULL THEN 0 ELSE 1 END) = 1", name="one_recipient"),
    )

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    tier_id: Mapped[int] = mapped_column(ForeignKey("competition_award_tiers.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("competition_teams.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    subdistrict_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    verification_code: Mapped[str] = mapped_column(String(32), unique=True)
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    awarded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    competition: Mapped[Competition] = relationship()
    tier: Mapped[AwardTier] = relationship()
    team: Mapped[Team | None] = relationship()
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    subdistrict: Mapped[OrgUnit | None] = relationship()


class TalentFlag(IdMixin, db.Model):
    """A worker flagged in the talent pool, with where the flag came from (a winning team's award)."""
    __tablename__ = "competition_talent_flags"
    __feeds__ = Feeds(owner="worker_id")
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (UniqueConstraint("worker_id", "award_id"),)

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("competition_awards.id"))
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    award: Mapped[Award] = relationship()
    worker: Mapped[User] = relationship()
