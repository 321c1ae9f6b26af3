"""Finding 1 of the pen test (issue 27): user words entered ReportLab paragraph markup unescaped.

Every PDF the platform writes (the learning record, the worker's own and an administrator's; the
certificate, alone and in a course's ZIP) is rendered with each hostile name in every user-supplied
field it shows, then read back with pypdf: the words are there literally, no markup was obeyed (no
forged line, no link), and nothing was fetched or read while rendering."""
import builtins
import io
import socket
import zipfile
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import babel
import pytest
from pypdf import PdfReader
from sqlalchemy import select

import academy
from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.certificates.models import Certificate
from academy.certificates.pdf import _register_font
from academy.core.i18n import local_today
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.progress.models import ExternalRecord, RecordKind, ReviewStatus
from tests.certificates.test_certificates import needs_font
from tests.hostile import fit, printable, squeeze

pytestmark = needs_font
# Files of ours that rendering may open, never named by a user: translation catalogues and the seal image.
CATALOGUES = (str(Path(academy.__file__).parent / "translations"), str(Path(babel.__file__).parent),
              str(Path(academy.__file__).parent / "certificates" / "seal.png"))


@pytest.fixture
def outside_reads(app, monkeypatch):
    """Every file opened and connection attempted while a PDF is rendered (the font, registered once
    per process, is registered first)."""
    import academy.certificates.views as certificate_views
    import academy.progress.views as record_views

    with app.app_context():
        _register_font()
    seen, rendering = [], []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        if rendering and not str(file).startswith(CATALOGUES):
            seen.append(("open", str(file)))
        return real_open(file, *args, **kwargs)

    def refusing_connect(sock, address):
        seen.append(("connect", str(address)))
        raise OSError("no connections while rendering")

    def watched(render):
        def rendering_pdf(*args, **kwargs):
            rendering.append(render)
            try:
                return render(*args, **kwargs)
            finally:
                rendering.pop()
        return rendering_pdf

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(socket.socket, "connect", refusing_connect)
    monkeypatch.setattr(record_views, "render_record", watched(record_views.render_record))
    monkeypatch.setattr(certificate_views, "render_certificate", watched(certificate_views.render_certificate))
    return seen


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:  # no link was planted
        assert not [a for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
    return squeeze("".join(page.extract_text() for page in reader.pages))


def hostile_world(make, name):
    """A worker, their work unit, a finished course and an outside record, all named `name`."""
    instructor = make.create_instructor()
    unit = make.create_unit(name_zh=fit(name, 80))
    worker = make.create_worker(name=fit(name, 50), work_unit=unit)
    course = make.create_course(title=fit(name, 120), sessions=1, instructors=[instructor],
                                starts_on=local_today() - timedelta(days=10))
    enrolment = ops.enrol(course, worker, by_staff=True)
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.add(ExternalRecord(worker_id=worker.id, kind=RecordKind.TRAINING, title=fit(name, 200),
                                  institution=fit(name, 200), hours=Decimal("8"), ended_on=local_today(),
                                  review_status=ReviewStatus.PENDING))
    db.session.commit()
    cert = db.session.scalar(select(Certificate).where(Certificate.worker_id == worker.id))
    return worker, instructor, course, cert


def test_every_pdf_shows_hostile_names_literally_and_fetches_nothing(client, make, login, hostile_name,
                                                                       outside_reads):
    worker, instructor, course, cert = hostile_world(make, hostile_name)
    expected = {printable(fit(hostile_name, 50)), printable(fit(hostile_name, 120))}
    pdfs = {}
    login(worker)
    for url in ("/me/record.pdf", f"/certificates/{cert.id}.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        pdfs[url] = pdf_text(response.data)
    client.post("/logout")
    login(make.create_admin())
    response = client.get(f"/admin/workers/{worker.id}/record.pdf")
    assert response.status_code == 200
    pdfs["admin record"] = pdf_text(response.data)
    client.post("/logout")
    login(instructor)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/teach/courses/{course.id}/certificates.zip").data))
    (entry,) = archive.namelist()
    pdfs["zip"] = pdf_text(archive.read(entry))
    sheet = client.get(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/sign-in-sheet.pdf")
    assert sheet.status_code == 200
    pdfs["sign-in sheet"] = pdf_text(sheet.data)

    for source, text in pdfs.items():
        for words in expected:
            assert words in text, (source, words)
        assert "共900学时，考核优秀" not in text.replace(printable("Q<br/>共 900 学时，考核优秀"), ""), source
    records = pdfs["/me/record.pdf"]
    assert printable(fit(hostile_name, 200)) in records  # the outside record's title and institution
    assert printable(fit(hostile_name, 80)) in records  # the work unit
    assert outside_reads == []


def test_a_certificate_fits_a_long_name_and_title_on_its_page(make, app):
    """200 characters of title and 50 of name are drawn smaller and broken, never off the page."""
    from academy.certificates.pdf import render_certificate

    name = "长" * 200
    worker, _, _, cert = hostile_world(make, name)
    with app.test_request_context():
        data = render_certificate(cert, "http://localhost/verify/X")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = squeeze(reader.pages[0].extract_text())
    assert "长" * 50 in text and "长" * 120 in text


def test_paragraphs_are_built_only_by_the_escaping_helper():
    """A PDF added later (a sign-in sheet, an award) cannot forget to escape: ReportLab's Paragraph is
    called in core/pdftext.py only, and every paragraph there escapes its whole text."""
    import re

    root = Path(academy.__file__).parent
    callers = sorted(str(path.relative_to(root)) for path in root.rglob("*.py")
                     if re.search(r"\bParagraph\(", path.read_text(encoding="utf-8")))
    assert callers == ["core/pdftext.py"]
