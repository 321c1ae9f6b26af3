"""A small per-process cache of reference names (programmes, subdistricts) that nearly every list and
report shows: they change a few times a year, and reading them on every page would cost two queries.
Edits clear it; other processes see changes within REFERENCE_TTL seconds."""
import time
from dataclasses import dataclass

from academy.core.i18n import is_chinese

REFERENCE_TTL = 60
_cache: dict = {}


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


def clear_reference_cache() -> None:
    _cache.clear()


def _cached(key, load):
    entry = _cache.get(key)
    if entry is None or time.monotonic() - entry[0] > REFERENCE_TTL:
        entry = (time.monotonic(), load())
        _cache[key] = entry
    return entry[1]


def programme_refs() -> list[ProgrammeRef]:
    from sqlalchemy import select

    from academy.extensions import db
    from academy.programmes.models import Programme

    return _cached("programmes", lambda: [
        ProgrammeRef(p.id, p.code, p.name_zh, p.name_en, p.full_name_zh, p.tier.value, p.sort_order)
        for p in db.session.scalars(select(Programme).order_by(Programme.sort_order))
    ])


def subdistrict_refs() -> list[UnitRef]:
    from sqlalchemy import select

    from academy.extensions import db
    from academy.orgs.models import OrgKind, OrgUnit

    return _cached("subdistricts", lambda: [
        UnitRef(u.id, u.code, u.name_zh, u.name_en)
        for u in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.SUBDISTRICT).order_by(OrgUnit.code))
    ])
