from datetime import date
from decimal import Decimal

import pytest

from academy.auth.enums import Qualification
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.continuing import CeState, add_months, add_years, ce_status
from academy.progress.models import DegreeStatus, ExternalRecord, RecordKind, ReviewStatus

REGISTERED = date(2025, 1, 1)  # period 2025-01-01 .. 2028-01-01, window opens 2027-10-01


def completed(make, worker, hours, ends_on):
    course = make.create_course(starts_on=ends_on, credit_hours=Decimal(hours))
    db.session.add(Enrolment(course=course, worker=worker, status=EnrolmentStatus.COMPLETED,
                             credited_hours=Decimal(hours)))
    db.session.flush()


def outside(worker, kind=RecordKind.TRAINING, hours="0", ended_on=date(2026, 6, 1),
            status=ReviewStatus.VERIFIED, **extra):
    db.session.add(ExternalRecord(worker_id=worker.id, kind=kind, title="t", institution="i", hours=Decimal(hours),
                                  ended_on=ended_on, review_status=status, **extra))
    db.session.flush()


def test_hours_exactly_at_the_requirement_are_compliant(make):
    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=REGISTERED)
    completed(make, worker, "60", date(2025, 6, 1))
    outside(worker, hours="12")
    status = ce_status(worker.profile, date(2026, 7, 1))
    assert (status.required, status.done, status.state) == (Decimal("72"), Decimal("72"), CeState.COMPLIANT)


def test_social_workers_need_ninety(make):
    worker = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=REGISTERED)
    completed(make, worker, "72", date(2025, 6, 1))
    status = ce_status(worker.profile, date(2025, 7, 1))
    assert status.required == Decimal("90") and status.state == CeState.ON_TRACK


def test_behind_pace_or_inside_the_window_is_at_risk(make):
    worker = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=REGISTERED)
    completed(make, worker, "30", date(2025, 3, 1))
    assert ce_status(worker.profile, date(2025, 6, 1)).state == CeState.ON_TRACK
    assert ce_status(worker.profile, date(2026, 6, 1)).state == CeState.AT_RISK   # 30 < 90 x 0.5
    completed(make, worker, "40", date(2025, 4, 1))
    assert ce_status(worker.profile, date(2027, 10, 1)).state == CeState.AT_RISK  # in the window, not done


def test_expired_registration_is_overdue_the_day_it_expires(make):
    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=REGISTERED)
    assert ce_status(worker.profile, date(2027, 12, 31)).state == CeState.AT_RISK
    status = ce_status(worker.profile, date(2028, 1, 1))
    assert status.state == CeState.OVERDUE and "2028-01-01" in status.note


def test_hours_outside_the_period_and_unverified_records_do_not_count(make):
    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=REGISTERED)
    completed(make, worker, "10", date(2024, 12, 31))        # the day before the period
    completed(make, worker, "10", date(2028, 1, 1))          # the day it ends
    completed(make, worker, "5", date(2025, 1, 1))           # its first day counts
    outside(worker, hours="20", status=ReviewStatus.PENDING)
    outside(worker, hours="20", status=ReviewStatus.REJECTED)
    outside(worker, kind=RecordKind.RESEARCH, hours="30")    # research does not count by default
    status = ce_status(worker.profile, date(2026, 1, 1))
    assert (status.courses, status.training, status.research) == (Decimal("5"), Decimal("0"), Decimal("0"))


def test_a_completed_social_work_degree_counts_ninety_once(make):
    worker = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=REGISTERED)
    for _ in range(2):
        outside(worker, kind=RecordKind.DEGREE, social_work_degree=True, degree_status=DegreeStatus.GRADUATED)
    outside(worker, kind=RecordKind.DEGREE, social_work_degree=False, degree_status=DegreeStatus.GRADUATED)
    status = ce_status(worker.profile, date(2026, 7, 1))
    assert status.degree == Decimal("90") and status.state == CeState.COMPLIANT


def test_a_degree_still_being_studied_counts_nothing(make):
    worker = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=REGISTERED)
    outside(worker, kind=RecordKind.DEGREE, social_work_degree=True, degree_status=DegreeStatus.STUDYING)
    assert ce_status(worker.profile, date(2026, 7, 1)).degree == 0


@pytest.mark.parametrize(
    ("overrides", "note"),
    [({"qualification": Qualification.NONE}, "applies to registered social workers"),
     ({"qualification": Qualification.ASSISTANT, "registration_date": None}, "registration date")],
)
def test_not_applicable_says_why(make, overrides, note):
    worker = make.create_worker(**overrides)
    status = ce_status(worker.profile, date(2026, 1, 1))
    assert status.state == CeState.NOT_APPLICABLE and note in status.note


def test_the_rules_live_in_the_table(make):
    from sqlalchemy import select

    from academy.progress.models import ContinuingEducationRule

    rule = db.session.scalar(select(ContinuingEducationRule).where(
        ContinuingEducationRule.qualification == Qualification.ASSISTANT))
    rule.required_hours, rule.counts_research = Decimal("60"), True
    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=REGISTERED)
    outside(worker, kind=RecordKind.RESEARCH, hours="60")
    status = ce_status(worker.profile, date(2026, 1, 1))
    assert status.required == Decimal("60") and status.state == CeState.COMPLIANT


def test_registration_on_29_february_and_month_arithmetic():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 1), -3) == date(2027, 10, 1)
    assert add_months(date(2027, 5, 31), -3) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 15), -1) == date(2026, 12, 15)


def test_the_standings_summary_always_equals_the_computed_status(make):
    """Every operation that changes hours or periods refreshes ce_standings; compare with the raw sums."""
    from academy.core.i18n import local_today
    from academy.demo import load_demo
    from academy.progress.models import CeStanding

    load_demo()
    db.session.commit()
    standings = db.session.scalars(db.select(CeStanding)).all()
    assert standings
    for standing in standings:
        worker = db.session.get(Enrolment.worker.property.mapper.class_, standing.worker_id)
        status = ce_status(worker.profile, local_today())
        assert (standing.done, standing.required, standing.applicable) == (
            status.done, status.required, status.state != CeState.NOT_APPLICABLE)
