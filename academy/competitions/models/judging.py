"""Judging: who judges which round and group, declared conflicts, score sheets with their lines and
events, and the theory test's scores per person."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.competitions.enums import Group, SheetStatus
from academy.competitions.models.setup import SCORE, Criterion, Module, Round, Team
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db


class JudgeAssignment(IdMixin, db.Model):
    __tablename__ = "competition_judge_assignments"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="judge_id")
    __table_args__ = (UniqueConstraint("round_id", "judge_id", "group"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    group: Mapped[Group] = mapped_column(enum_column(Group, "assignment_group"))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    round: Mapped[Round] = relationship()
    judge: Mapped[User] = relationship(foreign_keys=[judge_id])


class ConflictDeclaration(IdMixin, db.Model):
    """A judge declares a conflict of interest with a worker (a relative, a colleague, a supervisee)."""
    __tablename__ = "competition_conflicts"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="judge_id")
    __table_args__ = (UniqueConstraint("competition_id", "judge_id", "worker_id"),)

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)


class ScoreSheet(IdMixin, TimestampMixin, db.Model):
    """One judge's scores of one team in one module. `version` moves at every save: a save names the
    version it was made from and is refused if another save came first (no lost update)."""
    __tablename__ = "competition_score_sheets"
    __feeds__ = Feeds()
    __personal__ = Personal(subject="judge_id")
    __table_args__ = (
        UniqueConstraint("judge_id", "team_id", "module_id", name="one_sheet_per_judge"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("competition_modules.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("competition_teams.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[SheetStatus] = mapped_column(enum_column(SheetStatus, "sheet_status"), default=SheetStatus.OPEN)
    version: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship()
    team: Mapped[Team] = relationship()
    judge: Mapped[User] = relationship()
    lines: Mapped[list["ScoreLine"]] = relationship(back_populates="sheet", order_by="ScoreLine.criterion_id")
    events: Mapped[list["SheetEvent"]] = relationship(back_populates="sheet", order_by="SheetEvent.id")

    __mapper_args__ = {"version_id_col": version}

    @property
    def locked(self) -> bool:
        return self.status == SheetStatus.SUBMITTED

    @property
    def total(self) -> Decimal:
        return sum((line.points for line in self.lines if line.points is not None), Decimal("0"))


class ScoreLine(IdMixin, db.Model):
    __tablename__ = "competition_score_lines"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("sheet_id", "ScoreSheet"))
    __table_args__ = (
        UniqueConstraint("sheet_id", "criterion_id"),
        CheckConstraint("points IS NULL OR points >= 0", name="points_not_negative"),
    )

    sheet_id: Mapped[int] = mapped_column(ForeignKey("competition_score_sheets.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criteria.id"))
    points: Mapped[Decimal | None] = mapped_column(SCORE)
    comment: Mapped[str | None] = mapped_column(Text)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="lines")
    criterion: Mapped[Criterion] = relationship()


class SheetEvent(IdMixin, db.Model):
    """Submitting and reopening a sheet: who, when, from, to, why. Only ever added."""
    __tablename__ = "competition_sheet_events"
    __feeds__ = Feeds()
    __personal__ = Personal(through=("sheet_id", "ScoreSheet"))

    sheet_id: Mapped[int] = mapped_column(ForeignKey("competition_score_sheets.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[SheetStatus | None] = mapped_column(enum_column(SheetStatus, "from_status"))
    to_status: Mapped[SheetStatus] = mapped_column(enum_column(SheetStatus, "to_status"))
    reason: Mapped[str | None] = mapped_column(Text)

    sheet: Mapped[ScoreSheet] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class TheoryScore(IdMixin, TimestampMixin, db.Model):
    """A member's theory test score in a round; the team's theory module is the mean of its members'."""
    __tablename__ = "competition_theory_scores"
    __feeds__ = Feeds(owner="worker_id")
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        UniqueConstraint("module_id", "worker_id"),
        CheckConstraint("score >= 0", name="score_not_negative"),
    )

    module_id: Mapped[int] = mapped_column(ForeignKey("competition_modules.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("competition_teams.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    score: Mapped[Decimal] = mapped_column(SCORE)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(20), default="entered")  # entered | imported

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
