"""A competition's set-up and its teams: rounds, modules with weights, rubrics, teams and members."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON, CheckConstraint, Date, ForeignKey, ForeignKeyConstraint, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.auth.models import User
from academy.competitions.enums import CompetitionStatus, Field, Group, ModuleKind, Stage
from academy.core.feeds import Feeds
from academy.core.personal import Personal
from academy.core.models import IdMixin, TimestampMixin, UTCDateTime, enum_column, now_utc
from academy.extensions import db
from academy.orgs.models import OrgUnit
from academy.progress.models import EvidenceFile

SCORE = Numeric(7, 2)


class Competition(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "competitions"
    __feeds__ = Feeds(public=("title", "year"))  # the public case library names the competition
    __table_args__ = (
        CheckConstraint("team_min >= 1 AND team_max >= team_min", name="team_size_range"),
        CheckConstraint("semi_final_quota >= 1", name="quota_positive"),
        CheckConstraint("trim_from >= 3", name="trim_from_at_least_three"),
    )

    title: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    # The groups and fields this competition runs, as lists of enum values (Group, Field).
    groups: Mapped[list] = mapped_column(JSON, default=lambda: [g.value for g in Group])
    fields: Mapped[list] = mapped_column(JSON, default=lambda: [f.value for f in Field])
    team_min: Mapped[int] = mapped_column(default=3)
    team_max: Mapped[int] = mapped_column(default=5)
    semi_final_quota: Mapped[int] = mapped_column(default=3)  # teams each subdistrict sends on
    # With this many judges or more, a module's highest and lowest totals are dropped.
    trim_from: Mapped[int] = mapped_column(default=5)
    status: Mapped[CompetitionStatus] = mapped_column(enum_column(CompetitionStatus, "competition_status"),
                                                      default=CompetitionStatus.DRAFT)

    rounds: Mapped[list["Round"]] = relationship(back_populates="competition", order_by="Round.starts_on")

    @property
    def group_choices(self) -> list[Group]:
        return [Group(value) for value in self.groups or ()]

    @property
    def field_choices(self) -> list[Field]:
        return [Field(value) for value in self.fields or ()]


class Round(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "competition_rounds"
    __feeds__ = Feeds()
    __table_args__ = (
        UniqueConstraint("competition_id", "stage"),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("advance_count IS NULL OR advance_count >= 1", name="advance_count_positive"),
    )

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200))
    # Semi-final: how many teams overall go on to the final (the preliminary uses the subdistrict quota).
    advance_count: Mapped[int | None]
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship(back_populates="rounds")
    modules: Mapped[list["Module"]] = relationship(back_populates="round", order_by="Module.position")


class Module(IdMixin, db.Model):
    """One module of a round, its weight (percent of the entry's score) and its maximum."""
    __tablename__ = "competition_modules"
    __feeds__ = Feeds()
    __table_args__ = (
        UniqueConstraint("round_id", "kind"),
        CheckConstraint("weight > 0 AND weight <= 100", name="weight_percent"),
        CheckConstraint("max_score > 0", name="max_score_positive"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id"), index=True)
    kind: Mapped[ModuleKind] = mapped_column(enum_column(ModuleKind, "module_kind"))
    position: Mapped[int] = mapped_column(default=1)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    max_score: Mapped[Decimal] = mapped_column(SCORE)
    # Ties are broken by the modules' scores in this order (1 first); modules without one don't break ties.
    tie_rank: Mapped[int | None]

    round: Mapped[Round] = relationship(back_populates="modules")
    criteria: Mapped[list["Criterion"]] = relationship(back_populates="module", order_by="Criterion.position")

    @property
    def label(self) -> str:
        """For choosing a module: the competition, the round and the module."""
        return f"{self.round.competition.title} · {self.round.stage.label} · {self.kind.label}"


class Criterion(IdMixin, db.Model):
    """A rubric line of a module: what is judged, its maximum and what a good answer shows."""
    __tablename__ = "competition_criteria"
    __feeds__ = Feeds()
    __table_args__ = (CheckConstraint("maximum > 0", name="maximum_positive"),)

    module_id: Mapped[int] = mapped_column(ForeignKey("competition_modules.id"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(120))
    maximum: Mapped[Decimal] = mapped_column(SCORE)
    descriptor: Mapped[str] = mapped_column(Text, default="")

    module: Mapped[Module] = relationship(back_populates="criteria")


class Team(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "competition_teams"
    __feeds__ = Feeds(public=("project_title", "project_summary", "publish_attachments"))
    __personal__ = Personal()  # a team's entry is its members' together: each member's own row is TeamMember
    __table_args__ = (
        UniqueConstraint("competition_id", "name"),
        # the target of the members' composite key: a member's competition is their team's
        UniqueConstraint("id", "competition_id", name="id_competition"),
    )

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    group: Mapped[Group] = mapped_column(enum_column(Group, "competition_group"))
    field: Mapped[Field] = mapped_column(enum_column(Field, "competition_field"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    project_title: Mapped[str] = mapped_column(String(200))
    project_summary: Mapped[str] = mapped_column(Text)
    # The project's document (PDF, JPG or PNG); the case library offers it only if the team allows.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    publish_attachments: Mapped[bool] = mapped_column(default=False)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    competition: Mapped[Competition] = relationship()
    subdistrict: Mapped[OrgUnit] = relationship()
    leader: Mapped[User] = relationship(foreign_keys=[leader_id])
    attachment: Mapped[EvidenceFile | None] = relationship()
    members: Mapped[list["TeamMember"]] = relationship(back_populates="team", order_by="TeamMember.id")
    results: Mapped[list["RoundResult"]] = relationship(order_by="RoundResult.round_id")


class TeamMember(IdMixin, db.Model):
    """A worker in a team. The schema holds the rule: one team per worker per competition."""
    __tablename__ = "competition_team_members"
    __feeds__ = Feeds(owner="worker_id")  # the member's own record shows their team
    __personal__ = Personal(subject="worker_id")
    __table_args__ = (
        UniqueConstraint("competition_id", "worker_id", name="one_team_per_worker"),
        ForeignKeyConstraint(["team_id", "competition_id"],
                             ["competition_teams.id", "competition_teams.competition_id"],
                             name="team_in_competition"),
    )

    team_id: Mapped[int] = mapped_column(index=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    team: Mapped[Team] = relationship(back_populates="members")
    worker: Mapped[User] = relationship()


class RoundEntry(IdMixin, db.Model):
    """A team going on to a later round, written when the round before publishes its results (every
    registered team enters the preliminary)."""
    __tablename__ = "competition_round_entries"
    __feeds__ = Feeds()
    __table_args__ = (UniqueConstraint("round_id", "team_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("competition_teams.id"))


class RoundResult(IdMixin, db.Model):
    """A team's place in a round as published: kept as it was announced, whatever changes later."""
    __tablename__ = "competition_round_results"
    __feeds__ = Feeds()
    __table_args__ = (UniqueConstraint("round_id", "team_id"), CheckConstraint("place >= 1", name="place_positive"))

    round_id: Mapped[int] = mapped_column(ForeignKey("competition_rounds.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("competition_teams.id"), index=True)
    place: Mapped[int]
    score: Mapped[Decimal] = mapped_column(SCORE)  # as shown: two decimals
    advanced: Mapped[bool] = mapped_column(default=False)

    round: Mapped[Round] = relationship()


class CompetitionEvent(IdMixin, db.Model):
    """Every status change of a competition, a round (results published) or a team: who, when, from, to, why."""
    __tablename__ = "competition_events"
    __feeds__ = Feeds()
    __personal__ = Personal()

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("competition_rounds.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("competition_teams.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
