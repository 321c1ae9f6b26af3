"""Certificate verification, as /verify answers anyone who holds a certificate's code or serial."""
from flask_smorest import Blueprint

from academy.api.access import errors

from academy.api.schemas import VerificationSchema
from academy.certificates.operations import find_certificate
from academy.core.errors import problem
from academy.core.i18n import localized
from academy.core.masking import mask_name

bp = Blueprint("api_certificates", __name__, url_prefix="/api/v1/certificates",
               description="Verifying a certificate (public).")


@bp.route("/verify/<string(maxlength=40):code>")
@bp.response(200, VerificationSchema)
@errors(bp, 404)
def verify(code):
    """A certificate by its verification code or its serial number (DCSW-2026-…); the holder's name
    masked as on the verification page."""
    cert = find_certificate(code)
    if cert is None:
        return problem(404)
    return {"valid": cert.revoked_at is None, "serial": cert.serial, "holder": mask_name(cert.holder_name),
            "title": cert.title, "programme": localized(cert.programme, "name"), "hours": cert.hours,
            "issued_at": cert.issued_at}
