from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired


class LanguageForm(FlaskForm):
    lang = SelectField(
        choices=lambda: [SelectChoice(code, label) for code, label in current_app.config["LANGUAGES"].items()],
        validators=[InputRequired()],
    )
    next = HiddenField()
