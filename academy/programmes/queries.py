from sqlalchemy import select

from academy.extensions import db
from academy.programmes.models import Programme, Tier


def programmes_by_tier() -> list[tuple[Tier, list[Programme]]]:
    """Every tier in order with its programmes (one query)."""
    programmes = db.session.scalars(select(Programme).order_by(Programme.sort_order, Programme.code)).all()
    return [(tier, [p for p in programmes if p.tier == tier]) for tier in Tier]


def get_programme_by_slug(slug: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.code == slug.upper()))
