from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DecimalField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from academy.core.forms import FilterForm, ModelSelectField, empty_to_none, strip_text
from academy.orgs.models import subdistrict_options
from academy.plans.rules import TARGET_LABELS, parse_weights
from academy.programmes.models import Programme


def programme_options():
    return select(Programme).order_by(Programme.sort_order)


def _count(name):
    return IntegerField(TARGET_LABELS[name], [Optional(), NumberRange(0, 10_000_000)])


class PlanFiguresForm(FlaskForm):
    """The targets (each optional) and the month profile."""

    people_trained = _count("people_trained")
    enrolments = _count("enrolments")
    hours = DecimalField(TARGET_LABELS["hours"], [Optional(), NumberRange(0, 100_000_000)], places=1)
    certificates = _count("certificates")
    degrees = _count("degrees")
    projects = _count("projects")
    ce_rate = DecimalField(_l("Continuing-education compliance rate (%)"), [Optional(), NumberRange(0, 100)],
                           places=1)
    month_weights = StringField(
        _l("Month profile"), [Optional(), Length(max=120)], filters=[strip_text, empty_to_none],
        description=_l("Twelve weights, January to December, e.g. 1,0,1,1,1,1,1,1,1,1,1,1 for nothing in "
                       "February. Empty: evenly through the year."))

    def validate_month_weights(self, field):
        try:
            field.weights = parse_weights(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def figures(self) -> dict:
        return {name: getattr(self, name).data for name in TARGET_LABELS}

    def weights(self):
        return getattr(self.month_weights, "weights", None)


class PlanCreateForm(PlanFiguresForm):
    year = IntegerField(_l("Year"), [InputRequired(_l("Enter the year.")), NumberRange(2000, 2100)])
    programme = ModelSelectField(_l("Programme"), [DataRequired(_l("Choose the programme."))],
                                 query_factory=programme_options, label_attr="name", blank_label="")
    subdistrict = ModelSelectField(_l("Subdistrict"), query_factory=subdistrict_options,
                                   blank_label=_l("Whole district"))
    submit = SubmitField(_l("Set the plan"))


class PlanChangeForm(PlanFiguresForm):
    reason = TextAreaField(_l("Why the plan changes"), [DataRequired(_l("Say why the plan changes.")),
                                                       Length(min=2, max=500)],
                           filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Change the plan"))


class PlanFilterForm(FilterForm):
    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])
