"""Continuing-education hours for a worker's current registration period, and where they stand."""
import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from academy.auth.enums import Qualification
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.models import (
    ContinuingEducationRule, DegreeStatus, ExternalRecord, RecordKind, ReviewStatus,
)


class CeState(enum.StrEnum):
    NOT_APPLICABLE = "not_applicable"
    COMPLIANT = "compliant"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"

    @property
    def label(self):
        return {
            CeState.NOT_APPLICABLE: _l("Not applicable"),
            CeState.COMPLIANT: _l("Compliant"),
            CeState.ON_TRACK: _l("On track"),
            CeState.AT_RISK: _l("At risk"),
            CeState.OVERDUE: _l("Overdue"),
        }[self]

    @property
    def badge(self) -> str:
        return {"not_applicable": "secondary", "compliant": "success", "on_track": "info", "at_risk": "warning",
                "overdue": "danger"}[self.value]


@dataclass
class CeStatus:
    state: CeState
    note: str | None = None
    period_start: date | None = None
    period_end: date | None = None  # the registration expires on this day
    required: Decimal = Decimal("0")
    courses: Decimal = Decimal("0")
    training: Decimal = Decimal("0")
    research: Decimal = Decimal("0")
    degree: Decimal = Decimal("0")
    window_opens: date | None = None

    @property
    def done(self) -> Decimal:
        return self.courses + self.training + self.research + self.degree

    @property
    def missing(self) -> Decimal:
        return max(self.required - self.done, Decimal("0"))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def rule_for(qualification: Qualification) -> ContinuingEducationRule | None:
    return db.session.scalar(
        select(ContinuingEducationRule).where(ContinuingEducationRule.qualification == qualification))


def ce_status(profile, today: date, completions=None, records=None) -> CeStatus:
    """The worker's standing in the registration period that began at their registration date.

    The level and the registration date are the profile's, which the qualification registry derives
    from the highest verified certificate (its date of issue), so the requirement follows the registry.

    `completions` (completed enrolments with their course) and `records` (the worker's outside records),
    when the caller has them loaded already, are summed here instead of asking the database again."""
    if profile is None or profile.qualification in (None, Qualification.NONE):
        return CeStatus(CeState.NOT_APPLICABLE, str(_l("Continuing education applies to registered social workers.")))
    if profile.registration_date is None:
        return CeStatus(CeState.NOT_APPLICABLE, str(_l("The registration date is the date of issue of your verified certificate: "
                                                  "declare the certificate with its date.")))
    rule = rule_for(profile.qualification)
    if rule is None:
        return CeStatus(CeState.NOT_APPLICABLE, str(_l("No continuing-education rule is set for this level.")))
    start = profile.registration_date
    end = add_years(start, rule.period_years)
    status = CeStatus(CeState.ON_TRACK, period_start=start, period_end=end, required=rule.required_hours,
                      window_opens=add_months(end, -rule.window_months))
    if completions is not None and records is not None:
        status.courses = sum((e.credited_hours or Decimal(0) for e in completions
                              if e.course.ends_on and start <= e.course.ends_on < end), Decimal("0"))
        counted = [r for r in records if r.review_status == ReviewStatus.VERIFIED and r.ended_on
                   and start <= r.ended_on < end]
        status.training = sum((r.hours or Decimal(0) for r in counted if r.kind == RecordKind.TRAINING), Decimal("0"))
        status.research = sum((r.hours or Decimal(0) for r in counted if r.kind == RecordKind.RESEARCH), Decimal("0"))
        graduated = any(r.kind == RecordKind.DEGREE and r.social_work_degree
                        and r.degree_status == DegreeStatus.GRADUATED for r in counted)
    else:
        status.courses = _course_hours(profile.user_id, start, end)
        status.training, status.research, graduated = _record_hours(profile.user_id, start, end)
    if not rule.counts_research:
        status.research = Decimal("0")
    status.degree = rule.degree_hours if graduated else Decimal("0")  # once, however many degrees
    if today >= end:
        status.state = CeState.OVERDUE if status.done < status.required else CeState.COMPLIANT
        status.note = str(_l("The registration expired on %(date)s: re-register.", date=end.isoformat()))
    elif status.done >= status.required:
        status.state = CeState.COMPLIANT
    else:
        elapsed = Decimal((today - start).days) / Decimal((end - start).days)
        behind = status.done < status.required * elapsed
        status.state = CeState.AT_RISK if behind or today >= status.window_opens else CeState.ON_TRACK
    return status


def _course_hours(worker_id: int, start: date, end: date) -> Decimal:
    return Decimal(db.session.scalar(
        select(func.coalesce(func.sum(Enrolment.credited_hours), 0))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.worker_id == worker_id, Enrolment.status == EnrolmentStatus.COMPLETED,
               Course.ends_on >= start, Course.ends_on < end)
    ) or 0)


def _record_hours(worker_id: int, start: date, end: date) -> tuple[Decimal, Decimal, bool]:
    """Verified training and research hours ending in the period, and whether a social-work degree
    was completed in it."""
    rows = db.session.execute(
        select(ExternalRecord.kind, func.coalesce(func.sum(ExternalRecord.hours), 0), func.count(ExternalRecord.id))
        .where(
            ExternalRecord.worker_id == worker_id, ExternalRecord.review_status == ReviewStatus.VERIFIED,
            ExternalRecord.ended_on >= start, ExternalRecord.ended_on < end,
            (ExternalRecord.kind != RecordKind.DEGREE)
            | ((ExternalRecord.social_work_degree.is_(True)) & (ExternalRecord.degree_status == DegreeStatus.GRADUATED)),
        )
        .group_by(ExternalRecord.kind)
    )
    totals = {kind: (Decimal(hours or 0), count) for kind, hours, count in rows}
    return (totals.get(RecordKind.TRAINING, (Decimal("0"), 0))[0],
            totals.get(RecordKind.RESEARCH, (Decimal("0"), 0))[0],
            totals.get(RecordKind.DEGREE, (Decimal("0"), 0))[1] > 0)


