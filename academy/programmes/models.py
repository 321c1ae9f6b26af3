"""The academy's eight programmes, each in one of three tiers."""
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from academy.core.feeds import Feeds
from academy.core.pagecache import NAMES
from academy.core.i18n import is_chinese, localized
from academy.core.models import IdMixin, TimestampMixin, enum_column
from academy.extensions import db


class Tier(enum.StrEnum):
    """The three-tier training system (学历教育 / 能力提升 / 科研实践), in display order."""

    DEGREE = "degree"
    CAPABILITY = "capability"
    RESEARCH = "research"

    @property
    def label(self):
        return TIER_LABELS[self]

    @property
    def blurb(self):
        return TIER_BLURBS[self]


TIER_LABELS = {
    Tier.DEGREE: _l("Degree education"),
    Tier.CAPABILITY: _l("Capability improvement"),
    Tier.RESEARCH: _l("Research practice"),
}

TIER_BLURBS = {
    Tier.DEGREE: _l("Diplomas and degrees with the partner colleges, for social workers who want to study further."),
    Tier.CAPABILITY: _l("Training from the first year in post to community leadership, and skills for every group."),
    Tier.RESEARCH: _l("Joint research with the colleges, case studies, innovation projects and competitions."),
}


class Direction(enum.StrEnum):
    """The academy's four directions of work."""

    DEGREE = "degree"
    CAPABILITY = "capability"
    SKILLS = "skills"
    STUDY_RESEARCH = "study_research"

    @property
    def label(self):
        return DIRECTION_LABELS[self]


DIRECTION_LABELS = {
    Direction.DEGREE: _l("Degree upgrading"),
    Direction.CAPABILITY: _l("Capability"),
    Direction.SKILLS: _l("Skills"),
    Direction.STUDY_RESEARCH: _l("Study and research practice"),
}


class Programme(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "programmes"
    __feeds__ = Feeds(public=True, families=(NAMES,))  # names everywhere, reports too

    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    tagline_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(120))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "direction"))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "tier"), index=True)
    summary_zh: Mapped[str] = mapped_column(String(200), default="")
    summary_en: Mapped[str] = mapped_column(String(300), default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    audience_zh: Mapped[str] = mapped_column(String(300), default="")
    audience_en: Mapped[str] = mapped_column(String(400), default="")
    approval_required: Mapped[bool] = mapped_column(default=False)
    # A programme certificate is earned with this many completed courses or hours in it (either).
    certificate_courses: Mapped[int | None]
    certificate_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    sort_order: Mapped[int] = mapped_column(default=0)

    @property
    def full_name_zh(self) -> str:
        """As the academy writes it: 学历提升“青云计划”."""
        return f"{self.tagline_zh}“{self.name_zh}”"

    @property
    def name(self) -> str:
        return self.full_name_zh if is_chinese() else self.name_en

    @property
    def short_name(self) -> str:
        return self.name_zh if is_chinese() else self.name_en.split(" ")[0]

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def audience(self) -> str:
        return localized(self, "audience")

    @property
    def slug(self) -> str:
        return self.code.lower()

    def __repr__(self) -> str:
        return f"<Programme {self.code}>"
