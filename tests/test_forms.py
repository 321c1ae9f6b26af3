"""Shared form helpers: filters read from the URL, and the quick select widget."""
from werkzeug.datastructures import MultiDict
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import Select

from academy.core.forms import FilterForm, QuickSelect


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
