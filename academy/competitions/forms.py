"""Forms of the competition: set-up, teams, judges, score sheets, reopening and publishing."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from academy.competitions.enums import AwardKind, Field, Group, Medal, ModuleKind, Stage
from academy.core.forms import EnumSelectField, FilterForm, ModelSelectField, ModelSelectMultipleField, strip_text


class OptionsForm(FlaskForm):
    """A form whose row choices depend on the request: `options` maps a field's name to its query factory,
    set before the submitted data is read."""

    def __init__(self, *args, options=None, **kwargs):
        self._options = options or {}
        super().__init__(*args, **kwargs)

    def process(self, *args, **kwargs):
        for name, factory in self._options.items():
            self[name].query_factory = factory
        super().process(*args, **kwargs)


class CompetitionForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("Enter the title.")), Length(max=120)], filters=[strip_text])
    theme = TextAreaField(_l("Theme"), [DataRequired(_l("Enter the theme.")), Length(max=2000)],
                          filters=[strip_text], render_kw={"rows": 2})
    year = IntegerField(_l("Year"), [InputRequired(_l("Enter the year.")), NumberRange(2020, 2100)])
    groups = SelectMultipleField(_l("Groups"), [DataRequired(_l("Choose at least one group."))],
                                 choices=lambda: [(g.value, g.label) for g in Group])
    fields = SelectMultipleField(_l("Fields"), [DataRequired(_l("Choose at least one field."))],
                                 choices=lambda: [(f.value, f.label) for f in Field])
    team_min = IntegerField(_l("Smallest team"), [InputRequired(), NumberRange(1, 20)], default=3)
    team_max = IntegerField(_l("Largest team"), [InputRequired(), NumberRange(1, 20)], default=5)
    semi_final_quota = IntegerField(_l("Teams each subdistrict sends to the semi-final"),
                                    [InputRequired(), NumberRange(1, 20)], default=3)
    trim_from = IntegerField(_l("Drop the highest and lowest judge from this many judges on"),
                             [InputRequired(), NumberRange(3, 50)], default=5)
    submit = SubmitField(_l("Create the competition"))


class RoundForm(FlaskForm):
    stage = EnumSelectField(_l("Round"), [InputRequired(_l("Choose the round."))], enum=Stage)
    starts_on = DateField(_l("Starts on"), [DataRequired(_l("Enter the date."))])
    ends_on = DateField(_l("Ends on"), [DataRequired(_l("Enter the date."))])
    venue = StringField(_l("Venue"), [DataRequired(_l("Enter the venue.")), Length(max=200)], filters=[strip_text])
    advance_count = IntegerField(_l("Teams going on to the final (semi-final only)"), [Optional(), NumberRange(1, 200)])
    submit = SubmitField(_l("Add the round"))


class ModuleForm(FlaskForm):
    kind = EnumSelectField(_l("Module"), [InputRequired(_l("Choose the module."))], enum=ModuleKind)
    weight = DecimalField(_l("Weight (%)"), [InputRequired(), NumberRange(0.01, 100)], places=2)
    max_score = DecimalField(_l("Maximum score"), [InputRequired(), NumberRange(1, 1000)], places=2)
    tie_rank = IntegerField(_l("Order in breaking ties (1 first; empty: not used)"), [Optional(), NumberRange(1, 9)])
    submit = SubmitField(_l("Add the module"))


class ModuleEditForm(FlaskForm):
    weight = DecimalField(_l("Weight (%)"), [InputRequired(), NumberRange(0.01, 100)], places=2)
    max_score = DecimalField(_l("Maximum score"), [InputRequired(), NumberRange(1, 1000)], places=2)
    tie_rank = IntegerField(_l("Order in breaking ties (1 first; empty: not used)"), [Optional(), NumberRange(1, 9)])
    submit = SubmitField(_l("Save"))


class CriterionForm(FlaskForm):
    title = StringField(_l("Criterion"), [DataRequired(_l("Enter the criterion.")), Length(max=120)],
                        filters=[strip_text])
    maximum = DecimalField(_l("Maximum"), [InputRequired(), NumberRange(0.5, 1000)], places=2)
    descriptor = TextAreaField(_l("What a good answer shows"), [Optional(), Length(max=1000)], filters=[strip_text],
                               render_kw={"rows": 2})
    submit = SubmitField(_l("Add the criterion"))


class CriterionEditForm(CriterionForm):
    submit = SubmitField(_l("Save"))


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Change"))


class TeamForm(OptionsForm):
    name = StringField(_l("Team name"), [DataRequired(_l("Enter the team name.")), Length(max=80)],
                       filters=[strip_text])
    group = EnumSelectField(_l("Group"), [InputRequired(_l("Choose the group."))], enum=Group)
    field = EnumSelectField(_l("Field"), [InputRequired(_l("Choose the field."))], enum=Field)
    members = ModelSelectMultipleField(_l("Members"), [DataRequired(_l("Choose the members."))],
                                       render_kw={"size": 8})
    leader = ModelSelectField(_l("Leader"), [DataRequired(_l("Choose the leader."))], blank_label=_l("— choose —"))
    project_title = StringField(_l("Project title"), [DataRequired(_l("Enter the project title.")), Length(max=200)],
                                filters=[strip_text])
    project_summary = TextAreaField(_l("Project summary"), [DataRequired(_l("Enter the project summary.")),
                                                            Length(max=4000)], filters=[strip_text],
                                    render_kw={"rows": 4})
    attachment = FileField(_l("Project document"), description=_l("PDF, JPG or PNG, at most 10 MB."))
    publish_attachments = BooleanField(_l("The team allows its project document to be published in the case library"))
    submit = SubmitField(_l("Register the team"))


class AssignJudgeForm(OptionsForm):
    judge = ModelSelectField(_l("Judge"), [DataRequired(_l("Choose the judge."))], blank_label=_l("— choose —"))
    group = EnumSelectField(_l("Group"), [InputRequired(_l("Choose the group."))], enum=Group)
    submit = SubmitField(_l("Assign"))


class ConflictForm(OptionsForm):
    worker = ModelSelectField(_l("Member"), [DataRequired(_l("Choose the member."))], blank_label=_l("— choose —"))
    reason = TextAreaField(_l("Why (relative, colleague, supervisee…)"), [DataRequired(_l("Give the reason.")),
                                                                         Length(max=500)],
                           filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Declare the conflict"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=1000)],
                           filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Reopen"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=1000)],
                           filters=[strip_text], render_kw={"rows": 2})
    submit = SubmitField(_l("Withdraw the team"))


class RevokeAwardForm(FlaskForm):
    reason = StringField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=500)], filters=[strip_text])
    submit = SubmitField(_l("Revoke"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Publish the results"))


class SheetBase(FlaskForm):
    version = HiddenField()
    save = SubmitField(_l("Save"))
    submit_sheet = SubmitField(_l("Submit (locks the sheet)"))


def sheet_form(criteria, **kwargs) -> SheetBase:
    """A form with a points field and a comment for each criterion of the sheet."""
    fields = {}
    for criterion in criteria:
        fields[f"points_{criterion.id}"] = DecimalField(
            criterion.title, [Optional(), NumberRange(0, float(criterion.maximum))], places=2,
            description=criterion.descriptor, render_kw={"inputmode": "decimal", "max": str(criterion.maximum),
                                                         "min": "0", "step": "0.5"})
        fields[f"comment_{criterion.id}"] = TextAreaField(_l("Comment (optional)"), [Optional(), Length(max=1000)],
                                                          filters=[strip_text], render_kw={"rows": 1})
    return type("SheetForm", (SheetBase,), fields)(**kwargs)


class TheoryForm(OptionsForm):
    worker = ModelSelectField(_l("Member"), [DataRequired(_l("Choose the member."))], blank_label=_l("— choose —"))
    score = DecimalField(_l("Score"), [InputRequired(_l("Enter the score.")), NumberRange(0, 1000)], places=2)
    submit = SubmitField(_l("Save the score"))


class TierForm(FlaskForm):
    kind = EnumSelectField(_l("Award"), [InputRequired(_l("Choose the award."))], enum=AwardKind)
    medal = EnumSelectField(_l("Tier"), [InputRequired(_l("Choose the tier."))], enum=Medal)
    group = EnumSelectField(_l("Group (team awards)"), [Optional()], enum=Group, blank_label=_l("— all —"))
    places = IntegerField(_l("How many"), [InputRequired(), NumberRange(1, 100)], default=1)
    submit = SubmitField(_l("Add the award tier"))


class GiveAwardsForm(FlaskForm):
    submit = SubmitField(_l("Give the awards from the last published round"))


class CaseFilterForm(FilterForm):
    q = StringField(_l("Search"), [Optional(), Length(max=60)], filters=[strip_text])
    group = SelectField(_l("Group"), [Optional()], choices=lambda: [("", _l("All"))] + [(g.value, g.label) for g in Group])
    field = SelectField(_l("Field"), [Optional()], choices=lambda: [("", _l("All"))] + [(f.value, f.label) for f in Field])


class TalentFilterForm(FilterForm):
    subdistrict = SelectField(_l("Subdistrict"), [Optional()])
    medal = SelectField(_l("Tier"), [Optional()], choices=lambda: [("", _l("All"))] + [(m.value, m.label) for m in Medal])
    year = IntegerField(_l("Year"), [Optional(), NumberRange(2000, 2100)])


class TheoryImportForm(OptionsForm):
    module = ModelSelectField(_l("Theory test"), [DataRequired(_l("Choose the theory test."))],
                              label_attr="label", blank_label=_l("— choose —"))
    file = FileField(_l("Scores (XLSX or CSV)"), [FileRequired(_l("Choose a file."))],
                     description=_l("Columns: name, mobile number, score. CSV in UTF-8 or GB18030."))
    submit = SubmitField(_l("Preview"))


class TheoryImportConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    module = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Write the scores"))
