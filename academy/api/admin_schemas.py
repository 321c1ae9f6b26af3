"""What the API gives administrators and the district's systems: the progress report, the workers behind
its figures (masked), qualification records (masked) and submitted claims (no bank details)."""
from marshmallow import Schema, fields, validate

from academy.api.fields import Coded, Hours, LocalDateTime
from academy.api.schemas import LIMIT
from academy.auth.enums import Qualification
from academy.claims.models import ClaimState
from academy.programmes.models import Tier
from academy.qualifications.models import RecordStatus
from academy.reports.queries import DIMENSIONS, MEASURE_STATUSES

ID = validate.Range(1, 2**31 - 1)
NULLABLE_STRING = {"type": ["string", "null"]}
PERCENT = {"type": ["string", "null"], "pattern": r"^\d+(\.\d)?$",
           "description": "A percentage with one decimal (null when nothing was decided yet)."}
CURSOR = fields.String(validate=validate.Length(max=100), metadata={"description": "`next_cursor` of the previous page."})


class ReportFiltersSchema(Schema):
    """The progress report's filters, as on its page; a subdistrict-scoped caller's own subdistrict wins."""

    year = fields.Integer(validate=validate.Range(2000, 2100), metadata={"description": "The courses' year."})
    programme = fields.String(validate=validate.Length(max=16), metadata={"description": "A programme's slug."})
    tier = fields.String(validate=validate.OneOf([tier.value for tier in Tier]))
    subdistrict = fields.Integer(validate=ID, metadata={"description": "A subdistrict's id."})


class ProgressQuerySchema(ReportFiltersSchema):
    group = fields.String(load_default="programme", validate=validate.OneOf(list(DIMENSIONS)))
    then = fields.String(validate=validate.OneOf(list(DIMENSIONS)), metadata={"description": "A second grouping."})


class CellSchema(Schema):
    dimension = fields.String(required=True, validate=validate.OneOf(list(DIMENSIONS)))
    code = fields.String(required=True, metadata={"description": "Pass as `cell_<dimension>` to list its workers."})
    label = fields.String(required=True)


class FiguresSchema(Schema):
    enrolled = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    not_completed = fields.Integer(required=True)
    withdrawn = fields.Integer(required=True)
    workers = fields.Integer(required=True, metadata={"description": "Workers reached (holding a seat)."})
    hours = Hours(required=True)
    completion_rate = fields.Decimal(as_string=True, allow_none=True, required=True, metadata=PERCENT)
    ce_rate = fields.Decimal(as_string=True, allow_none=True, required=True, metadata=PERCENT)


class ReportRowSchema(FiguresSchema):
    cells = fields.List(fields.Nested(CellSchema), required=True)


class ProgressSchema(Schema):
    dimensions = fields.List(fields.String(), required=True)
    rows = fields.List(fields.Nested(ReportRowSchema), required=True)
    total = fields.Nested(FiguresSchema, required=True)


class WorkersQuerySchema(ReportFiltersSchema):
    """The workers behind the report (or one of its cells, or one figure of a cell)."""

    cell_programme = fields.String(validate=validate.Length(max=16))
    cell_tier = fields.String(validate=validate.OneOf([tier.value for tier in Tier]))
    cell_subdistrict = fields.Integer(validate=ID)
    cell_qualification = fields.String(validate=validate.OneOf([level.value for level in Qualification]))
    cell_year = fields.Integer(validate=validate.Range(2000, 2100))
    measure = fields.String(validate=validate.OneOf(list(MEASURE_STATUSES)),
                            metadata={"description": "Only the enrolments this figure counts."})
    cursor = CURSOR
    limit = LIMIT


class SubdistrictSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class WorkerRowSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    phone = fields.String(required=True, metadata={"description": "Masked: 138****0001."})
    resident_id = fields.String(required=True, metadata={"description": "Masked; empty when not given."})
    subdistrict = fields.Nested(SubdistrictSchema, allow_none=True, required=True)
    qualification = Coded(Qualification, allow_none=True, required=True)
    enrolled = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    withdrawn = fields.Integer(required=True)
    hours = Hours(required=True)


class WorkersPageSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "Workers in the whole list."})
    items = fields.List(fields.Nested(WorkerRowSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata=NULLABLE_STRING)


class RegistryQuerySchema(Schema):
    level = fields.String(validate=validate.OneOf([level.value for level in Qualification if level.rank > 0]))
    status = fields.String(validate=validate.OneOf([status.value for status in RecordStatus]))
    year = fields.Integer(validate=validate.Range(2000, 2100), metadata={"description": "The exam or review year."})
    subdistrict = fields.Integer(validate=ID)
    cursor = CURSOR
    limit = LIMIT


class QualificationRecordSchema(Schema):
    id = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    name = fields.String(required=True)
    resident_id = fields.String(required=True, metadata={"description": "Masked; empty when not given."})
    subdistrict = fields.Nested(SubdistrictSchema, allow_none=True, required=True)
    level = Coded(Qualification, required=True)
    certificate_no = fields.String(required=True)
    exam_year = fields.Integer(required=True)
    issued_on = fields.Date(allow_none=True, required=True)
    issuing_authority = fields.String(required=True)
    status = Coded(RecordStatus, required=True)


class RegistryPageSchema(Schema):
    items = fields.List(fields.Nested(QualificationRecordSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata=NULLABLE_STRING)


SUBMITTED_STATES = [state.value for state in ClaimState if state != ClaimState.DRAFT]


class ClaimsQuerySchema(Schema):
    scheme = fields.Integer(validate=ID, metadata={"description": "A scheme's id."})
    exam_year = fields.Integer(validate=validate.Range(2000, 2100), metadata={"description": "The scheme's exam year."})
    state = fields.String(validate=validate.OneOf(SUBMITTED_STATES))
    subdistrict = fields.Integer(validate=ID)
    cursor = CURSOR
    limit = LIMIT


class ClaimSchema(Schema):
    id = fields.Integer(required=True)
    scheme_id = fields.Integer(required=True)
    exam_year = fields.Integer(required=True)
    worker_id = fields.Integer(required=True)
    name = fields.String(required=True)
    subdistrict = fields.Nested(SubdistrictSchema, allow_none=True, required=True)
    level = Coded(Qualification, required=True)
    certificate_no = fields.String(required=True)
    state = Coded(ClaimState, required=True)
    amount = fields.Decimal(as_string=True, allow_none=True, required=True,
                            metadata={"type": ["string", "null"], "description": "Yuan, two decimals."})
    submitted_at = LocalDateTime(allow_none=True, required=True)


class ClaimsPageSchema(Schema):
    items = fields.List(fields.Nested(ClaimSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True, metadata=NULLABLE_STRING)
