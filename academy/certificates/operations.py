"""Issuing certificates when results are finalised, programme certificates when a programme's
requirement is met, and revocation."""
import re
import secrets
from decimal import Decimal

from flask import current_app, has_request_context, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

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


SERIAL = re.compile(r"^DCSW-\d{4}-[A-Z]+-\d{6}$")


def lookup_statement(text: str):
    """The certificate a person typed: its serial number (DCSW-2026-…) or its verification code."""
    serial = re.sub(r"\s+", "", text or "").upper()
    if SERIAL.match(serial):
        statement = select(Certificate).where(Certificate.serial == serial)
    else:
        statement = select(Certificate).where(Certificate.verification_code == normalise_code(text))
    return statement.options(joinedload(Certificate.programme))


def find_certificate(text: str) -> Certificate | None:
    return db.session.scalar(lookup_statement(text))


def verify_url(cert: Certificate) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    path = url_for("certificates.verify", code=cert.verification_code)
    if base:
        return base.rstrip("/") + path
    if has_request_context():
        return request.url_root.rstrip("/") + path
    return path


def _under(scope_key: str) -> list[Certificate]:
    """Every certificate issued for this scope, the first and those issued again after a revocation
    (`<scope>:2`, `<scope>:3`, ...)."""
    return db.session.scalars(select(Certificate).where(or_(
        Certificate.scope_key == scope_key, Certificate.scope_key.like(f"{scope_key}:%"))).order_by(Certificate.id)).all()


def live_certificate(scope_key: str) -> Certificate | None:
    return next((cert for cert in _under(scope_key) if not cert.is_revoked), None)


def _issue(*, kind, scope_key, worker, programme, course, title, hours, period_from, period_to, actor) -> Certificate:
    issued = _under(scope_key)
    live = next((cert for cert in issued if not cert.is_revoked), None)
    if live is not None:
        return live  # finalising again issues nothing new
    if issued:  # the earlier ones were revoked (a result decided again): a new one beside them
        scope_key = f"{scope_key}:{len(issued) + 1}"
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


def _programme_rule_met(worker_id: int, programme) -> bool:
    count, hours, _first, _last = _programme_completions(worker_id, programme)
    return (programme.certificate_courses is not None and count >= programme.certificate_courses) or (
        programme.certificate_hours is not None and Decimal(hours) >= programme.certificate_hours)


def _programme_completions(worker_id: int, programme) -> tuple:
    return db.session.execute(
        select(func.count(Enrolment.id), func.coalesce(func.sum(Enrolment.credited_hours), 0),
               func.min(Course.starts_on), func.max(Course.ends_on))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.worker_id == worker_id, Enrolment.status == EnrolmentStatus.COMPLETED,
               Course.programme_id == programme.id)
    ).one()


def _programme_certificate(worker, programme, *, actor) -> Certificate | None:
    if programme.certificate_courses is None and programme.certificate_hours is None:
        return None
    if not _programme_rule_met(worker.id, programme):
        return None
    _count, hours, first, last = _programme_completions(worker.id, programme)
    return _issue(kind=CertificateKind.PROGRAMME, scope_key=f"programme:{worker.id}:{programme.id}", worker=worker,
                  programme=programme, course=None, title=programme.full_name_zh, hours=Decimal(hours),
                  period_from=first, period_to=last, actor=actor)


def revoke_for_result(enrolment: Enrolment, *, actor, reason: str) -> list[Certificate]:
    """A completion no longer stands: its course certificate is revoked, and the programme certificate
    too when the worker's completions no longer meet its rule."""
    revoked = []
    course_cert = live_certificate(f"course:{enrolment.id}")
    if course_cert is not None:
        revoke(course_cert, actor=actor, reason=reason)
        revoked.append(course_cert)
    programme = enrolment.course.programme
    programme_cert = live_certificate(f"programme:{enrolment.worker_id}:{programme.id}")
    if programme_cert is not None and not _programme_rule_met(enrolment.worker_id, programme):
        revoke(programme_cert, actor=actor, reason=reason)
        revoked.append(programme_cert)
    return revoked


def revoke(cert: Certificate, *, actor, reason: str) -> None:
    if cert.is_revoked:
        raise OperationError(_l("This certificate is already revoked."))
    if not (reason or "").strip():
        raise OperationError(_l("Give the reason for revoking."), field="reason")
    cert.revoked_at, cert.revoked_by_id, cert.revoke_reason = now_utc(), getattr(actor, "id", None), reason.strip()
    record("certificate.revoke", cert, actor=actor, serial=cert.serial, reason=cert.revoke_reason)
    db.session.flush()
