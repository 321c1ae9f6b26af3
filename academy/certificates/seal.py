"""The electronic seal and the signature block on certificates and printed learning records.

CERT_SEAL_PATH names the seal image (a PNG with a transparent background; by default the academy's,
shipped beside this module); an empty value prints no seal. CERT_SIGNATORY and CERT_ISSUING_UNIT are
the signature block's words. A seal file that is configured but missing stops the application at start
(check_seal) with a message saying what to do; one that disappears later is left off the documents
with a warning in the log, so a certificate is never refused for it."""
import base64
import logging
from pathlib import Path

from flask import current_app

DEFAULT_SEAL = Path(__file__).with_name("seal.png")
log = logging.getLogger(__name__)


class SealMissing(RuntimeError):
    pass


def check_seal(config) -> None:
    """At start: a configured seal file must exist and be a PNG."""
    path = config.get("CERT_SEAL_PATH")
    if not path:
        return
    if not Path(path).is_file():
        raise SealMissing(
            f"CERT_SEAL_PATH names {path}, which does not exist. Point it at the seal image (a PNG), "
            "or set it empty to print certificates without a seal.")
    with open(path, "rb") as image:
        if image.read(8) != b"\x89PNG\r\n\x1a\n":
            raise SealMissing(f"CERT_SEAL_PATH names {path}, which is not a PNG image.")


def seal_path() -> Path | None:
    """The seal image to print, or None (none configured, or the file has gone: logged)."""
    configured = current_app.config.get("CERT_SEAL_PATH")
    if not configured:
        return None
    path = Path(configured)
    if not path.is_file():
        log.warning("The seal image %s is missing: documents are printed without the seal.", path)
        return None
    return path


def seal_data_uri() -> str | None:
    """The seal as a data: address for HTML pages (the strict CSP allows data: images)."""
    path = seal_path()
    return f"data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}" if path else None


def signature_lines(issued_on) -> list[str]:
    """The signature block's words, in Chinese as the documents are: the signatory (if configured), the
    issuing unit, the date."""
    signatory = current_app.config.get("CERT_SIGNATORY")
    unit = current_app.config.get("CERT_ISSUING_UNIT") or "东城区社会工作学院"
    return ([f"签发人：{signatory}"] if signatory else []) + [unit, f"{issued_on:%Y年%m月%d日}"]
