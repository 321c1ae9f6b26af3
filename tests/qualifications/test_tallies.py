"""The registry's summary tables equal their raw aggregate after every kind of change that moves them,
and the counts page built from them shows what the records say."""
import pytest
from sqlalchemy import select, update

from academy.auth.enums import Qualification
from academy.auth.operations import update_profile
from academy.core.tallying import raw_of, stored_of
from academy.extensions import db
from academy.programmes.names import subdistrict_refs
from academy.qualifications import operations as ops
from academy.qualifications.counts import build_counts, holder_rows, tallied_holder_rows, tallied_year_rows, year_rows
from academy.qualifications.models import QualificationRecord, RecordStatus
from academy.qualifications.tallies import TALLIES
from tests.qualifications.helpers import add_record, declaration
from tests.qualifications.test_counts import STREETS, generate


def assert_current():
    connection = db.session.connection()
    stored, raw = stored_of(connection, TALLIES), raw_of(connection, TALLIES)
    assert stored == raw
    return stored


def test_generated_records_are_tallied_and_the_page_reads_the_same_counts(make):
    generate(make)
    stored = assert_current()
    assert stored["certificates"] and stored["holders"]
    from_tallies = build_counts(tallied_holder_rows(db.session), tallied_year_rows(db.session), subdistrict_refs(),
                                make.subdistrict(STREETS[1]).id, 2026)
    from_records = build_counts(holder_rows(db.session), year_rows(db.session), subdistrict_refs(),
                                make.subdistrict(STREETS[1]).id, 2026)
    assert from_tallies == from_records


def test_declare_verify_refuse_revoke_and_import_keep_the_tables_current(make):
    admin, worker, other = make.create_admin(), make.create_worker(), make.create_worker()
    before = assert_current()
    declared = ops.declare(worker, actor=worker, **declaration())
    db.session.commit()
    assert assert_current() == before  # a declaration counts nowhere yet
    ops.verify(declared, actor=admin)
    ops.derive_profile(worker.id)
    db.session.commit()
    after_verify = assert_current()
    key = (declaration()["exam_year"], "assistant", worker.profile.subdistrict_id)
    assert after_verify["certificates"][key] == [1]
    ops.record_result(other, level=Qualification.ASSISTANT, certificate_no="A2021110100009", exam_year=2021,
                      issued_on=None, issuing_authority="人社部", actor=admin)
    db.session.commit()
    assert_current()
    refused = ops.declare(other, actor=other, **declaration(certificate_no="A2019110100002", exam_year=2019))
    ops.refuse(refused, actor=admin, reason="证书编号与扫描件不符")
    db.session.commit()
    assert_current()
    ops.revoke(declared, actor=admin, reason="证书已被注销")
    ops.derive_profile(worker.id)
    db.session.commit()
    assert key not in assert_current()["certificates"]


def test_moving_subdistrict_deactivating_and_a_new_worker_keep_the_tables_current(make):
    generate(make, seed=11)
    worker = db.session.scalars(select(QualificationRecord).where(
        QualificationRecord.status == RecordStatus.VERIFIED).limit(1)).one().worker
    elsewhere = make.create_unit(parent=make.subdistrict("110101002000"))
    update_profile(worker, name=worker.name, email=None, work_unit=elsewhere)
    db.session.commit()
    assert_current()
    worker.active = False
    db.session.commit()
    assert_current()
    newcomer = make.create_worker(work_unit=elsewhere)
    ops.record_result(newcomer, level=Qualification.ASSISTANT, certificate_no="A2024110100077", exam_year=2024,
                      issued_on=None, issuing_authority="人社部", actor=make.create_admin())
    db.session.commit()
    assert_current()


def test_a_rolled_back_change_leaves_the_tables_as_they_were(make):
    worker, admin = make.create_worker(), make.create_admin()
    before = assert_current()
    ops.record_result(worker, level=Qualification.ASSISTANT, certificate_no="A2023110100005", exam_year=2023,
                      issued_on=None, issuing_authority="人社部", actor=admin)
    db.session.rollback()
    db.session.commit()
    assert assert_current() == before


def test_a_bulk_statement_on_the_records_is_refused(make):
    make.create_worker()
    with pytest.raises(RuntimeError, match="registry"):
        db.session.execute(update(QualificationRecord).values(exam_year=2020))
    db.session.rollback()


def test_the_annual_return_has_the_registrys_figures_by_subdistrict(client, make, login):
    import io

    import openpyxl

    home = make.create_unit(parent=make.subdistrict(STREETS[0]))
    first, second, idle = (make.create_worker(work_unit=home) for _ in range(3))
    add_record(first, Qualification.ASSISTANT, number="R-1", year=2023)
    add_record(first, Qualification.SOCIAL_WORKER, number="R-2", year=2025)
    add_record(second, Qualification.ASSISTANT, number="R-3", year=2025)
    add_record(idle, Qualification.ASSISTANT, number="R-4", year=2025, status=RecordStatus.DECLARED)
    login(make.create_admin())
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/reports/annual", query_string={"year": 2025}).data))
    sheet = book["2025年度持证情况"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    name = make.subdistrict(STREETS[0]).name_zh
    # workers; holders (assistant, intermediate, senior); new in 2025; cumulative to 2025; share
    assert rows[name][:10] == (3, 1, 1, 0, 1, 1, 0, 2, 1, 0)
    assert round(rows[name][10], 3) == round(2 / 3, 3)
    assert rows["合计"][:10] == tuple(sum(row[i] for key, row in rows.items() if key != "合计") for i in range(10))
    earlier = openpyxl.load_workbook(io.BytesIO(client.get("/admin/reports/annual", query_string={"year": 2024}).data))
    rows = {row[0]: row[1:] for row in earlier["2024年度持证情况"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows[name][4:10] == (0, 0, 0, 1, 0, 0)  # nothing new in 2024; one assistant certificate by its end


def test_a_subdistrict_administrator_gets_only_their_subdistrict_in_the_registry_sheet(client, make, login):
    import io

    import openpyxl

    generate(make, seed=2)
    home = make.subdistrict(STREETS[0])
    login(make.create_street_admin(street=home))
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/reports/annual", query_string={"year": 2025}).data))
    names = [row[0] for row in book["2025年度持证情况"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert names == [home.name_zh, "合计"]
