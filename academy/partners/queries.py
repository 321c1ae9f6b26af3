"""Agreement lists (filters computed in SQL, status by the same rule as the model) and partner pages."""
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from academy.auth.models import User
from academy.courses.models import Course, CourseStatus, course_instructors
from academy.extensions import db
from academy.partners.models import Agreement, Partner, agreement_parties, agreement_programmes
from academy.programmes.models import Programme
from academy.progress.models import DegreeStatus, ExternalRecord, RecordKind


def agreement_query(today: date, *, status=None, type=None, partner_id=None, programme_code=None,
                    parties=selectinload):
    """Agreements by the filters; `parties` is how their parties load (selectin for pages of them)."""
    query = (select(Agreement)
             .options(parties(Agreement.parties))
             .order_by(Agreement.effective_to.asc().nulls_last(), Agreement.id))
    if status:
        query = query.where(Agreement.status_sql(today) == status)
    if type:
        query = query.where(Agreement.type == type)
    if partner_id:
        query = query.where(Agreement.id.in_(
            select(agreement_parties.c.agreement_id).where(agreement_parties.c.partner_id == partner_id)))
    if programme_code:
        query = query.where(Agreement.id.in_(
            select(agreement_programmes.c.agreement_id).join(Programme).where(Programme.code == programme_code.upper())))
    return query


def expiring_agreements(today: date) -> list[Agreement]:
    """One query: the agreements expiring within 90 days with their parties joined in."""
    query = agreement_query(today, status="expiring", parties=joinedload)
    return db.session.scalars(query).unique().all()


def partner_overview(partner: Partner, today: date) -> dict:
    agreements = db.session.scalars(agreement_query(today, partner_id=partner.id)).all()
    programmes = {p.id: p for a in agreements for p in a.programmes}
    courses = db.session.scalars(
        select(Course).join(course_instructors, course_instructors.c.course_id == Course.id)
        .join(User, User.id == course_instructors.c.user_id)
        .where(User.partner_id == partner.id, Course.status != CourseStatus.DRAFT)
        .options(selectinload(Course.programme)).order_by(Course.starts_on.desc()).distinct()
    ).all()
    degree_students = db.session.scalars(
        select(ExternalRecord).where(ExternalRecord.partner_id == partner.id, ExternalRecord.kind == RecordKind.DEGREE,
                                     ExternalRecord.degree_status == DegreeStatus.STUDYING)
        .options(selectinload(ExternalRecord.worker))
    ).all()
    return {"agreements": agreements, "programmes": sorted(programmes.values(), key=lambda p: p.sort_order),
            "courses": courses, "degree_students": degree_students}


