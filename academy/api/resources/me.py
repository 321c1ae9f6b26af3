"""A worker's own learning: enrolments, learning record with CE standing, certificates; enrolling and
withdrawing through the same operations as the pages (the same seats, rules and messages)."""
from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from academy.api.access import carry_out, errors, requires
from academy.api.kept import kept_personal
from academy.api.idempotency import KEY_PATTERN, idempotent
from academy.api.models import ApiScope
from academy.api.schemas import CertificateSchema, EnrolmentResultSchema, EnrolmentSchema, RecordSchema, WithdrawSchema
from academy.audit.operations import record
from academy.certificates.models import Certificate
from academy.core.errors import problem
from academy.core.i18n import local_today
from academy.enrolment import facts, operations, rules
from academy.enrolment.queries import my_enrolments
from academy.extensions import db
from academy.progress.queries import learning_record

bp = Blueprint("api_me", __name__, url_prefix="/api/v1/me",
               description="The token holder's own learning (a worker's personal token).")
SECURED = [{"bearer": []}]
NO_COURSE = _l("No published course has this id.")


class EnrolRequestSchema(Schema):
    course_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))


@bp.route("/enrolments")
@kept_personal
@requires(ApiScope.LEARNING_READ)
@bp.response(200, EnrolmentSchema(many=True))
@bp.doc(security=SECURED)
@errors(bp, 401, 403)
def enrolment_list():
    """Every enrolment of mine, newest first, as my learning lists them."""
    return my_enrolments(current_user.id)


@bp.route("/enrolments", methods=["POST"])
@requires(ApiScope.ENROL)
@idempotent
@bp.arguments(EnrolRequestSchema)
@bp.response(201, EnrolmentResultSchema)
@bp.doc(security=SECURED, parameters=[{
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "pattern": f"^{KEY_PATTERN}$"},
    "description": "Send the same key with a retry: it is answered with the first answer, never enrolled twice."}])
@errors(bp, 401, 403, 404, 409, 422)
def enrol(payload):
    """Enrol me in a course: a seat, a request awaiting approval or a waitlist place, by the course's rules."""
    course = facts.course_facts(payload["course_id"])
    if course is None:
        return problem(404, NO_COURSE)
    worker = current_user._get_current_object()

    def place():
        placed = operations.place(course, worker)
        record("api_token.use", g.api_token, actor=worker, use="enrol", course_id=course.id)
        return placed

    placed, refused = carry_out(place)
    if refused is not None:
        return refused
    enrolment_id, status = placed
    return {"id": enrolment_id, "course_id": course.id, "status": status}


@bp.route("/enrolments/<int:enrolment_id>/withdrawal", methods=["POST"])
@requires(ApiScope.ENROL)
@idempotent
@bp.arguments(WithdrawSchema)
@bp.response(200, EnrolmentResultSchema)
@bp.doc(security=SECURED)
@errors(bp, 401, 403, 404, 409, 422)
def withdraw(payload, enrolment_id):
    """Withdraw from a course of mine (before it starts, as on the page)."""
    mine = facts.own_enrolment(enrolment_id, current_user.id)
    if mine is None:
        return problem(404)
    worker = current_user._get_current_object()
    starts = {mine.course_id: rules.course_start(mine.course, mine.first_session)}

    def withdraw_mine():
        operations.withdraw(mine, actor=worker, reason=payload.get("reason"), starts=starts)
        record("api_token.use", g.api_token, actor=worker, use="withdraw", course_id=mine.course_id)

    _done, refused = carry_out(withdraw_mine)
    if refused is not None:
        return refused
    return {"id": mine.id, "course_id": mine.course_id, "status": "withdrawn"}


@bp.route("/record")
@kept_personal
@requires(ApiScope.LEARNING_READ)
@bp.response(200, RecordSchema)
@bp.doc(security=SECURED)
@errors(bp, 401, 403)
def learning_record_of_mine():
    """My learning record (学习档案): hours by year, completed courses, certificates and CE standing."""
    found = learning_record(current_user, local_today())
    return {"course_hours": found.course_hours,
            "hours_by_year": [{"year": year, "hours": hours} for year, hours in found.hours_by_year],
            "completed_courses": [enrolment for done in found.completions.values() for enrolment in done],
            "certificates": found.certificates, "standing": found.ce}


@bp.route("/certificates")
@kept_personal
@requires(ApiScope.LEARNING_READ)
@bp.response(200, CertificateSchema(many=True))
@bp.doc(security=SECURED)
@errors(bp, 401, 403)
def certificate_list():
    """My certificates, newest first (revoked ones say so)."""
    return db.session.scalars(select(Certificate).where(Certificate.worker_id == current_user.id)
                              .order_by(Certificate.issued_at.desc(), Certificate.id.desc())).all()
