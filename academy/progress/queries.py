"""Everything a learning record (学习档案) shows, read in a fixed number of queries."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from academy.certificates.models import Certificate
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.programmes.models import Tier
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
    hours_by_year: dict[int, Decimal] = {}
    for enrolment in completions:  # this worker's own completions, already loaded
        if enrolment.course.ends_on:
            year = enrolment.course.ends_on.year
            hours_by_year[year] = hours_by_year.get(year, Decimal("0")) + (enrolment.credited_hours or Decimal("0"))
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.worker_id == worker.id).order_by(Certificate.issued_at.desc())
    ).all()
    return LearningRecord(
        worker=worker, certificates=certificates,
        completions={tier: [e for e in completions if e.course.programme.tier == tier] for tier in Tier},
        records={kind: [r for r in records if r.kind == kind] for kind in RecordKind},
        hours_by_year=sorted(hours_by_year.items(), reverse=True),
        ce=ce_status(worker.profile, today, completions=completions, records=records),
    )
