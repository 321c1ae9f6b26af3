"""Creating a personal access token on the account page."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from academy.api.tokens import EXPIRY_CHOICES
from academy.core.forms import CheckboxList, strip_text


class TokenForm(FlaskForm):
    name = StringField(_l("What the token is for"), [DataRequired(_l("Name the token, e.g. the app that uses it.")),
                                                     Length(max=60)], filters=[strip_text])
    scopes = CheckboxList(_l("Permissions"), choices=[],
                          validators=[DataRequired(_l("Choose at least one permission for the token."))])
    days = SelectField(_l("Valid for"), coerce=int, default=90,
                       choices=[SelectChoice(days, _l("%(days)d days", days=days)) for days in EXPIRY_CHOICES])
    submit = SubmitField(_l("Create the token"))

    def set_scopes(self, scopes) -> None:
        self.scopes.choices = [SelectChoice(scope.value, scope.label) for scope in scopes]


class ClientForm(FlaskForm):
    """An administrator giving one of the district's systems credentials for the API."""

    name = StringField(_l("The system"), [DataRequired(_l("Name the system, e.g. the talent database.")),
                                          Length(max=60)], filters=[strip_text])
    scopes = CheckboxList(_l("Permissions"), choices=[],
                          validators=[DataRequired(_l("Choose at least one permission for the system."))])
    subdistrict = SelectField(_l("Whose data"), choices=[], default="",
                              description=_l("A system of one subdistrict reads that subdistrict alone."))
    submit = SubmitField(_l("Create the credentials"))

    def set_choices(self, scopes, subdistricts) -> None:
        self.scopes.choices = [SelectChoice(scope.value, scope.label) for scope in scopes]
        self.subdistrict.choices = [SelectChoice("", _l("The whole district"))] + [
            SelectChoice(str(unit.id), unit.name) for unit in subdistricts]

    @property
    def subdistrict_id(self) -> int | None:
        return int(self.subdistrict.data) if self.subdistrict.data else None
