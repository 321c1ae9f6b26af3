"""Finding org units as people name them (command line, imports)."""
from sqlalchemy import or_, select

from academy.extensions import db
from academy.orgs.models import OrgUnit


def find_units(text: str) -> list[OrgUnit]:
    """The units a person means by `text`: an internal id, a 12-digit NBS code, or a name (Chinese or
    English, exactly)."""
    text = (text or "").strip()
    if not text:
        return []
    conditions = [OrgUnit.code == text, OrgUnit.name_zh == text, OrgUnit.name_en == text]
    if text.isdigit() and len(text) < 12:
        conditions.append(OrgUnit.id == int(text))
    return db.session.scalars(select(OrgUnit).where(or_(*conditions)).order_by(OrgUnit.id)).all()
