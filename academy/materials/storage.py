"""Material files: PDF, JPEG and PNG recognised as evidence is (progress/evidence.sniff), and the Office
formats (DOCX, PPTX, XLSX) by their ZIP structure; kept under generated names outside static/."""
import io
import uuid
import zipfile
from pathlib import Path

from flask import current_app

from academy.progress.evidence import MARKUP, SNIFFED_BYTES, sniff

MAX_BYTES = 50 * 1024 * 1024
OFFICE = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
)


def sniff_material(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of an accepted file judged by its content; None for anything else
    (macro-enabled Office files included)."""
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    return sniff(data)


def _office(data: bytes) -> tuple[str, str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(name.lower().endswith("vbaproject.bin") for name in names):
        return None
    if MARKUP.search(data[:SNIFFED_BYTES]):
        return None
    for prefix, content_type, extension in OFFICE:
        if any(name.startswith(prefix) for name in names):
            return content_type, extension
    return None


def materials_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "materials"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_stored_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


def material_path(stored_name: str) -> Path:
    return materials_dir() / stored_name
