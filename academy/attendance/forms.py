"""The attendance sheet and the results sheet are built for the workers of one course."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

from academy.attendance.models import Mark
from academy.core.forms import strip_text


def attendance_form(enrolments, current_marks, *, formdata=None):
    """One radio group per worker, pre-set to the saved mark or to present."""

    class AttendanceForm(FlaskForm):
        reason = StringField(_l("Reason for corrections (optional)"), [Optional(), Length(max=300)],
                             filters=[strip_text])
        submit = SubmitField(_l("Save attendance"))

    choices = [SelectChoice(mark.value, mark.label) for mark in Mark]
    for enrolment in enrolments:
        saved = current_marks.get(enrolment.id)
        setattr(AttendanceForm, f"mark_{enrolment.id}", RadioField(
            enrolment.worker.name, [InputRequired()], choices=choices,
            default=(saved.mark if saved else Mark.PRESENT).value,
        ))
    form = AttendanceForm(formdata=formdata) if formdata is not None else AttendanceForm()
    form.rows = [(enrolment, form[f"mark_{enrolment.id}"]) for enrolment in enrolments]
    form.mark_choices = [(choice.value, str(choice.label)) for choice in choices]  # translated once a page
    return form


def results_form(enrolments, *, with_scores: bool):
    class ResultsForm(FlaskForm):
        confirmed = HiddenField()  # "yes" on the second step: finalising issues certificates, so it asks first
        submit = SubmitField(_l("Finalise results"))

    if with_scores:
        for enrolment in enrolments:
            setattr(ResultsForm, f"score_{enrolment.id}", DecimalField(
                _l("Mark of %(name)s", name=enrolment.worker.name),
                [Optional(), NumberRange(0, 100, _l("Enter a mark from 0 to 100."))], places=1,
            ))
    form = ResultsForm()
    form.scores = {e.id: form[f"score_{e.id}"] for e in enrolments} if with_scores else {}
    return form


class ScanForm(FlaskForm):
    """The scan page's button; the token travels from the QR code's address."""

    token = HiddenField()
    submit = SubmitField(_l("Confirm"))


class CheckinCodeForm(FlaskForm):
    code = StringField(_l("6-digit code on the screen"), [InputRequired(_l("Enter the 6-digit code.")),
                                                          Regexp(r"^\d{6}$", message=_l("Enter the 6 digits shown."))],
                       filters=[strip_text], render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6})
    submit = SubmitField(_l("Check in"))
