"""Shared form helpers: filters read from the URL, the quick select widget, and WTForms' own messages."""
from babel import support
from flask_babel import refresh
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from academy.core.forms import FilterForm, QuickSelect
from academy.core.i18n import LOCALE_COOKIE, _wtforms_catalogue


class StreetFilter(FilterForm):
    street = SelectField("街道")


def street_form(app, value):
    with app.test_request_context():
        form = StreetFilter(MultiDict({"street": value}))
        form.street.choices = [SelectChoice("", "全部"), SelectChoice("3", "东华门街道"),
                               SelectChoice("<4>", 'Tiantan "& Co"')]
        form.validate()
        return form


def test_the_quick_select_writes_exactly_what_the_standard_one_does(app):
    form = street_form(app, "<4>")
    assert isinstance(form.street.widget, QuickSelect)
    quick = form.street(class_="form-select")
    standard = Select()(form.street, class_="form-select")
    assert quick == standard
    assert '<option selected value="&lt;4&gt;">Tiantan &#34;&amp; Co&#34;</option>' in quick


def test_a_filter_keeps_real_choices_only(app):
    assert street_form(app, "3").valid_value("street") == "3"
    for bad in ("99", "\x85", " ", ""):
        assert street_form(app, bad).valid_value("street") is None, repr(bad)


class ChoiceForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(choices=[SelectChoice("a", "A")])


def choice_error(app, language):
    with app.test_request_context(headers={"Cookie": f"{LOCALE_COOKIE}={language}"}):
        refresh()  # the test's application context outlives the request: forget its language
        form = ChoiceForm(MultiDict({"kind": "b"}))
        assert not form.validate()
        return form.kind.errors[0], form.kind.label.text


def test_wtforms_own_messages_speak_the_request_language_from_a_catalogue_parsed_once(app, monkeypatch):
    parsed = []
    load = support.Translations.load
    monkeypatch.setattr(support.Translations, "load", lambda *a, **k: parsed.append(a) or load(*a, **k))
    _wtforms_catalogue.cache_clear()
    english = [choice_error(app, "en") for _ in range(3)]
    chinese = [choice_error(app, "zh_CN") for _ in range(3)]
    assert english == [("Not a valid choice.", "Kind")] * 3
    assert chinese[0][0] != "Not a valid choice." and "选" in chinese[0][0] and len(set(chinese)) == 1
    assert len(parsed) == 2  # one parse per language, not one per request
