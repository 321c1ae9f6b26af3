from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from academy.audit.phrases import ACTIONS, OBJECTS
from academy.core.forms import FilterForm, strip_text


class AuditFilterForm(FilterForm):
    """The audit trail's filters, all in the URL: from and to (Beijing dates), operator, action, object."""

    after_date = DateField(_l("From"), [Optional()])
    before_date = DateField(_l("To"), [Optional()])
    operator = StringField(_l("Operator (name or mobile number)"), [Optional(), Length(max=40)], filters=[strip_text])
    action = SelectField(_l("Action"), [Optional()])
    object_type = SelectField(_l("Object"), [Optional()])
    object_id = IntegerField(_l("Object number"), [Optional(), NumberRange(1, 2**31 - 1)])

    def set_choices(self, recorded: list[str]) -> None:
        everything = SelectChoice("", _l("All"))
        labelled = sorted(((name, str(ACTIONS[name]) if name in ACTIONS else name) for name in recorded),
                          key=lambda pair: pair[1])
        self.action.choices = [everything] + [SelectChoice(name, label) for name, label in labelled]
        self.object_type.choices = [everything] + [SelectChoice(table, kind) for table, (_, kind) in OBJECTS.items()]
