"""What the API gives out and takes in, one schema per resource; the OpenAPI description is built from
these, so a field documented is a field answered."""
from marshmallow import Schema, fields, validate

from academy.api.fields import Coded, Hours, LocalDateTime
from academy.certificates.models import CertificateKind
from academy.core.i18n import localized
from academy.courses.models import MONTH_PATTERN, CourseStatus, DeliveryMode
from academy.enrolment.models import EnrolmentStatus
from academy.programmes.models import Tier
from academy.progress.continuing import CeState

LIMIT = fields.Integer(load_default=20, validate=validate.Range(1, 100),
                       metadata={"description": "How many items a page holds (1-100)."})


class ProblemSchema(Schema):
    """RFC 9457 problem details: every error of the API has this body."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "The fields that were refused, each with its reasons."})
    error = fields.String(metadata={"description": "On the token endpoint: the OAuth 2.0 error code "
                                                   "(RFC 6749 §5.2), e.g. invalid_client."})


class ProgrammeSchema(Schema):
    code = fields.String(required=True, metadata={"example": "QINGYUN"})
    slug = fields.Function(lambda programme: programme.code.lower(), required=True, metadata={"type": "string"})
    name = fields.Function(lambda programme: localized(programme, "name"), required=True, metadata={"type": "string"})
    summary = fields.Function(lambda programme: localized(programme, "summary"), required=True,
                              metadata={"type": "string"})
    tier = Coded(Tier, required=True)


class SessionSchema(Schema):
    id = fields.Integer(required=True)
    topic = fields.String(required=True)
    starts_at = LocalDateTime(required=True)
    ends_at = LocalDateTime(required=True)
    venue = fields.String(allow_none=True, required=True, metadata={"type": ["string", "null"]})
    hours = Hours(required=True)


class CourseSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    programme = fields.Function(lambda course: course.programme.code, required=True,
                                metadata={"type": "string", "description": "The programme's code."})
    mode = Coded(DeliveryMode, required=True)
    status = Coded(CourseStatus, required=True)
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    hours = Hours(attribute="credit_hours", required=True)
    capacity = fields.Integer(required=True)
    seats_left = fields.Function(lambda course: max(course.capacity - course.seats_taken, 0), required=True,
                                 metadata={"type": "integer"})
    enrol_opens_at = LocalDateTime(allow_none=True, required=True)
    enrol_closes_at = LocalDateTime(allow_none=True, required=True)
    approval_required = fields.Boolean(required=True)


class CourseDetailSchema(CourseSchema):
    description = fields.String(required=True)
    venue = fields.String(allow_none=True, required=True, metadata={"type": ["string", "null"]})
    sessions = fields.List(fields.Nested(SessionSchema), required=True)


class CoursePageSchema(Schema):
    items = fields.List(fields.Nested(CourseSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata={
        "type": ["string", "null"], "description": "Pass as `cursor` for the next page; null on the last page."})


class CourseQuerySchema(Schema):
    q = fields.String(validate=validate.Length(max=60), metadata={"description": "Words in the title or summary."})
    programme = fields.String(validate=validate.Length(max=16), metadata={"description": "A programme's slug."})
    tier = fields.String(validate=validate.OneOf([tier.value for tier in Tier]))
    mode = fields.String(validate=validate.OneOf([mode.value for mode in DeliveryMode]))
    subdistrict = fields.Integer(validate=validate.Range(1, 2**31 - 1))
    month = fields.String(validate=validate.Regexp(f"^{MONTH_PATTERN}$"), metadata={"example": "2026-12"})
    available = fields.Boolean(load_default=False, metadata={"description": "Only courses one can enrol in now."})
    cursor = fields.String(validate=validate.Length(max=100))
    limit = LIMIT


class EnrolmentSchema(Schema):
    id = fields.Integer(required=True)
    course = fields.Nested(CourseSchema, required=True)
    status = Coded(EnrolmentStatus, required=True)
    attendance_rate = fields.Decimal(as_string=True, allow_none=True, required=True,
                                     metadata={"type": ["string", "null"]})
    credited_hours = Hours(allow_none=True, required=True)


class EnrolmentResultSchema(Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    status = Coded(EnrolmentStatus, required=True)


class WithdrawSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class CertificateSchema(Schema):
    serial = fields.String(allow_none=True, required=True, metadata={"type": ["string", "null"]})
    verification_code = fields.String(required=True)
    kind = Coded(CertificateKind, required=True)
    title = fields.String(required=True)
    hours = Hours(required=True)
    issued_at = LocalDateTime(required=True)
    revoked = fields.Function(lambda cert: cert.revoked_at is not None, required=True, metadata={"type": "boolean"})


class VerificationSchema(Schema):
    """What anyone may read of a certificate: its holder's name masked as on the verification page."""

    valid = fields.Boolean(required=True)
    serial = fields.String(allow_none=True, required=True, metadata={"type": ["string", "null"]})
    holder = fields.String(required=True)
    title = fields.String(required=True)
    programme = fields.String(required=True)
    hours = Hours(required=True)
    issued_at = LocalDateTime(required=True)


class StandingSchema(Schema):
    state = Coded(CeState, required=True)
    period_start = fields.Date(allow_none=True, required=True)
    period_end = fields.Date(allow_none=True, required=True)
    required_hours = Hours(attribute="required", required=True)
    done_hours = Hours(attribute="done", required=True)
    missing_hours = Hours(attribute="missing", required=True)


class YearHoursSchema(Schema):
    year = fields.Integer(required=True)
    hours = Hours(required=True)


class RecordSchema(Schema):
    """A worker's learning record (学习档案) as the page shows it."""

    course_hours = Hours(required=True)
    hours_by_year = fields.List(fields.Nested(YearHoursSchema), required=True)
    completed_courses = fields.List(fields.Nested(EnrolmentSchema), required=True)
    certificates = fields.List(fields.Nested(CertificateSchema), required=True)
    standing = fields.Nested(StandingSchema, required=True)
