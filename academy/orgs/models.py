"""The district's structure: district → 17 subdistricts → communities and agencies."""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, case, select
from sqlalchemy.orm import Mapped, aliased, contains_eager, mapped_column, relationship

from academy.core.feeds import Feeds
from academy.core.pagecache import NAMES
from academy.core.i18n import localized
from academy.core.models import IdMixin, TimestampMixin, enum_column
from academy.extensions import db


class OrgKind(enum.StrEnum):
    DISTRICT = "district"
    SUBDISTRICT = "subdistrict"
    COMMUNITY = "community"
    AGENCY = "agency"

    @property
    def label(self):
        return ORG_KIND_LABELS[self]


ORG_KIND_LABELS = {
    OrgKind.DISTRICT: _l("District"),
    OrgKind.SUBDISTRICT: _l("Subdistrict"),
    OrgKind.COMMUNITY: _l("Community"),
    OrgKind.AGENCY: _l("Social work agency"),
}

# Units a worker can belong to: the subdistrict office itself or a unit under it.
WORK_UNIT_KINDS = (OrgKind.SUBDISTRICT, OrgKind.COMMUNITY, OrgKind.AGENCY)


class OrgUnit(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "org_units"
    __feeds__ = Feeds(public=True, families=(NAMES,))  # names on course pages, filters and reports
    __table_args__ = (
        UniqueConstraint("parent_id", "name_zh"),
        CheckConstraint("kind = 'district' OR parent_id IS NOT NULL", name="parent_required"),
    )

    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind, "org_kind"), index=True)
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str | None] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side="OrgUnit.id", back_populates="children")
    children: Mapped[list["OrgUnit"]] = relationship(back_populates="parent", order_by="OrgUnit.name_zh")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def subdistrict_id(self) -> int | None:
        """The subdistrict this unit belongs to (itself for a subdistrict)."""
        if self.kind == OrgKind.SUBDISTRICT:
            return self.id
        if self.kind in (OrgKind.COMMUNITY, OrgKind.AGENCY):
            return self.parent_id
        return None

    @property
    def subdistrict_name(self) -> str:
        """The name of the subdistrict this unit sits in (its own name for a subdistrict)."""
        if self.kind == OrgKind.SUBDISTRICT or self.parent is None:
            return self.name
        return self.parent.name

    def __repr__(self) -> str:
        return f"<OrgUnit {self.kind} {self.name_zh}>"


def work_unit_options():
    """Units a worker can choose, sorted under their subdistrict, parents loaded (one query)."""
    parent = aliased(OrgUnit)
    return (
        select(OrgUnit)
        .join(OrgUnit.parent.of_type(parent))
        .options(contains_eager(OrgUnit.parent.of_type(parent)))
        .where(OrgUnit.kind.in_(WORK_UNIT_KINDS))
        .order_by(
            # a subdistrict office sorts first among its own units
            case((OrgUnit.kind == OrgKind.SUBDISTRICT, OrgUnit.code), else_=parent.code),
            OrgUnit.kind.desc(),
            OrgUnit.name_zh,
        )
    )


def subdistrict_options():
    return select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT).order_by(OrgUnit.code)
