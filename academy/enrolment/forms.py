from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from academy.core.forms import FilterForm, strip_text


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=1000)],
                           filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Confirm"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), [Optional(), Length(max=1000)], filters=[strip_text],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Withdraw"))


class ApproveManyForm(FlaskForm):
    enrolments = SelectMultipleField(
        _l("Requests"), coerce=int, choices=[], option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False),
        validators=[DataRequired(_l("Tick at least one request."))],
    )
    submit = SubmitField(_l("Approve the ticked requests"))


WAITING_DAYS = (3, 7, 14, 30)


class ApprovalFilterForm(FilterForm):
    """The approval queue's filters, all in the URL: a course (code or title), the worker's subdistrict,
    and how long a request has waited at least."""

    course = StringField(_l("Course"), [Optional(), Length(max=60)], filters=[strip_text])
    subdistrict = SelectField(_l("Subdistrict"), [Optional()])
    waiting = SelectField(_l("Waiting since"), [Optional()], choices=[SelectChoice("", _l("Any time"))] + [
        SelectChoice(str(days), _l("%(days)d days or more", days=days)) for days in WAITING_DAYS])

    def set_choices(self, subdistricts):
        self.subdistrict.choices = [SelectChoice("", _l("All"))] + [SelectChoice(str(u.id), u.name) for u in subdistricts]


class ImportUploadForm(FlaskForm):
    file = FileField(_l("Class list (CSV or XLSX)"), [FileRequired(_l("Choose a file."))],
                     description=_l("Columns: mobile number or resident ID number, course code, and optionally the "
                                    "worker's name (checked against the account). A header row is allowed. CSV may "
                                    "be UTF-8 or GB18030 (Excel on Chinese Windows), separated by commas or "
                                    "semicolons."))
    submit = SubmitField(_l("Preview"))


class ImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Enrol the good rows"))
