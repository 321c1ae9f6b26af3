import io
import re
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.certificates import operations as certs
from academy.certificates.models import Certificate, CertificateKind
from academy.certificates.pdf import FONT_CANDIDATES
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.core.i18n import local_today

needs_font = pytest.mark.skipif(not any(Path(p).exists() for p in FONT_CANDIDATES),
                                reason="fonts-wqy-zenhei is not installed (make installs it where it can)")


def finished_course(make, programme="ZHUJI", workers=1, title="社会工作伦理与实务", sessions=2, **overrides):
    instructor = make.create_instructor()
    course = make.create_course(programme, title=title, sessions=sessions, instructors=[instructor],
                                starts_on=local_today() - timedelta(days=20), **overrides)
    enrolments = [ops.enrol(course, make.create_worker(name=f"张小{i}"), by_staff=True) for i in range(workers)]
    for session in course.sessions:
        att.save_marks(session, {e.id: Mark.PRESENT for e in enrolments}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    return course, instructor, enrolments


def test_finalising_issues_one_certificate_and_finalising_again_issues_none(make):
    course, instructor, (enrolment,) = finished_course(make)
    cert = db.session.scalar(select(Certificate))
    assert cert.kind == CertificateKind.COURSE and cert.hours == course.credit_hours
    assert re.fullmatch(rf"DCSW-{cert.issued_at.year}-ZHUJI-\d{{6}}", cert.serial)
    assert len(cert.verification_code) == 16 and cert.verification_code != cert.serial
    att.finalise(course, actor=instructor)
    assert certs.issue_for_completion(enrolment, actor=instructor) == [cert]
    assert len(db.session.scalars(select(Certificate)).all()) == 1


def test_programme_certificate_when_its_requirement_is_met(make):
    programme = make.programme("LINGYAN")
    programme.certificate_courses = 2
    db.session.commit()
    worker = make.create_worker()
    for index in range(2):
        instructor = make.create_instructor()
        course = make.create_course("LINGYAN", sessions=1, starts_on=local_today() - timedelta(days=10 + index))
        enrolment = ops.enrol(course, worker, by_staff=True)
        att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
        att.finalise(course, actor=instructor)
        kinds = sorted(c.kind for c in db.session.scalars(select(Certificate).where(Certificate.worker_id == worker.id)))
        assert kinds == ([CertificateKind.COURSE] if index == 0 else [CertificateKind.COURSE] * 2 + [CertificateKind.PROGRAMME])
    programme_cert = db.session.scalar(select(Certificate).where(Certificate.kind == CertificateKind.PROGRAMME))
    assert programme_cert.title == "骨干锻造“领雁计划”" and programme_cert.hours == Decimal("6")


@needs_font
def test_pdf_has_the_chinese_name_course_and_a_qr_of_the_verification_url(client, make, login, monkeypatch):
    _, _, (enrolment,) = finished_course(make, title="社区矛盾调解实务")
    cert = db.session.scalar(select(Certificate))
    seen = []
    import academy.certificates.pdf as pdf

    original = pdf.qr_widget
    monkeypatch.setattr(pdf, "qr_widget", lambda url: seen.append(url) or original(url))
    login(enrolment.worker)
    response = client.get(f"/certificates/{cert.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("张小0", "社区矛盾调解实务", "东城区社会工作学院", cert.serial, "结"):
        assert expected in text, expected
    assert seen == [f"http://localhost/verify/{cert.verification_code}"]
    assert f"/verify/{cert.verification_code}" in text


def test_verification_states(client, make):
    finished_course(make, title="核验测试课程")
    cert = db.session.scalar(select(Certificate))
    valid = client.get(f"/verify/{cert.verification_code}")
    page = valid.get_data(as_text=True)
    assert valid.status_code == 200 and "有效" in page and "核验测试课程" in page
    assert "张*0" in page and "张小0" not in page
    spaced = client.get("/verify", query_string={"code": " " + "-".join(re.findall(".{4}", cert.verification_code.lower()))})
    assert spaced.headers["Location"] == f"/verify/{cert.verification_code}"
    unknown = client.get("/verify/AAAABBBBCCCCDDDD")
    assert unknown.status_code == 404 and "没有此验证码对应的证书" in unknown.get_data(as_text=True)


def test_revocation_is_audited_verifies_as_revoked_and_blocks_the_download(client, make, login):
    _, _, (enrolment,) = finished_course(make)
    cert = db.session.scalar(select(Certificate))
    login(make.create_admin())
    empty = client.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": ""})
    assert "请填写原因" in empty.get_data(as_text=True)
    client.post(f"/admin/certificates/{cert.id}/revoke", data={"reason": "考勤记录有误"})
    db.session.refresh(cert)
    assert cert.is_revoked and cert.revoke_reason == "考勤记录有误"
    from academy.audit.models import AuditEvent

    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoke")) is not None
    assert "被撤销" in client.get(f"/verify/{cert.verification_code}").get_data(as_text=True)
    client.post("/logout")
    login(enrolment.worker)
    assert client.get(f"/certificates/{cert.id}.pdf").status_code == 410


@needs_font
def test_downloads_are_for_the_holder_and_the_courses_staff_only(client, make, login):
    course, instructor, (first, second) = finished_course(make, workers=2)
    first_cert, second_cert = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    login(first.worker)
    assert client.get(f"/certificates/{first_cert.id}.pdf").status_code == 200
    assert client.get(f"/certificates/{second_cert.id}.pdf").status_code == 404
    assert client.get(f"/teach/courses/{course.id}/certificates.zip").status_code == 403
    client.post("/logout")
    login(make.create_instructor())
    assert client.get(f"/teach/courses/{course.id}/certificates.zip").status_code == 403
    client.post("/logout")
    login(instructor)
    response = client.get(f"/teach/courses/{course.id}/certificates.zip")
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert sorted(names) == sorted(f"{c.serial}-{c.holder_name}.pdf" for c in (first_cert, second_cert))


def test_verification_is_rate_limited(client, make):
    for _ in range(30):
        client.get("/verify/AAAABBBBCCCCDDDD")
    assert client.get("/verify/AAAABBBBCCCCDDDD").status_code == 429


def test_the_learning_record_lists_the_certificates(client, make, login):
    _, _, (enrolment,) = finished_course(make, title="档案中的证书")
    login(enrolment.worker)
    page = client.get("/me").get_data(as_text=True)
    cert = db.session.scalar(select(Certificate))
    assert cert.serial in page and f"/certificates/{cert.id}.pdf" in page


def test_a_certificate_is_found_by_its_serial_number_too(client, make):
    finished_course(make, title="编号查询课程")
    cert = db.session.scalar(select(Certificate))
    found = client.get("/verify", query_string={"code": " " + cert.serial.lower() + " "})
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and "编号查询课程" in page and "有效" in page
    assert cert.verification_code not in page  # the serial does not give the code away
    missing = client.get("/verify", query_string={"code": "DCSW-2020-ZHUJI-999999"})
    assert missing.status_code == 404
