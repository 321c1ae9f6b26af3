"""The electronic seal and the signature block on certificates, award certificates and the printed
learning record (HTML and PDF); a configured seal file that is missing stops the start, saying so."""
import io
import logging

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from academy import create_app
from academy.certificates.models import Certificate
from academy.certificates.seal import DEFAULT_SEAL, SealMissing
from academy.config import TestConfig
from academy.extensions import db
from tests.certificates.test_certificates import finished_course, needs_font


def images_and_text(data: bytes) -> tuple[list, str]:
    pages = PdfReader(io.BytesIO(data)).pages
    return [image for page in pages for image in page.images], "".join(page.extract_text() for page in pages)


@pytest.fixture
def signed(app, monkeypatch):
    monkeypatch.setitem(app.config, "CERT_SIGNATORY", "李建国")
    monkeypatch.setitem(app.config, "CERT_ISSUING_UNIT", "东城区社会工作学院培训部")


def test_the_default_seal_is_shipped_in_the_package_as_a_png():
    assert DEFAULT_SEAL.is_file() and DEFAULT_SEAL.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert TestConfig.CERT_SEAL_PATH == str(DEFAULT_SEAL)


@needs_font
def test_a_certificate_carries_the_seal_and_the_signature_block(client, make, login, signed):
    _, _, (enrolment,) = finished_course(make)
    cert = db.session.scalar(select(Certificate))
    login(enrolment.worker)
    images, text = images_and_text(client.get(f"/certificates/{cert.id}.pdf").data)
    assert len(images) == 1 and images[0].image.size == (480, 480)  # the seal (the QR code is drawn, not an image)
    assert "签发人：李建国" in text and "东城区社会工作学院培训部" in text


@needs_font
def test_the_printed_learning_record_and_its_pdf_carry_the_seal_and_signature(client, make, login, signed):
    login(make.create_worker(name="档案人"))
    page = client.get("/me/print").get_data(as_text=True)
    assert 'class="signature-seal" src="data:image/png;base64,' in page
    assert "签发人：李建国" in page and "东城区社会工作学院培训部" in page
    assert '<a class="btn btn-outline-secondary btn-sm" href="/me">返回</a>' in page and "data-print>" in page
    assert "<script>" not in page  # the print button's script is a file (CSP)
    images, text = images_and_text(client.get("/me/record.pdf").data)
    assert len(images) == 1 and "签发人：李建国" in text and "东城区社会工作学院培训部" in text


@needs_font
def test_with_no_seal_configured_the_documents_have_the_signature_but_no_image(client, make, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "CERT_SEAL_PATH", "")
    login(make.create_worker())
    assert "signature-seal" not in client.get("/me/print").get_data(as_text=True)
    images, text = images_and_text(client.get("/me/record.pdf").data)
    assert images == [] and "东城区社会工作学院" in text


def test_a_configured_seal_file_that_is_missing_stops_the_start(tmp_path):
    missing = tmp_path / "seal.png"
    with pytest.raises(SealMissing, match="CERT_SEAL_PATH names .*seal.png, which does not exist"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "CERT_SEAL_PATH": str(missing)})
    missing.write_text("not an image")
    with pytest.raises(SealMissing, match="not a PNG"):
        create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", "CERT_SEAL_PATH": str(missing)})


@needs_font
def test_a_seal_file_gone_after_the_start_is_left_off_with_a_log_line(client, make, login, app, monkeypatch,
                                                                       tmp_path, caplog):
    monkeypatch.setitem(app.config, "CERT_SEAL_PATH", str(tmp_path / "gone.png"))
    login(make.create_worker())
    with caplog.at_level(logging.WARNING, logger="academy.certificates.seal"):
        response = client.get("/me/record.pdf")
    assert response.status_code == 200 and images_and_text(response.data)[0] == []
    assert "gone.png is missing: documents are printed without the seal" in caplog.text
