from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from academy.core.forms import EnumSelectField, ModelSelectField, empty_to_none, strip_text
from academy.orgs.models import OrgKind, subdistrict_options
from academy.orgs.operations import ADDABLE_KINDS


class UnitNamesForm(FlaskForm):
    name_zh = StringField(
        _l("Chinese name"), [DataRequired(_l("Enter the Chinese name.")), Length(max=80)], filters=[strip_text]
    )
    name_en = StringField(
        _l("English name (optional)"), [Optional(), Length(max=120)], filters=[strip_text, empty_to_none]
    )
    submit = SubmitField(_l("Save"))


class UnitCreateForm(UnitNamesForm):
    parent = ModelSelectField(
        _l("Subdistrict"), [DataRequired(_l("Choose the subdistrict."))], query_factory=subdistrict_options,
        blank_label=_l("— choose —"),
    )
    kind = EnumSelectField(_l("Kind"), [DataRequired()], enum=OrgKind, members=ADDABLE_KINDS)
    submit = SubmitField(_l("Add unit"))
