from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from academy.core.forms import strip_text
from academy.evaluations.models import DIMENSIONS

SCORES = [SelectChoice(str(score), str(score)) for score in range(1, 6)]


def answer_form(template):
    """The questionnaire of `template`: one 1–5 choice per question and the comment."""

    class AnswerForm(FlaskForm):
        comment = TextAreaField(template.comment_prompt, [Optional(), Length(max=2000)], filters=[strip_text],
                                render_kw={"rows": 4})
        submit = SubmitField(_l("Send the evaluation"))

    for name in DIMENSIONS:
        setattr(AnswerForm, name, RadioField(template.question(name), [InputRequired(_l("Choose a score from 1 to 5."))],
                                             choices=SCORES))
    form = AnswerForm()
    form.questions = [form[name] for name in DIMENSIONS]
    return form


class TemplateForm(FlaskForm):
    intro = TextAreaField(_l("Introduction"), [DataRequired(), Length(max=1000)], filters=[strip_text],
                          render_kw={"rows": 2})
    q_content = StringField(_l("Question on the content"), [DataRequired(), Length(max=200)], filters=[strip_text])
    q_instructor = StringField(_l("Question on the instructor"), [DataRequired(), Length(max=200)], filters=[strip_text])
    q_organisation = StringField(_l("Question on the organisation"), [DataRequired(), Length(max=200)],
                                 filters=[strip_text])
    q_usefulness = StringField(_l("Question on the usefulness for work"), [DataRequired(), Length(max=200)],
                               filters=[strip_text])
    comment_prompt = StringField(_l("Prompt for the comment"), [DataRequired(), Length(max=200)], filters=[strip_text])
    names_to_admins = BooleanField(_l("Administrators see who answered (instructors never do)"))
    submit = SubmitField(_l("Save as a new version"))


class ReportForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    group = SelectField(_l("Per"), choices=[SelectChoice("instructor", _l("Instructor")), SelectChoice("programme", _l("Programme"))],
                        default="instructor")
    starts = DateField(_l("From"), [Optional()])
    ends = DateField(_l("To"), [Optional()])
