from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from academy.core.forms import FilterForm, strip_text
from academy.reports.queries import DIMENSIONS


class ReportForm(FilterForm):
    """The progress report's grouping and filters, all in the URL."""

    group = SelectField(_l("Group by"), [Optional()], default="programme")
    then = SelectField(_l("Then by"), [Optional()])
    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])
    programme = SelectField(_l("Programme"), [Optional()])
    tier = SelectField(_l("Tier"), [Optional()])
    subdistrict = SelectField(_l("Subdistrict"), [Optional()])

    def set_choices(self, programmes, subdistricts, tiers):
        everything = SelectChoice("", _l("All"))
        dims = [SelectChoice(name, label) for name, (label, _) in DIMENSIONS.items()]
        self.group.choices = dims
        self.then.choices = [SelectChoice("", _l("— nothing —"))] + dims
        self.programme.choices = [everything] + [SelectChoice(p.code.lower(), p.short_name) for p in programmes]
        self.tier.choices = [everything] + [SelectChoice(t.value, t.label) for t in tiers]
        self.subdistrict.choices = [everything] + [SelectChoice(str(u.id), u.name) for u in subdistricts]



class FullExportForm(FlaskForm):
    reason = TextAreaField(_l("Why the full personal data is needed"), [DataRequired(_l("Give the reason.")),
                                                                       Length(min=4, max=500)],
                           filters=[strip_text], render_kw={"rows": 2})
    format = SelectField(_l("Format"), choices=[SelectChoice("xlsx", "XLSX"), SelectChoice("csv", "CSV")])
    query = HiddenField()
    submit = SubmitField(_l("Export with full mobile and ID numbers"))


class QuarterlyReportForm(FlaskForm):
    year = IntegerField(_l("Year"), [DataRequired(_l("Enter the year.")), NumberRange(2000, 2100)])
    quarter = SelectField(_l("Quarter"), choices=[SelectChoice(str(q), _l("Quarter %(number)d", number=q))
                                                   for q in range(1, 5)], coerce=int)
    text = TextAreaField(_l("The report's text"), [DataRequired(_l("Write the report's text.")), Length(max=4000)],
                         filters=[strip_text], render_kw={"rows": 6},
                         description=_l("What the quarter brought, in a few paragraphs; the figures follow it."))
    submit = SubmitField(_l("Issue the report"))
