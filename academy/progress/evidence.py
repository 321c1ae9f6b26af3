"""Evidence uploads: PDF, JPG or PNG up to 10 MB, recognised by their content, never by their name."""
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


def store_evidence(owner, filename: str, data: bytes) -> EvidenceFile:
    """Check and keep an uploaded file; raises OperationError (and stores nothing) when it is refused."""
    if not data:
        raise OperationError(_l("The file is empty."), field="evidence")
    if len(data) > MAX_BYTES:
        raise OperationError(_l("The file is larger than 10 MB."), field="evidence")
    kind = sniff(data)
    if kind is None:
        raise OperationError(_l("Only PDF, JPG and PNG files are accepted (checked by their content)."),
                             field="evidence")
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
