"""Every rule of the registry with its refusal, and the profile's level derived from verified records."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from academy.auth.enums import Qualification
from academy.core.errors import OperationError
from academy.extensions import db
from academy.progress.models import CeStanding
from academy.qualifications import operations as ops
from academy.qualifications.models import QualificationEvent, QualificationRecord, RecordStatus
from tests.qualifications.helpers import add_record, declaration

TODAY = date(2026, 6, 1)


def records_count() -> int:
    return db.session.scalar(select(func.count()).select_from(QualificationRecord))


def test_a_declaration_waits_for_verification_and_leaves_the_level_alone(make):
    worker = make.create_worker(qualification=Qualification.NONE, registration_date=None)
    item = ops.declare(worker, today=TODAY, **declaration(certificate_no=" a2022 1101 00001 "))
    db.session.commit()
    assert item.status == RecordStatus.DECLARED and item.certificate_no == "A2022110100001"
    assert [(e.from_status, e.to_status, e.actor_id) for e in item.events] == [(None, RecordStatus.DECLARED, worker.id)]
    db.session.refresh(worker.profile)
    assert worker.profile.qualification == Qualification.NONE


@pytest.mark.parametrize(("overrides", "field"), [
    ({"exam_year": 2007}, "exam_year"),
    ({"exam_year": 2027}, "exam_year"),
    ({"issued_on": date(2026, 6, 2)}, "issued_on"),
    ({"issued_on": date(2021, 12, 31)}, "issued_on"),
    ({"certificate_no": "  "}, "certificate_no"),
    ({"certificate_no": "A<script>"}, "certificate_no"),
    ({"level": Qualification.NONE}, "level"),
    ({"issuing_authority": " "}, "issuing_authority"),
])
def test_bad_declarations_are_refused_and_write_nothing(make, overrides, field):
    worker = make.create_worker()
    before = records_count()
    with pytest.raises(OperationError) as refused:
        ops.declare(worker, today=TODAY, **declaration(**overrides))
    assert refused.value.field == field
    db.session.rollback()
    assert records_count() == before


def test_certificate_numbers_are_unique_across_the_district(make):
    holder = make.create_worker()
    add_record(holder, number="A2022110100001", status=RecordStatus.DECLARED)
    other = make.create_worker()
    with pytest.raises(OperationError, match="already in the registry") as refused:
        ops.declare(other, today=TODAY, **declaration(certificate_no="a2022110100001"))
    assert refused.value.field == "certificate_no"


def test_the_schema_backs_the_unique_number(make):
    from sqlalchemy.exc import IntegrityError

    add_record(make.create_worker(), number="SAME-1")
    with pytest.raises(IntegrityError):
        add_record(make.create_worker(), number="SAME-1")
    db.session.rollback()


def test_a_refused_number_does_not_block_its_real_holder(make):
    add_record(make.create_worker(), number="A2022110100001", status=RecordStatus.REFUSED)
    item = ops.declare(make.create_worker(), today=TODAY, **declaration())
    assert item.status == RecordStatus.DECLARED


def test_a_senior_record_needs_an_intermediate_one(make):
    worker = make.create_worker()
    senior = declaration(level=Qualification.SENIOR, certificate_no="S2024-1", exam_year=2024, issued_on=date(2024, 12, 1))
    with pytest.raises(OperationError, match="intermediate") as refused:
        ops.declare(worker, today=TODAY, **senior)
    assert refused.value.field == "level"
    add_record(worker, Qualification.SOCIAL_WORKER, year=2019, status=RecordStatus.DECLARED)
    assert ops.declare(worker, today=TODAY, **senior).level == Qualification.SENIOR


def test_verifying_derives_the_profile_and_the_ce_requirement(make):
    worker = make.create_worker(qualification=Qualification.NONE, registration_date=None)
    admin = make.create_admin()
    assistant = add_record(worker, Qualification.ASSISTANT, year=2018, status=RecordStatus.DECLARED,
                           issued_on=date(2019, 3, 1))
    ops.verify(assistant, actor=admin)
    db.session.commit()
    profile = worker.profile
    assert (profile.qualification, profile.certificate_no, profile.registration_date) == (
        Qualification.ASSISTANT, assistant.certificate_no, date(2019, 3, 1))
    assert db.session.get(CeStanding, worker.id).required == Decimal("72")
    intermediate = add_record(worker, Qualification.SOCIAL_WORKER, year=2022, status=RecordStatus.DECLARED,
                              issued_on=date(2023, 1, 10))
    ops.verify(intermediate, actor=admin)
    db.session.commit()
    assert (profile.qualification, profile.registration_date) == (Qualification.SOCIAL_WORKER, date(2023, 1, 10))
    assert db.session.get(CeStanding, worker.id).required == Decimal("90")
    assert db.session.get(CeStanding, worker.id).period_start == date(2023, 1, 10)


def test_revoking_the_highest_record_falls_back_to_the_next(make):
    worker = make.create_worker()
    admin = make.create_admin()
    add_record(worker, Qualification.ASSISTANT, year=2018)
    intermediate = add_record(worker, Qualification.SOCIAL_WORKER, year=2022, status=RecordStatus.DECLARED)
    ops.verify(intermediate, actor=admin)
    assert worker.profile.qualification == Qualification.SOCIAL_WORKER
    ops.revoke(intermediate, actor=admin, reason="证书编号与发证机关记录不符")
    db.session.commit()
    assert worker.profile.qualification == Qualification.ASSISTANT
    assert [(e.from_status, e.to_status, e.actor_id, e.reason) for e in intermediate.events][-1] == (
        RecordStatus.VERIFIED, RecordStatus.REVOKED, admin.id, "证书编号与发证机关记录不符")
    assert intermediate.status_reason == "证书编号与发证机关记录不符"


def test_refusing_needs_a_reason_and_keeps_the_record(make):
    worker = make.create_worker()
    item = add_record(worker, status=RecordStatus.DECLARED)
    admin = make.create_admin()
    with pytest.raises(OperationError) as refused:
        ops.refuse(item, actor=admin, reason="  ")
    assert refused.value.field == "reason"
    ops.refuse(item, actor=admin, reason="扫描件看不清")
    db.session.commit()
    assert item.status == RecordStatus.REFUSED and item.decided_by_id == admin.id
    with pytest.raises(OperationError):
        ops.verify(item, actor=admin)
    with pytest.raises(OperationError):
        ops.revoke(item, actor=admin, reason="x")


def test_senior_verification_needs_a_verified_intermediate_or_an_administrators_override(make):
    street = make.subdistrict()
    worker = make.create_worker(work_unit=make.create_unit(parent=street))
    senior = add_record(worker, Qualification.SENIOR, year=2024, status=RecordStatus.DECLARED)
    street_admin = make.create_street_admin(street=street)
    with pytest.raises(OperationError, match="intermediate"):
        ops.verify(senior, actor=street_admin)
    with pytest.raises(OperationError) as refused:
        ops.verify(senior, actor=street_admin, override_reason="外省调入，中级证书在外省")
    assert refused.value.field == "override_reason"
    db.session.rollback()
    admin = make.create_admin()
    ops.verify(senior, actor=admin, override_reason="外省调入，中级证书在外省")
    db.session.commit()
    assert senior.status == RecordStatus.VERIFIED and senior.override_reason == "外省调入，中级证书在外省"
    assert worker.profile.qualification == Qualification.SENIOR


def test_a_subdistrict_administrator_decides_only_in_their_subdistrict(make):
    home, away = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    street_admin = make.create_street_admin(street=home)
    mine = add_record(make.create_worker(work_unit=make.create_unit(parent=home)), status=RecordStatus.DECLARED)
    theirs = add_record(make.create_worker(work_unit=make.create_unit(parent=away)), status=RecordStatus.DECLARED)
    ops.verify(mine, actor=street_admin)
    with pytest.raises(OperationError, match="your subdistrict"):
        ops.verify(theirs, actor=street_admin)
    db.session.rollback()
    assert db.session.get(QualificationRecord, theirs.id).status == RecordStatus.DECLARED


def test_every_change_is_an_event_with_who_when_from_to_and_why(make):
    worker = make.create_worker()
    admin = make.create_admin()
    item = ops.declare(worker, today=TODAY, **declaration())
    ops.verify(item, actor=admin)
    ops.revoke(item, actor=admin, reason="重复登记")
    db.session.commit()
    events = db.session.scalars(select(QualificationEvent).where(QualificationEvent.record_id == item.id)
                                .order_by(QualificationEvent.id)).all()
    assert [(e.from_status, e.to_status, e.actor_id, e.reason) for e in events] == [
        (None, RecordStatus.DECLARED, worker.id, None), (RecordStatus.DECLARED, RecordStatus.VERIFIED, admin.id, None),
        (RecordStatus.VERIFIED, RecordStatus.REVOKED, admin.id, "重复登记")]
    assert all(e.at is not None for e in events)
