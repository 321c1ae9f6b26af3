"""Form helpers shared by every domain."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField, SubmitField
from wtforms.fields.choices import Choice, SelectChoice, SelectFieldBase
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, Select

from academy.extensions import db


def strip_text(value):
    """Field filter: trim surrounding spaces, keep None as None."""
    return value.strip() if isinstance(value, str) else value


def empty_to_none(value):
    return value or None


OPTION, SELECTED = Markup('<option{} value="{}">{}</option>'), Markup(" selected")


class QuickSelect(Select):
    """The select widget, each plain option written by one format string instead of html_params: the
    same HTML (a test compares them), five times faster for the dozens of options on every filter bar."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        # Markup.format escapes the value and the label, as html_params does.
        return OPTION.format(SELECTED if choice.selected else "", choice.value, choice.label or choice.value)


class FilterForm(FlaskForm):
    """Filters read from the URL: a bad filter is dropped, never an error page."""

    class Meta:
        csrf = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field.widget, Select) and not field.widget.multiple:
                field.widget = QuickSelect()

    def valid_value(self, name):
        """The field's value when it is a real, valid choice, else None. Checked here because Optional()
        clears every error of input that is whitespace to str.strip() (even U+0085), choice errors too."""
        field = self[name]
        data = field.data.strip() if isinstance(field.data, str) else field.data
        if not data or field.errors:
            return None
        if isinstance(field, SelectField) and data not in {str(choice[0]) for choice in field.iter_choices()}:
            return None
        return data


class EnumSelectField(SelectField):
    """A select over an enum whose members have a `label`; `data` is the member or None."""

    def __init__(self, label=None, validators=None, enum=None, members=None, blank_label=None, **kwargs):
        self.enum = enum
        self.members = tuple(members or enum)
        super().__init__(
            label,
            validators,
            choices=lambda: ([SelectChoice("", blank_label)] if blank_label is not None else [])
            + [SelectChoice(member.value, member.label) for member in self.members],
            coerce=lambda value: enum(value) if value not in (None, "") else None,
            **kwargs,
        )

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Not a valid choice.")) from None

    def pre_validate(self, form):
        if self.data is not None and self.data not in self.members:
            raise ValidationError(_l("Not a valid choice."))


class ModelSelectField(SelectFieldBase):
    """A select whose choices are rows; `data` is the row (or None). Choices load once per form.

    `references=(kept, Model)` instead of a query: the choices are the process's kept reference data
    (`kept()` returns objects with the row's id and label, academy.programmes.names), so that showing the
    form reads no table; a submitted choice is then read as its row of `Model`. `label_attr` and `group_by`
    then receive the kept objects, not rows."""

    widget = Select()

    def __init__(
        self, label=None, validators=None, query_factory=None, label_attr="name", blank_label=None,
        group_by=None, references=None, **kwargs,
    ):
        self.query_factory = query_factory
        self.references = references
        self.label_attr = label_attr
        self.blank_label = blank_label
        self.group_by = group_by  # row -> group label, for <optgroup>
        self._rows = None
        super().__init__(label, validators, **kwargs)

    @property
    def rows(self):
        if self._rows is None:
            found = self.references[0]() if self.references else db.session.scalars(self.query_factory())
            self._rows = {str(row.id): row for row in found}
        return self._rows

    def chosen_rows(self, keys: list[str]) -> list:
        """The rows of the submitted choices, in their order; None for a key that is not a choice."""
        offered = [self.rows.get(key) for key in keys]
        if not self.references or not offered or any(row is None for row in offered):
            return offered
        model = self.references[1]
        found = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_([r.id for r in offered])))}
        return [found.get(row.id) for row in offered]

    def _choice(self, key, row):
        return Choice(key, getattr(row, self.label_attr), self.data is not None and self.data.id == row.id, {})

    def iter_choices(self):
        if self.blank_label is not None:
            yield Choice("", self.blank_label, self.data is None, {})
        for key, row in self.rows.items():
            yield self._choice(key, row)

    def has_groups(self):
        return self.group_by is not None

    def iter_groups(self):
        if self.blank_label is not None:
            yield (None, [Choice("", self.blank_label, self.data is None, {})])
        groups: dict[str, list] = {}
        for key, row in self.rows.items():
            groups.setdefault(self.group_by(row), []).append(self._choice(key, row))
        yield from groups.items()

    def process_data(self, value):
        self.data = value

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            self.data = self.chosen_rows(valuelist[:1])[0]
            if self.data is None:
                raise ValueError(_l("Not a valid choice.")) from None
        else:
            self.data = None

    def pre_validate(self, form):
        """Unknown ids are refused in process_formdata; an empty choice is left to the validators."""


class ModelSelectMultipleField(ModelSelectField):
    """Several rows from a select; `data` is a list of rows."""

    widget = Select(multiple=True)

    def _choice(self, key, row):
        chosen = {item.id for item in (self.data or [])}
        return Choice(key, getattr(row, self.label_attr), row.id in chosen, {})

    def process_data(self, value):
        self.data = list(value or [])

    def process_formdata(self, valuelist):
        rows = self.chosen_rows([key for key in valuelist if key])
        if any(row is None for row in rows):
            self.data = [row for row in rows if row is not None]
            raise ValueError(_l("Not a valid choice.")) from None
        self.data = rows


def decimal_in_half_steps(value) -> bool:
    return value is not None and (value * 2) == (value * 2).to_integral_value()


class ConfirmForm(FlaskForm):
    """An empty form for buttons that change state: it carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
