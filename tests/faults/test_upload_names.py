"""An uploaded file whose name is a path, or a PDF carrying JavaScript, is stored under a generated name
inside the upload folder and only ever served as a download (Content-Disposition: attachment), never
rendered inline. (How the original name is cleaned for the download is the upload checks' own matter.)"""
import re
from pathlib import Path

from sqlalchemy import select

from academy.extensions import db
from academy.progress.models import ExternalRecord
from tests.progress.test_views import post_record, training

HOSTILE_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF\n"


def test_a_path_as_file_name_is_stored_under_a_generated_name_and_served_as_an_attachment(client, make, login, app):
    uploads = Path(app.config["UPLOAD_DIR"])
    login(make.create_worker())
    response = post_record(client, "training", training(), ("../../x.pdf", HOSTILE_PDF))
    assert response.status_code == 302
    evidence = db.session.scalar(select(ExternalRecord)).evidence
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", evidence.stored_name)
    assert (uploads / "evidence" / evidence.stored_name).read_bytes() == HOSTILE_PDF
    assert not (uploads.parent / "x.pdf").exists() and not (uploads / "x.pdf").exists()
    download = client.get(f"/evidence/{evidence.id}")
    assert download.status_code == 200 and download.data == HOSTILE_PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
