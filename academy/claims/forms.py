"""Forms of the claims: the scheme, the worker's claim and uploads, the review with its checklist,
bulk forwarding, the public objection, the objection's resolution and the payment batch."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, StringField,
    SubmitField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from academy.claims.models import Material
from academy.claims.rules import CHECKLIST_LABELS
from academy.auth.enums import Qualification
from academy.core.forms import CheckboxList, EnumSelectField, strip_text
from academy.qualifications.models import LEVELS

MATERIAL_CHOICES = [SelectChoice(kind.value, kind.label) for kind in Material]


class SchemeForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(), Length(max=120)], filters=[strip_text])
    exam_year = IntegerField(_l("Exam year covered"), [InputRequired(), NumberRange(2008, 2100)])
    amount_assistant = DecimalField(_l("Amount for an assistant social worker (yuan)"), [InputRequired(),
                                                                                          NumberRange(0, 100000)])
    amount_social_worker = DecimalField(_l("Amount for a social worker (yuan)"), [InputRequired(),
                                                                                   NumberRange(0, 100000)])
    amount_senior = DecimalField(_l("Amount for a senior social worker (yuan)"), [InputRequired(),
                                                                                   NumberRange(0, 100000)])
    opens_on = DateField(_l("Applications open on"), [DataRequired()])
    closes_on = DateField(_l("Applications close on"), [DataRequired()])
    first_review_by = DateField(_l("First review deadline"), [DataRequired()])
    notice_days = IntegerField(_l("Notice period (working days)"), [InputRequired(), NumberRange(1, 30)], default=5)
    materials_assistant = CheckboxList(_l("Materials: assistant social worker"), choices=MATERIAL_CHOICES)
    materials_social_worker = CheckboxList(_l("Materials: social worker"), choices=MATERIAL_CHOICES)
    materials_senior = CheckboxList(_l("Materials: senior social worker"), choices=MATERIAL_CHOICES)
    guide = TextAreaField(_l("Guide for applicants"), [Optional(), Length(max=5000)], render_kw={"rows": 5})
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        values = {name: self[name].data for name in ("title", "exam_year", "amount_assistant", "amount_social_worker",
                                                       "amount_senior", "opens_on", "closes_on", "first_review_by",
                                                       "notice_days")}
        values["guide"] = self.guide.data or ""
        values["materials"] = {level: list(self[f"materials_{level}"].data or [])
                               for level in ("assistant", "social_worker", "senior")}
        return values


class StartClaimForm(FlaskForm):
    """A certificate from the worker's registry, or a new one declared with the claim (record 0)."""

    record = SelectField(_l("Certificate from your registry record"), [InputRequired(_l("Choose a certificate."))],
                         coerce=int)
    level = EnumSelectField(_l("Qualification level"), [Optional()], enum=Qualification, members=LEVELS,
                            blank_label=_l("— choose —"))
    certificate_no = StringField(_l("Certificate number"), [Optional(), Length(max=40)], filters=[strip_text])
    exam_year = IntegerField(_l("Exam year"), [Optional(), NumberRange(2008, 2100)])
    issued_on = DateField(_l("Date of issue"), [Optional()])
    issuing_authority = StringField(_l("Issuing authority"), [Optional(), Length(max=120)], filters=[strip_text],
                                    default="人力资源和社会保障部 民政部")
    submit = SubmitField(_l("Start the claim"))

    NEW = 0

    def set_records(self, records) -> None:
        self.record.choices = [SelectChoice(r.id, f"{r.level.label} · {r.certificate_no} · {r.exam_year}")
                               for r in records] + [SelectChoice(self.NEW, _l("A new certificate, not yet in the "
                                                                              "registry"))]

    def validate_level(self, field):
        if self.record.data == self.NEW and field.data is None:
            raise ValidationError(_l("Choose the qualification level."))


class ClaimDetailsForm(FlaskForm):
    bank_name = StringField(_l("Bank and branch"), [Optional(), Length(max=80)], filters=[strip_text])
    bank_account = StringField(_l("Bank account number"), [Optional(), Length(max=40)], filters=[strip_text],
                               render_kw={"inputmode": "numeric", "autocomplete": "off"})
    account_holder = StringField(_l("Account holder"), [Optional(), Length(max=50)], filters=[strip_text])
    declared = BooleanField(_l("I declare that the information and materials are true and that I have not "
                               "received this subsidy before."))
    save = SubmitField(_l("Save"))


class UploadForm(FlaskForm):
    material = SelectField(_l("Material"), choices=MATERIAL_CHOICES)
    file = FileField(_l("File"), [FileRequired(_l("Choose a file."))],
                     description=_l("PDF, JPG or PNG, at most 10 MB."))
    upload = SubmitField(_l("Upload"))


class SubmitClaimForm(FlaskForm):
    submit = SubmitField(_l("Submit the claim"))


class ChecklistMixin:
    certificate_no = BooleanField(CHECKLIST_LABELS["certificate_no"])
    exam_year = BooleanField(CHECKLIST_LABELS["exam_year"])
    identity = BooleanField(CHECKLIST_LABELS["identity"])
    materials = BooleanField(CHECKLIST_LABELS["materials"])

    def ticks(self) -> dict:
        return {key: bool(self[key].data) for key in CHECKLIST_LABELS}


class ReviewForm(ChecklistMixin, FlaskForm):
    state = HiddenField(validators=[DataRequired()])  # the state the reviewer saw
    note = TextAreaField(_l("What to correct, or the reason for a rejection"), [Optional(), Length(max=1000)],
                         filters=[strip_text], render_kw={"rows": 2})
    forward = SubmitField(_l("Pass and forward"))
    send_back = SubmitField(_l("Return for correction"))
    reject = SubmitField(_l("Reject"))


class BulkForwardForm(ChecklistMixin, FlaskForm):
    claims = CheckboxList(_l("Claims"), coerce=int, validators=[DataRequired(_l("Choose the claims to forward."))])
    forward = SubmitField(_l("Forward the chosen claims"))


class ObjectionForm(FlaskForm):
    claim = SelectField(_l("Which claim"), coerce=int, validators=[DataRequired(_l("Choose the claim."))])
    grounds = TextAreaField(_l("Grounds of the objection"), [DataRequired(_l("State the grounds of the objection.")),
                                                             Length(max=2000)], filters=[strip_text],
                            render_kw={"rows": 4})
    contact = StringField(_l("How to contact you"), [DataRequired(_l("Leave a way to contact you about the "
                                                                     "objection.")), Length(max=100)],
                          filters=[strip_text])
    submit = SubmitField(_l("File the objection"))


class ResolveForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [Optional(), Length(max=1000)], filters=[strip_text], render_kw={"rows": 2})
    uphold = SubmitField(_l("Uphold"))
    dismiss = SubmitField(_l("Dismiss"))


class PublishForm(FlaskForm):
    submit = SubmitField(_l("Publish the notice"))


class PaymentForm(FlaskForm):
    claims = CheckboxList(_l("Claims paid"), coerce=int, validators=[DataRequired(_l("Choose the claims paid in "
                                                                                     "this batch."))])
    batch_no = StringField(_l("Batch number"), [DataRequired(_l("Enter the batch number.")), Length(max=40)],
                           filters=[strip_text])
    paid_on = DateField(_l("Paid on"), [DataRequired(_l("Enter the payment date."))])
    submit = SubmitField(_l("Record the payment"))


class LedgerFullForm(FlaskForm):
    reason = TextAreaField(_l("Why the full resident ID and bank account numbers are needed"),
                           [DataRequired(_l("Give the reason.")), Length(min=4, max=500)], filters=[strip_text],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Export the ledger in full"))
