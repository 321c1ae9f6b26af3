from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from academy.core.forms import strip_text


def text(label, max_length, required=True, area=False):
    field = TextAreaField if area else StringField
    validators = [DataRequired(_l("This text cannot be empty."))] if required else []
    return field(label, validators + [Length(max=max_length)], filters=[strip_text], default="")


class ProgrammeForm(FlaskForm):
    tagline_zh = text(_l("Chinese direction label (e.g. 学历提升)"), 40)
    name_zh = text(_l("Chinese name (e.g. 青云计划)"), 40)
    name_en = text(_l("English name"), 120)
    summary_zh = text(_l("Chinese summary"), 200)
    summary_en = text(_l("English summary"), 300)
    description_zh = text(_l("Chinese description"), 5000, area=True)
    description_en = text(_l("English description"), 8000, area=True)
    audience_zh = text(_l("Chinese audience"), 300, required=False)
    audience_en = text(_l("English audience"), 400, required=False)
    approval_required = BooleanField(_l("New courses in this programme require approval of each enrolment"))
    certificate_courses = IntegerField(_l("Programme certificate after this many completed courses"),
                                       [Optional(), NumberRange(1, 100)])
    certificate_hours = DecimalField(_l("or after this many hours of completed courses"),
                                     [Optional(), NumberRange(1, 5000)], places=1,
                                     description=_l("Leave both empty for no programme certificate."))
    submit = SubmitField(_l("Save programme"))
