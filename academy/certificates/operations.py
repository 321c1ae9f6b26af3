"""Issuing certificates when results are finalised, programme certificates when a programme's
requirement is met, and revocation."""
import secrets
from decimal import Decimal

from flask import current_app, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from academy.audit.operations import record
from academy.certificates.models import Certificate, CertificateKind
from academy.core.errors import OperationError
from academy.core.models import now_utc
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are typed from paper


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))  # 80 bits


def normalise_code(text: str | None) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]


def verify_url(cert: Certificate) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("certificates.verify", code=cert.verification_code)
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return request.url_root.rstrip("/") + path
    return path


def _issue(*, kind, scope_key, worker, programme, course, title, hours, period_from, period_to, actor) -> Certificate:
    existing = db.session.scalar(select(Certificate).where(Certificate.scope_key == scope_key))
    if existing is not None:
        return existing  # finalising again issues nothing new
    cert = Certificate(kind=kind, scope_key=scope_key, verification_code=new_code(), worker_id=worker.id,
                       programme=programme, course=course, holder_name=worker.name, title=title, hours=hours,
                       period_from=period_from, period_to=period_to, issued_at=now_utc())
    db.session.add(cert)
    db.session.flush()
    # The id makes the serial unique without a counter that concurrent issues could race on.
    cert.serial = f"DCSW-{cert.issued_at.year}-{programme.code}-{cert.id:06d}"
    record("certificate.issue", cert, actor=actor, serial=cert.serial)
    db.session.flush()
    return cert


def issue_for_completion(enrolment: Enrolment, *, actor) -> list[Certificate]:
    """The course certificate, and the programme certificate when this completion meets its rule."""
    if enrolment.status != EnrolmentStatus.COMPLETED:
        return []
    course = enrolment.course
    issued = [_issue(
        kind=CertificateKind.COURSE, scope_key=f"course:{enrolment.id}", worker=enrolment.worker,
        programme=course.programme, course=course, title=course.title, hours=enrolment.credited_hours or Decimal(0),
        period_from=course.starts_on, period_to=course.ends_on, actor=actor,
    )]
    programme_cert = _programme_certificate(enrolment.worker, course.programme, actor=actor)
    if programme_cert is not None:
        issued.append(programme_cert)
    return issued


def _programme_certificate(worker, programme, *, actor) -> Certificate | None:
    if programme.certificate_courses is None and programme.certificate_hours is None:
        return None
    count, hours, first, last = db.session.execute(
        select(func.count(Enrolment.id), func.coalesce(func.sum(Enrolment.credited_hours), 0),
               func.min(Course.starts_on), func.max(Course.ends_on))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.worker_id == worker.id, Enrolment.status == EnrolmentStatus.COMPLETED,
               Course.programme_id == programme.id)
    ).one()
    met = (programme.certificate_courses is not None and count >= programme.certificate_courses) or (
        programme.certificate_hours is not None and Decimal(hours) >= programme.certificate_hours)
    if not met:
        return None
    return _issue(kind=CertificateKind.PROGRAMME, scope_key=f"programme:{worker.id}:{programme.id}", worker=worker,
                  programme=programme, course=None, title=programme.full_name_zh, hours=Decimal(hours),
                  period_from=first, period_to=last, actor=actor)


def revoke(cert: Certificate, *, actor, reason: str) -> None:
    if cert.is_revoked:
        raise OperationError(_l("This certificate is already revoked."))
    if not (reason or "").strip():
        raise OperationError(_l("Give the reason for revoking."), field="reason")
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = now_utc(), actor.id, reason.strip()
    record("certificate.revoke", cert, actor=actor, serial=cert.serial, reason=cert.revoke_reason)
    db.session.flush()
