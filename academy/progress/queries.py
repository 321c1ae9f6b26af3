"""Everything a learning record (学习档案) shows, read in a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import extract, func, select
from sqlalchemy.orm import joinedload

from academy.certificates.models import Certificate
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.programmes.models import Programme, Tier
from academy.progress.continuing import CeStatus, ce_status
from academy.progress.models import ExternalRecord, RecordKind


@dataclass
class LearningRecord:
    worker: object
    completions: dict = field(default_factory=dict)   # Tier -> completed enrolments
    records: dict = field(default_factory=dict)       # RecordKind -> external records
    hours_by_year: list = field(default_factory=list)  # (year, hours) of completed courses
    certificates: list = field(default_factory=list)
    ce: CeStatus | None = None

    @property
    def course_hours(self) -> Decimal:
        return sum((hours for _, hours in self.hours_by_year), Decimal("0"))


def learning_record(worker, today: date) -> LearningRecord:
    completions = db.session.scalars(
        select(Enrolment)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.worker_id == worker.id, Enrolment.status == EnrolmentStatus.COMPLETED)
        .options(joinedload(Enrolment.course).joinedload(Course.programme))
        .order_by(Course.ends_on.desc())
    ).all()
    records = db.session.scalars(
        select(ExternalRecord).where(ExternalRecord.worker_id == worker.id)
        .options(joinedload(ExternalRecord.evidence))
        .order_by(ExternalRecord.started_on.desc().nulls_last(), ExternalRecord.id.desc())
    ).all()
    year = extract("year", Course.ends_on)
    by_year = db.session.execute(
        select(year, func.sum(Enrolment.credited_hours))
        .join(Course, Course.id == Enrolment.course_id)
        .join(Programme, Programme.id == Course.programme_id)
        .where(Enrolment.worker_id == worker.id, Enrolment.status == EnrolmentStatus.COMPLETED)
        .group_by(year).order_by(year.desc())
    ).all()
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.worker_id == worker.id).order_by(Certificate.issued_at.desc())
    ).all()
    return LearningRecord(
        worker=worker, certificates=certificates,
        completions={tier: [e for e in completions if e.course.programme.tier == tier] for tier in Tier},
        records={kind: [r for r in records if r.kind == kind] for kind in RecordKind},
        hours_by_year=[(int(y), Decimal(h or 0)) for y, h in by_year],
        ce=ce_status(worker.profile, today),
    )
