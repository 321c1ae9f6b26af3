"""Reference data: the academy's founding bodies (DOMAIN.md)."""
from sqlalchemy import select

from academy.extensions import db
from academy.partners.models import Partner, PartnerKind

FOUNDERS = [
    ("东城区委社会工作部", "Social Work Department of the CPC Dongcheng District Committee", PartnerKind.GOVERNMENT,
     "Leads and runs the academy."),
    ("北京青年政治学院", "Beijing Youth Politics College", PartnerKind.UNIVERSITY,
     "Partner college: degree education, research and training."),
    ("东城区职工大学", "Dongcheng District Workers' University", PartnerKind.UNIVERSITY,
     "Partner college: degree education and training."),
]


def seed_partners() -> int:
    existing = set(db.session.scalars(select(Partner.name_zh)))
    added = 0
    for name_zh, name_en, kind, notes in FOUNDERS:
        if name_zh not in existing:
            db.session.add(Partner(name_zh=name_zh, name_en=name_en, kind=kind, notes=notes))
            added += 1
    db.session.flush()
    return added
