from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, URL

from academy.core.forms import strip_text
from academy.core.i18n import local_datetime


class MaterialForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("Enter a title.")), Length(max=200)], filters=[strip_text])
    session = SelectField(_l("For"), coerce=int, default=0)
    position = IntegerField(_l("Order (smaller first)"), [Optional(), NumberRange(0, 999)], default=0)
    publish = BooleanField(_l("Publish now (otherwise kept as a draft)"))
    submit = SubmitField(_l("Add"))

    def set_sessions(self, course):
        self.session.choices = [SelectChoice(0, _l("The whole course"))] + [
            SelectChoice(item.id, f"{local_datetime(item.starts_at)} {item.topic}") for item in course.sessions]

    def chosen_session(self, course):
        return next((item for item in course.sessions if item.id == self.session.data), None)


class FileMaterialForm(MaterialForm):
    file = FileField(_l("File (PDF, PPTX, DOCX, XLSX, JPG or PNG; at most 50 MB)"),
                     [FileRequired(_l("Choose a file."))])


class LinkMaterialForm(MaterialForm):
    url = StringField(_l("Address (video, article)"),
                      [DataRequired(_l("Enter the address.")), Length(max=500),
                       URL(require_tld=True, message=_l("Enter a full address starting with https://."))],
                      filters=[strip_text])


class StatusForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class EditMaterialForm(MaterialForm):
    """Title, order and session of a file or link (and a link's address); the file itself is not replaced."""

    url = StringField(_l("Address (video, article)"),
                      [Optional(), Length(max=500),
                       URL(require_tld=True, message=_l("Enter a full address starting with https://."))],
                      filters=[strip_text])
    submit = SubmitField(_l("Save"))
