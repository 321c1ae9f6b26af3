"""Adding and renaming communities and agencies (reference units keep their NBS codes)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import changes, record
from academy.core.errors import OperationError
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit

ADDABLE_KINDS = (OrgKind.COMMUNITY, OrgKind.AGENCY)


def _check_name_free(parent: OrgUnit, name_zh: str, exclude_id: int | None = None) -> None:
    query = select(OrgUnit.id).where(OrgUnit.parent_id == parent.id, OrgUnit.name_zh == name_zh)
    if exclude_id is not None:
        query = query.where(OrgUnit.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise OperationError(_l("This subdistrict already has a unit with that name."), field="name_zh")


def add_unit(*, parent: OrgUnit, kind: OrgKind, name_zh: str, name_en: str | None, actor=None) -> OrgUnit:
    if parent.kind != OrgKind.SUBDISTRICT:
        raise OperationError(_l("Communities and agencies belong to a subdistrict."), field="parent")
    if kind not in ADDABLE_KINDS:
        raise OperationError(_l("Only communities and agencies can be added."), field="kind")
    _check_name_free(parent, name_zh)
    unit = OrgUnit(kind=kind, parent=parent, name_zh=name_zh, name_en=name_en or None)
    db.session.add(unit)
    db.session.flush()
    record("org_unit.create", unit, actor=actor, name_zh=name_zh, kind=kind.value, parent=parent.code)
    return unit


def rename_unit(unit: OrgUnit, *, name_zh: str, name_en: str | None, actor=None) -> None:
    if unit.parent is not None:
        _check_name_free(unit.parent, name_zh, exclude_id=unit.id)
    unit.name_zh = name_zh
    unit.name_en = name_en or None
    changed = changes(unit, ("name_zh", "name_en"))
    if changed:
        record("org_unit.rename", unit, actor=actor, **changed)
    db.session.flush()
