"""Forms of the registry: a worker's declaration, an administrator's decision, the registry's
filters, and the annual results import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.auth.enums import Qualification
from academy.core.forms import EnumSelectField, FilterForm, strip_text
from academy.qualifications.models import LEVELS, RecordStatus

SCAN_HELP = _l("PDF, JPG or PNG, at most 10 MB: the certificate page with its number.")


class DeclarationForm(FlaskForm):
    level = EnumSelectField(_l("Qualification level"), [InputRequired(_l("Choose the qualification level."))],
                            enum=Qualification, members=LEVELS, blank_label=_l("— choose —"))
    certificate_no = StringField(_l("Certificate number"), [DataRequired(_l("Enter the certificate number.")),
                                                            Length(max=40)], filters=[strip_text])
    exam_year = IntegerField(_l("Exam year (review year for a senior social worker)"),
                             [InputRequired(_l("Enter the year.")), NumberRange(1900, 2999)])
    issued_on = DateField(_l("Date of issue"), [DataRequired(_l("Enter the date of issue."))])
    issuing_authority = StringField(_l("Issuing authority"), [DataRequired(_l("Enter the issuing authority.")),
                                                              Length(max=120)], filters=[strip_text],
                                    description=_l("For example: 人力资源和社会保障部 民政部"))
    scan = FileField(_l("Scan of the certificate"), description=SCAN_HELP)
    submit = SubmitField(_l("Submit for verification"))


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed to refuse or revoke)"), [Optional(), Length(max=1000)],
                           filters=[strip_text], render_kw={"rows": 2})
    override_reason = TextAreaField(
        _l("Override: why a senior record is verified without an intermediate one (administrators)"),
        [Optional(), Length(max=1000)], filters=[strip_text], render_kw={"rows": 2})
    verify = SubmitField(_l("Verify"))
    refuse = SubmitField(_l("Refuse"))
    revoke = SubmitField(_l("Revoke"))


class RegistryFilterForm(FilterForm):
    level = SelectField(_l("Level"), [Optional()])
    subdistrict = SelectField(_l("Subdistrict"), [Optional()])
    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])
    status = SelectField(_l("Status"), [Optional()])

    def set_choices(self, subdistricts):
        everything = SelectChoice("", _l("All"))
        self.level.choices = [everything] + [SelectChoice(level.value, level.label) for level in LEVELS]
        self.subdistrict.choices = [everything] + [SelectChoice(str(u.id), u.name) for u in subdistricts]
        self.status.choices = [everything] + [SelectChoice(status.value, status.label) for status in RecordStatus]


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Results list (XLSX or CSV)"), [FileRequired(_l("Choose a file."))],
                     description=_l("Columns: name, resident ID number, level, certificate number, year; "
                                    "optionally date of issue and issuing authority. CSV in UTF-8 or GB18030."))
    submit = SubmitField(_l("Preview"))


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Write the verified records"))


class CeremonyNoticeForm(FlaskForm):
    year = HiddenField(validators=[DataRequired()])
    details = TextAreaField(_l("When and where the ceremony is held"), [DataRequired(_l("Say when and where.")),
                                                                         Length(max=300)],
                            filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Notify everyone on the list"))
