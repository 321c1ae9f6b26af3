"""Forms of the learning record: the three kinds of outside records, reviews, and the CE rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, DateField, DecimalField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from academy.auth.enums import Education
from academy.core.forms import EnumSelectField, ModelSelectField, decimal_in_half_steps, empty_to_none, strip_text
from academy.partners.models import Partner, PartnerKind, PracticeBase
from academy.progress.models import DegreeStatus, ResearchKind

EVIDENCE_HELP = _l("PDF, JPG or PNG, at most 10 MB: a certificate, a transcript or a letter.")


def half_hours(form, field):
    if field.data is not None and not decimal_in_half_steps(field.data):
        raise ValidationError(_l("Use steps of half an hour, for example 1.5 or 2."))


class RecordForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("Enter a title.")), Length(max=200)], filters=[strip_text])
    institution = StringField(_l("Institution or organiser"), [DataRequired(_l("Enter the institution.")),
                                                              Length(max=200)], filters=[strip_text])
    started_on = DateField(_l("Start date"), [Optional()])
    ended_on = DateField(_l("End date"), [Optional()])
    hours = DecimalField(_l("Hours"), [Optional(), NumberRange(0, 2000, _l("Hours cannot be negative.")), half_hours],
                         places=1)
    evidence = FileField(_l("Evidence"), description=EVIDENCE_HELP)
    submit = SubmitField(_l("Submit for verification"))

    def validate_ended_on(self, field):
        if field.data and self.started_on.data and field.data < self.started_on.data:
            raise ValidationError(_l("The end cannot be before the start."))


class TrainingForm(RecordForm):
    ended_on = DateField(_l("End date"), [DataRequired(_l("Enter when the training ended."))])
    hours = DecimalField(_l("Hours"), [InputRequired(_l("Enter the hours.")),
                                       NumberRange(0, 2000, _l("Hours cannot be negative.")), half_hours], places=1)


def partner_options():
    return select(Partner).where(Partner.kind.in_((PartnerKind.UNIVERSITY, PartnerKind.VOCATIONAL_COLLEGE)))\
        .order_by(Partner.id)


def practice_base_options():
    return select(PracticeBase).order_by(PracticeBase.name)


class DegreeForm(RecordForm):
    partner = ModelSelectField(_l("Partner college"), query_factory=partner_options,
                               blank_label=_l("— another institution —"),
                               description=_l("Choose the partner college, or name another institution below."))
    title = StringField(_l("Programme of study"), [DataRequired(_l("Enter a title.")), Length(max=200)],
                        filters=[strip_text], description=_l("For example: 社会工作专升本"))
    major = StringField(_l("Major"), [DataRequired(_l("Enter the major.")), Length(max=120)], filters=[strip_text])
    level_from = EnumSelectField(_l("From"), [DataRequired(_l("Choose a level."))], enum=Education,
                                 blank_label=_l("— choose —"))
    level_to = EnumSelectField(_l("To"), [DataRequired(_l("Choose a level."))], enum=Education,
                               blank_label=_l("— choose —"))
    credits_earned = IntegerField(_l("Credits earned"), [Optional(), NumberRange(0, 500)])
    credits_required = IntegerField(_l("Credits required"), [Optional(), NumberRange(0, 500)])
    expected_end_on = DateField(_l("Expected graduation"), [Optional()])
    ended_on = DateField(_l("Actual graduation"), [Optional()])
    degree_status = EnumSelectField(_l("Status"), [DataRequired()], enum=DegreeStatus)
    social_work_degree = BooleanField(_l("A social-work degree (counts 90 continuing-education hours once, "
                                         "when completed)"))

    def validate_level_to(self, field):
        if self.level_from.data and field.data and field.data.rank <= self.level_from.data.rank:
            raise ValidationError(_l("The degree must lead to a higher level."))

    def validate_credits_earned(self, field):
        if field.data is not None and self.credits_required.data is not None and field.data > self.credits_required.data:
            raise ValidationError(_l("More credits earned than required."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # Checked here: the empty date field stops its own validators before they run.
        if self.degree_status.data == DegreeStatus.GRADUATED and not self.ended_on.data:
            self.ended_on.errors = [*self.ended_on.errors, _l("Give the graduation date.")]
            return False
        return valid


class ResearchForm(RecordForm):
    practice_base = ModelSelectField(_l("Practice base"), query_factory=practice_base_options,
                                     blank_label=_l("— none —"))
    institution = StringField(_l("Practice base or partner"), [DataRequired(_l("Enter the institution.")),
                                                              Length(max=200)], filters=[strip_text])
    research_kind = EnumSelectField(_l("Kind"), [DataRequired()], enum=ResearchKind)
    role = StringField(_l("Your role"), [DataRequired(_l("Enter your role.")), Length(max=120)], filters=[strip_text])
    outcome = TextAreaField(_l("Outcome"), [Optional(), Length(max=2000)], filters=[strip_text, empty_to_none])


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when not accepting)"), [Optional(), Length(max=1000)],
                           filters=[strip_text], render_kw={"rows": 2})
    verify = SubmitField(_l("Verify"))
    reject = SubmitField(_l("Do not accept"))


class RuleForm(FlaskForm):
    period_years = IntegerField(_l("Registration period (years)"), [InputRequired(), NumberRange(1, 10)])
    required_hours = DecimalField(_l("Hours required per period"), [InputRequired(), NumberRange(0, 1000)], places=1)
    degree_hours = DecimalField(_l("Hours for a completed social-work degree (once)"),
                                [InputRequired(), NumberRange(0, 1000)], places=1)
    window_months = IntegerField(_l("Re-registration window before expiry (months)"),
                                 [InputRequired(), NumberRange(0, 24)])
    counts_research = BooleanField(_l("Verified research and practice hours count"))
    submit = SubmitField(_l("Save rule"))
