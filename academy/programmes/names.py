"""The names of the programmes and subdistricts, which nearly every list and report shows: read
together once per process and version of their family (which every change to a programme or an org
unit moves), so that every process shows a rename at its next request."""
from dataclasses import dataclass

from sqlalchemy import select

from academy.core.i18n import is_chinese
from academy.core.pagecache import NAMES, kept_while_current
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit
from academy.programmes.models import Programme


@dataclass(frozen=True)
class ProgrammeRef:
    id: int
    code: str
    name_zh: str
    name_en: str
    full_name_zh: str
    tier: str
    sort_order: int

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def short_name(self) -> str:
        return self.name_zh if is_chinese() else self.name_en.split(" ")[0]

    @property
    def name(self) -> str:
        return self.full_name_zh if is_chinese() else self.name_en


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str | None
    name_zh: str
    name_en: str | None

    @property
    def name(self) -> str:
        return self.name_zh if is_chinese() or not self.name_en else self.name_en


@dataclass(frozen=True)
class Names:
    programmes: list[ProgrammeRef]
    subdistricts: list[UnitRef]


def _load() -> Names:
    programmes = db.session.scalars(select(Programme).order_by(Programme.sort_order))
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT).order_by(OrgUnit.code))
    return Names([ProgrammeRef(p.id, p.code, p.name_zh, p.name_en, p.full_name_zh, p.tier.value, p.sort_order)
                  for p in programmes], [UnitRef(u.id, u.code, u.name_zh, u.name_en) for u in units])


def reference_names() -> Names:
    return kept_while_current("names", (NAMES,), _load)


def programme_refs() -> list[ProgrammeRef]:
    return reference_names().programmes


def subdistrict_refs() -> list[UnitRef]:
    return reference_names().subdistricts
