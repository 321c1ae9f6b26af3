from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, URL, ValidationError

from academy.core.forms import (
    EnumSelectField, FilterForm, ModelSelectField, ModelSelectMultipleField, empty_to_none, strip_text,
)
from academy.orgs.models import OrgKind, OrgUnit, subdistrict_options
from academy.partners.models import Agreement, AgreementStatus, AgreementType, Partner, PartnerKind
from academy.programmes.models import Programme


def partner_options():
    return select(Partner).order_by(Partner.id)


def programme_options():
    return select(Programme).order_by(Programme.sort_order)


def agreement_options():
    return select(Agreement).order_by(Agreement.effective_from.desc().nulls_last(), Agreement.id.desc())


def community_options():
    return select(OrgUnit).where(OrgUnit.kind.in_((OrgKind.COMMUNITY, OrgKind.AGENCY))).order_by(OrgUnit.name_zh)


def optional_text(label, max_length):
    return StringField(label, [Optional(), Length(max=max_length)], filters=[strip_text, empty_to_none])


class PartnerForm(FlaskForm):
    name_zh = StringField(_l("Chinese name"), [DataRequired(_l("Enter the Chinese name.")), Length(max=120)],
                          filters=[strip_text])
    name_en = optional_text(_l("English name"), 200)
    kind = EnumSelectField(_l("Kind"), [InputRequired()], enum=PartnerKind)
    contact_person = optional_text(_l("Contact person"), 60)
    phone = optional_text(_l("Phone"), 30)
    email = EmailField(_l("Email"), [Optional(), Length(max=254), Email(_l("Enter a valid email address, or leave the field empty."))],
                       filters=[strip_text, empty_to_none])
    address = optional_text(_l("Address"), 300)
    website = URLField(_l("Website"), [Optional(), URL(message=_l("Enter a full web address starting with http:// or https://.")),
                                       Length(max=300)], filters=[strip_text, empty_to_none])
    notes = TextAreaField(_l("Notes"), [Optional(), Length(max=4000)], filters=[strip_text, empty_to_none])
    submit = SubmitField(_l("Save partner"))


class AgreementForm(FlaskForm):
    title = StringField(_l("Agreement title"), [DataRequired(_l("Enter a title.")), Length(max=200)], filters=[strip_text])
    type = EnumSelectField(_l("Type"), [InputRequired()], enum=AgreementType)
    number = optional_text(_l("Agreement number"), 60)
    parties = ModelSelectMultipleField(_l("Parties"), [DataRequired(_l("Choose at least one party."))],
                                       query_factory=partner_options, render_kw={"size": 4})
    signed_on = DateField(_l("Signed on"), [Optional()], description=_l("Leave empty while it is a draft."))
    effective_from = DateField(_l("Effective from"), [Optional()])
    effective_to = DateField(_l("Effective to"), [Optional()], description=_l("Leave empty when open-ended."))
    scope = TextAreaField(_l("Scope"), [Optional(), Length(max=8000)], filters=[strip_text], default="",
                          render_kw={"rows": 4})
    programmes = ModelSelectMultipleField(_l("Programmes it serves"), query_factory=programme_options,
                                          render_kw={"size": 8})
    responsible_staff = optional_text(_l("Responsible staff"), 200)
    document = FileField(_l("Signed document (PDF, at most 20 MB)"))
    submit = SubmitField(_l("Save agreement"))

    def validate_effective_to(self, field):
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError(_l("It cannot end before it takes effect."))


class RenewForm(FlaskForm):
    number = optional_text(_l("Number of the renewed agreement"), 60)
    signed_on = DateField(_l("Signed on"), [Optional()])
    effective_from = DateField(_l("Effective from"), [DataRequired(_l("Enter when it takes effect."))])
    effective_to = DateField(_l("Effective to"), [Optional()], description=_l("Leave empty when open-ended."))
    document = FileField(_l("Signed document (PDF, at most 20 MB)"))
    submit = SubmitField(_l("Renew"))

    validate_effective_to = AgreementForm.validate_effective_to


class TerminateForm(FlaskForm):
    terminated_on = DateField(_l("Terminated on"), [DataRequired(_l("Enter the date."))])
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=2000)], filters=[strip_text])
    submit = SubmitField(_l("Terminate"))


class PracticeBaseForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(_l("Enter a name.")), Length(max=120)], filters=[strip_text])
    host_partner = ModelSelectField(_l("Host partner"), query_factory=partner_options, blank_label=_l("— none —"))
    host_unit = ModelSelectField(_l("Host community or agency"), query_factory=community_options,
                                 blank_label=_l("— none —"))
    subdistrict = ModelSelectField(_l("Subdistrict"), [DataRequired(_l("Choose the subdistrict."))],
                                   query_factory=subdistrict_options, blank_label=_l("— choose —"))
    address = optional_text(_l("Address"), 300)
    capacity = IntegerField(_l("Capacity (people at a time)"), [Optional(), NumberRange(0, 10000,
                                                                _l("Capacity cannot be negative."))])
    agreement = ModelSelectField(_l("Agreement behind it"), query_factory=agreement_options, label_attr="title",
                                 blank_label=_l("— none —"))
    submit = SubmitField(_l("Save practice base"))

    def validate_host_unit(self, field):
        if self.host_partner.data is None and field.data is None:
            raise ValidationError(_l("Name the host: a partner or a community."))


class AgreementFilterForm(FilterForm):
    status = SelectField(_l("Status"), [Optional()])
    type = SelectField(_l("Type"), [Optional()])
    partner = SelectField(_l("Partner"), [Optional()])
    programme = SelectField(_l("Programme"), [Optional()])

    def set_choices(self, partners, programmes):
        everything = SelectChoice("", _l("All"))
        self.status.choices = [everything] + [SelectChoice(s.value, s.label) for s in AgreementStatus]
        self.type.choices = [everything] + [SelectChoice(t.value, t.label) for t in AgreementType]
        self.partner.choices = [everything] + [SelectChoice(str(p.id), p.name) for p in partners]
        self.programme.choices = [everything] + [SelectChoice(p.code.lower(), p.short_name) for p in programmes]

