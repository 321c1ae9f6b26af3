"""Uploaded files (evidence, signed documents): recognised by their content, never by their name,
stored under generated names outside static/."""
import hashlib
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from academy.core.errors import OperationError
from academy.extensions import db
from academy.progress.models import EvidenceFile

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def sniff(data: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    return None


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
    evidence = EvidenceFile(owner_id=owner.id, stored_name=stored_name, original_name=(filename or "")[:255],
                            content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    db.session.add(evidence)
    db.session.flush()
    (evidence_dir() / stored_name).write_bytes(data)
    return evidence


def evidence_path(evidence: EvidenceFile) -> Path:
    return evidence_dir() / evidence.stored_name
