from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from academy.jobs.reminders import KINDS


class ReminderSettingsForm(FlaskForm):
    """The optional reminders, each on unless turned off."""

    session_tomorrow = BooleanField(KINDS["session_tomorrow"])
    enrolment_closing = BooleanField(KINDS["enrolment_closing"])
    ce_at_risk = BooleanField(KINDS["ce_at_risk"])
    submit = SubmitField(_l("Save"))
