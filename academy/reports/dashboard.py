"""The dashboard's figures and chart series, each one SQL aggregate."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import format_date
from sqlalchemy import Integer, cast, distinct, extract, func, select

from academy.auth.models import User, WorkerProfile
from academy.core.permissions import Role
from academy.courses.models import Course
from academy.enrolment.models import SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.programmes.models import Programme, Tier
from academy.progress.models import CeStanding
from academy.reports.queries import ReportFilters, lookup_names, progress_report


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


def build_dashboard(session, year: int, subdistrict_id: int | None) -> Dashboard:
    filters = ReportFilters(year=year, subdistrict_id=subdistrict_id)
    board = Dashboard(year=year)

    workers = select(func.count(User.id)).join(WorkerProfile, WorkerProfile.user_id == User.id).where(
        User.role == Role.WORKER, User.active.is_(True))
    standings = select(func.count(CeStanding.worker_id), func.sum(
        (CeStanding.done >= CeStanding.required).cast(Integer))).join(
        WorkerProfile, WorkerProfile.user_id == CeStanding.worker_id).where(CeStanding.applicable.is_(True))
    if subdistrict_id:
        workers = workers.where(WorkerProfile.subdistrict_id == subdistrict_id)
        standings = standings.where(WorkerProfile.subdistrict_id == subdistrict_id)
    board.active_workers = session.scalar(workers)
    applicable, compliant = session.execute(standings).one()
    board.ce_rate = (Decimal(compliant or 0) * 100 / applicable).quantize(Decimal("0.1")) if applicable else None

    by_programme = progress_report(session, ["programme"], filters)
    board.enrolled, board.hours = by_programme.total.enrolled, by_programme.total.hours
    board.completion_rate = by_programme.total.completion_rate
    names = lookup_names(session)
    programmes = session.execute(select(Programme.code, Programme.name_zh).order_by(Programme.sort_order)).all()
    enrolled = {row.keys[0]: row.enrolled for row in by_programme.rows}
    board.by_programme = [(name, enrolled.get(code, 0)) for code, name in programmes]

    tier_rows = session.execute(filters.apply(
        select(Programme.tier, func.count(distinct(Enrolment.worker_id)))
        .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id)
        .where(Enrolment.status.in_(SEATED_STATUSES))).group_by(Programme.tier)).all()
    workers_by_tier = {tier: count for tier, count in tier_rows}
    board.by_tier = [(tier.label, workers_by_tier.get(tier, 0)) for tier in Tier]

    by_subdistrict = progress_report(session, ["subdistrict"], filters)
    rates = {row.keys[0]: row.completion_rate for row in by_subdistrict.rows}
    board.by_subdistrict = [(name, rates.get(sid)) for sid, name in sorted(names["subdistricts"].items())
                            if subdistrict_id in (None, sid)]

    month = cast(extract("month", Course.ends_on), Integer)
    month_rows = session.execute(filters.apply(
        select(month, func.coalesce(func.sum(Enrolment.credited_hours), 0))
        .select_from(Enrolment).join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .join(WorkerProfile, WorkerProfile.user_id == Enrolment.worker_id)
        .where(Enrolment.status == EnrolmentStatus.COMPLETED)).group_by(month)).all()
    hours = {int(m): Decimal(h) for m, h in month_rows if m is not None}
    board.by_month = [(format_date(date(year, m, 1), "MMM"), hours.get(m, Decimal("0"))) for m in range(1, 13)]
    return board
