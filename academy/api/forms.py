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
