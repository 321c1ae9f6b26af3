from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired


class LanguageForm(FlaskForm):
    lang = SelectField(choices=lambda: list(current_app.config["LANGUAGES"].items()), validators=[InputRequired()])
    next = HiddenField()
