"""Reference data: Dongcheng District and its 17 subdistricts with their NBS codes."""
from sqlalchemy import select

from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit

DISTRICT = ("110101000000", "东城区", "Dongcheng District")

SUBDISTRICTS = [
    ("110101001000", "东华门街道", "Donghuamen"),
    ("110101002000", "景山街道", "Jingshan"),
    ("110101003000", "交道口街道", "Jiaodaokou"),
    ("110101004000", "安定门街道", "Andingmen"),
    ("110101005000", "北新桥街道", "Beixinqiao"),
    ("110101006000", "东四街道", "Dongsi"),
    ("110101007000", "朝阳门街道", "Chaoyangmen"),
    ("110101008000", "建国门街道", "Jianguomen"),
    ("110101009000", "东直门街道", "Dongzhimen"),
    ("110101010000", "和平里街道", "Hepingli"),
    ("110101011000", "前门街道", "Qianmen"),
    ("110101012000", "崇文门外街道", "Chongwenmenwai"),
    ("110101013000", "东花市街道", "Donghuashi"),
    ("110101014000", "龙潭街道", "Longtan"),
    ("110101015000", "体育馆路街道", "Tiyuguanlu"),
    ("110101016000", "天坛街道", "Tiantan"),
    ("110101017000", "永定门外街道", "Yongdingmenwai"),
]


def seed_org_units() -> int:
    """Create the district and subdistricts that are missing; returns how many were added."""
    existing = set(db.session.scalars(select(OrgUnit.code).where(OrgUnit.code.is_not(None))))
    added = 0
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == DISTRICT[0]))
    if district is None:
        code, name_zh, name_en = DISTRICT
        district = OrgUnit(kind=OrgKind.DISTRICT, code=code, name_zh=name_zh, name_en=name_en)
        db.session.add(district)
        db.session.flush()
        added += 1
    for code, name_zh, name_en in SUBDISTRICTS:
        if code not in existing:
            db.session.add(
                OrgUnit(
                    kind=OrgKind.SUBDISTRICT,
                    code=code,
                    name_zh=name_zh,
                    name_en=f"{name_en} Subdistrict",
                    parent=district,
                )
            )
            added += 1
    db.session.flush()
    return added
