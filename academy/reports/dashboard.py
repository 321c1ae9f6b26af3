"""The dashboard's figures and chart series from three SQL aggregates (whatever the data size)."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import format_date
from sqlalchemy import Integer, case, cast, distinct, extract, func, select

from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role
from academy.core.reference import programme_refs, subdistrict_refs
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.programmes.models import Programme, Tier
from academy.progress.models import CeStanding
from academy.reports.queries import ReportFilters

S = EnrolmentStatus


@dataclass
class Dashboard:
    year: int
    active_workers: int = 0
    enrolled: int = 0
    completion_rate: Decimal | None = None
    ce_rate: Decimal | None = None
    hours: Decimal = Decimal("0")
    by_programme: list = field(default_factory=list)   # (label, enrolled)
    by_tier: list = field(default_factory=list)        # (label, workers)
    by_subdistrict: list = field(default_factory=list)  # (label, completion rate)
    by_month: list = field(default_factory=list)       # (month, hours)


def rate(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _people(session, subdistrict_id):
    """Active workers, and workers to whom continuing education applies and who comply: one query."""
    in_scope = (WorkerProfile.subdistrict_id == subdistrict_id) if subdistrict_id else True
    active = (select(func.count(User.id)).join(WorkerProfile, WorkerProfile.user_id == User.id)
              .where(User.role == Role.WORKER, User.active.is_(True), in_scope).scalar_subquery())
    standing = select(CeStanding).join(WorkerProfile, WorkerProfile.user_id == CeStanding.worker_id).where(
        CeStanding.applicable.is_(True), in_scope)
    applicable = select(func.count()).select_from(standing.subquery()).scalar_subquery()
    compliant_rows = standing.where(CeStanding.done >= CeStanding.required).subquery()
    compliant = select(func.count()).select_from(compliant_rows).scalar_subquery()
    return session.execute(select(active, applicable, compliant)).one()


def build_dashboard(session, year: int, subdistrict_id: int | None) -> Dashboard:
    filters = ReportFilters(year=year, subdistrict_id=subdistrict_id)
    board = Dashboard(year=year)
    board.active_workers, applicable, compliant = _people(session, subdistrict_id)
    board.ce_rate = rate(compliant, applicable)

    month = cast(extract("month", Course.ends_on), Integer)
    base = (select(Programme.code, WorkerProfile.subdistrict_id, month,
                   func.sum(case((Enrolment.status.in_(SEATED_STATUSES), 1), else_=0)).label("enrolled"),
                   func.sum(case((Enrolment.status == S.COMPLETED, 1), else_=0)).label("completed"),
                   func.sum(case((Enrolment.status == S.NOT_COMPLETED, 1), else_=0)).label("not_completed"),
                   func.coalesce(func.sum(case((Enrolment.status == S.COMPLETED, Enrolment.credited_hours))),
                                 0).label("hours"))
            .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
            .join(Programme, Programme.id == Course.programme_id)
            .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id))
    cells = session.execute(filters.apply(base).group_by(Programme.code, WorkerProfile.subdistrict_id, month)).all()

    by_programme, by_street, by_month = {}, {}, {}
    completed = not_completed = 0
    for code, street, month_number, enrolled, done, failed, hours in cells:  # aggregate rows, not records
        by_programme[code] = by_programme.get(code, 0) + enrolled
        done_so_far, failed_so_far = by_street.get(street, (0, 0))
        by_street[street] = (done_so_far + done, failed_so_far + failed)
        if month_number:
            by_month[int(month_number)] = by_month.get(int(month_number), Decimal("0")) + Decimal(hours)
        board.enrolled += enrolled
        board.hours += Decimal(hours)
        completed, not_completed = completed + done, not_completed + failed
    board.completion_rate = rate(completed, completed + not_completed)
    board.by_programme = [(p.name_zh, by_programme.get(p.code, 0)) for p in programme_refs()]
    board.by_subdistrict = [(u.name_zh, rate(by_street.get(u.id, (0, 0))[0], sum(by_street.get(u.id, (0, 0)))))
                            for u in subdistrict_refs() if subdistrict_id in (None, u.id)]
    board.by_month = [(format_date(date(year, m, 1), "MMM"), by_month.get(m, Decimal("0"))) for m in range(1, 13)]

    tier_rows = session.execute(filters.apply(
        select(Programme.tier, func.count(distinct(Enrolment.worker_id)))
        .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id)
        .where(Enrolment.status.in_(SEATED_STATUSES))).group_by(Programme.tier)).all()
    workers_by_tier = {tier: count for tier, count in tier_rows}
    board.by_tier = [(tier.label, workers_by_tier.get(tier, 0)) for tier in Tier]
    return board
