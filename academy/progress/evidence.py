"""Uploaded files (evidence, signed documents): recognised by their content (its structure, not only
its first bytes), never by their name, stored under generated names outside static/; the name the
uploader gave is kept only cleaned of paths, control and bidirectional characters."""
import hashlib
import io
import re
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image

from academy.core.errors import OperationError
from academy.core.filenames import clean_filename
from academy.extensions import db
from academy.progress.models import EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


# What a browser or a viewer reading past the first bytes would take for a web page (the pen test's
# "PDF header followed by HTML"): no real PDF, JPEG or PNG carries these in its first kilobytes.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|meta)", re.IGNORECASE)
SNIFFED_BYTES = 4096


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG judged by its whole structure, not only its first
    bytes; None for anything else."""
    for signature, content_type, extension in SIGNATURES:
        if data.startswith(signature):
            return (content_type, extension) if _well_formed(data, extension) else None
    return None


def _well_formed(data: bytes, extension: str) -> bool:
    if MARKUP.search(data[:SNIFFED_BYTES]):
        return False
    if extension == "pdf":  # a PDF ends with its end-of-file marker (after its cross-reference data)
        return b"%%EOF" in data[-1024:]
    try:  # the image is parsed: its header, and for PNG every chunk's checksum
        with Image.open(io.BytesIO(data)) as image:
            expected = {"jpg": "JPEG", "png": "PNG"}[extension]
            if image.format != expected:
                return False
            image.verify()
    except Exception:  # noqa: BLE001 - whatever Pillow cannot read is not an image we keep
        return False
    return True


def evidence_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_evidence(owner, filename: str, data: bytes, *, pdf_only: bool = False, max_bytes: int = MAX_BYTES,
                   field: str = "evidence") -> EvidenceFile:
    """Check and keep an uploaded file; raises OperationError (and stores nothing) when it is refused."""
    if not data:
        raise OperationError(_l("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise OperationError(_l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)), field=field)
    kind = sniff(data)
    if pdf_only and (kind is None or kind[0] != "application/pdf"):
        raise OperationError(_l("Only PDF files are accepted (checked by their content)."), field=field)
    if kind is None:
        raise OperationError(_l("Only PDF, JPG and PNG files are accepted (checked by their content)."), field=field)
    content_type, extension = kind
    stored_name = f"{uuid.uuid4().hex}.{extension}"
    evidence = EvidenceFile(owner_id=owner.id, stored_name=stored_name,
                            original_name=clean_filename(filename, default=f"evidence.{extension}"),
                            content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    db.session.add(evidence)
    db.session.flush()
    (evidence_dir() / stored_name).write_bytes(data)
    return evidence


def evidence_path(evidence: EvidenceFile) -> Path:
    return evidence_dir() / evidence.stored_name
