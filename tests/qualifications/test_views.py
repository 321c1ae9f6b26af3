"""The registry's pages: a worker declares and follows their certificates; administrators decide."""
import io

from sqlalchemy import func, select

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.notifications.models import Notification
from academy.qualifications.models import QualificationRecord, RecordStatus
from tests.qualifications.helpers import PDF, add_record


def form(**overrides):
    data = {"level": "assistant", "certificate_no": "A2023110100007", "exam_year": "2023", "issued_on": "2023-12-20",
            "issuing_authority": "人力资源和社会保障部 民政部"}
    data.update(overrides)
    return data


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(QualificationRecord))


def test_a_worker_declares_a_certificate_with_its_scan(client, make, login):
    worker = make.create_worker(qualification=Qualification.NONE)
    login(worker)
    response = client.post("/me/qualifications/new", data=form(scan=(io.BytesIO(PDF), "证书.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    item = db.session.scalar(select(QualificationRecord).where(QualificationRecord.worker_id == worker.id))
    assert item.status == RecordStatus.DECLARED and item.scan.content_type == "application/pdf"
    page = client.get("/me/qualifications").get_data(as_text=True)
    assert "A2023110100007" in page and "待审核" in page
    assert client.get(f"/evidence/{item.scan.id}").data == PDF


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_written(client, make, login):
    login(make.create_worker())
    before = count()
    response = client.post("/me/qualifications/new", data=form(scan=(io.BytesIO(b"MZ\x90\x00 not a scan"), "证书.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 200
    assert "只接受 PDF、JPG 和 PNG 文件" in response.get_data(as_text=True)
    assert count() == before


def test_refusals_are_shown_beside_the_field_in_chinese(client, make, login):
    add_record(make.create_worker(), number="A2023110100007")
    login(make.create_worker())
    cases = [({}, "该证书编号已在登记册中"), ({"certificate_no": "X0001", "exam_year": "2006"}, "自 2008 年开始举行"),
             ({"certificate_no": "X0002", "exam_year": "2099", "issued_on": "2023-01-01"}, "年度不能晚于今年"),
             ({"certificate_no": "X0003", "issued_on": "2099-01-01"}, "发证日期不能晚于今天"),
             ({"certificate_no": "X0004", "level": "senior"}, "须先有中级（社会工作师）证书记录")]
    before = count()
    for overrides, message in cases:
        response = client.post("/me/qualifications/new", data=form(**overrides))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), overrides
    assert count() == before


def test_an_administrator_verifies_and_the_worker_is_told(client, make, login):
    worker = make.create_worker(qualification=Qualification.NONE, registration_date=None)
    item = add_record(worker, Qualification.SOCIAL_WORKER, status=RecordStatus.DECLARED)
    login(make.create_admin())
    page = client.get(f"/admin/workers/{worker.id}/qualifications").get_data(as_text=True)
    assert item.certificate_no in page
    response = client.post(f"/admin/qualifications/{item.id}/decide", data={"verify": "1"})
    assert response.status_code == 302
    db.session.refresh(worker.profile)
    assert worker.profile.qualification == Qualification.SOCIAL_WORKER
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == worker.id)) == "qualification_verified"


def test_refusing_without_a_reason_is_explained_and_changes_nothing(client, make, login):
    item = add_record(make.create_worker(), status=RecordStatus.DECLARED)
    login(make.create_admin())
    response = client.post(f"/admin/qualifications/{item.id}/decide", data={"refuse": "1", "reason": ""},
                           follow_redirects=True)
    assert "请填写原因" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.status == RecordStatus.DECLARED


def test_a_subdistrict_administrator_sees_and_decides_only_their_subdistrict(client, make, login):
    home, away = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    mine = add_record(make.create_worker(work_unit=make.create_unit(parent=home)), status=RecordStatus.DECLARED)
    theirs = add_record(make.create_worker(work_unit=make.create_unit(parent=away)), status=RecordStatus.DECLARED)
    login(make.create_street_admin(street=home))
    assert client.get(f"/admin/workers/{mine.worker_id}/qualifications").status_code == 200
    assert client.get(f"/admin/workers/{theirs.worker_id}/qualifications").status_code == 404
    assert client.post(f"/admin/qualifications/{theirs.id}/decide", data={"verify": "1"}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == RecordStatus.DECLARED
    assert client.post(f"/admin/qualifications/{mine.id}/decide", data={"verify": "1"}).status_code == 302
    db.session.refresh(mine)
    assert mine.status == RecordStatus.VERIFIED


def test_a_worker_sees_the_progression_and_history_but_no_decision_buttons(client, make, login):
    worker = make.create_worker()
    add_record(worker, Qualification.ASSISTANT, year=2015)
    add_record(worker, Qualification.SOCIAL_WORKER, year=2019)
    add_record(worker, Qualification.SENIOR, year=2024, status=RecordStatus.REFUSED)
    login(worker)
    page = client.get("/me/qualifications").get_data(as_text=True)
    assert "助理社会工作师 (2015) →" in page and "社会工作师 (2019)" in page
    assert "不予通过" in page and 'name="verify"' not in page
    other = make.create_worker()
    assert client.get(f"/admin/workers/{other.id}/qualifications").status_code == 403
