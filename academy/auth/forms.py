"""Account forms: registration, sign-in, profile, passwords, administrator-created accounts."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.auth.enums import Education, Gender
from academy.auth.operations import find_user_by_phone, resident_id_taken
from academy.core.forms import EnumSelectField, ModelSelectField, empty_to_none, strip_text
from academy.core.permissions import Role
from academy.core.validators import MainlandMobile, ResidentIdNumber, StrongPassword
from academy.orgs.models import subdistrict_options, work_unit_options


def work_unit_field(label=_l("Work unit")):
    return ModelSelectField(
        label,
        [DataRequired(_l("Choose your community, agency or subdistrict office."))],
        query_factory=work_unit_options,
        group_by=lambda unit: unit.subdistrict_name,
        blank_label=_l("— choose —"),
        description=_l("The community, agency or subdistrict office you work for."),
    )


class UniquePhoneMixin:
    def validate_phone(self, field):
        if find_user_by_phone(field.data) is not None:
            raise ValidationError(_l("An account with this mobile number already exists. Sign in instead."))


class RegistrationForm(UniquePhoneMixin, FlaskForm):
    name = StringField(_l("Name"), [DataRequired(_l("Enter your name.")), Length(max=50)], filters=[strip_text])
    phone = StringField(
        _l("Mobile number"), [DataRequired(_l("Enter your mobile number.")), MainlandMobile()],
        filters=[strip_text], description=_l("You sign in with this number."),
        render_kw={"inputmode": "numeric", "autocomplete": "tel"},
    )
    email = EmailField(
        _l("Email (optional)"), [Optional(), Length(max=254), Email(_l("Enter a valid email address, or leave the field empty."))], filters=[strip_text, empty_to_none],
        render_kw={"autocomplete": "email"},
    )
    work_unit = work_unit_field()
    password = PasswordField(
        _l("Password"), [DataRequired(_l("Choose a password.")), StrongPassword(("name", "phone"))],
        description=_l("At least 8 characters. A few unrelated words together make a strong password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        [DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    privacy_consent = BooleanField(
        _l("I have read the privacy notice and agree to my personal information being processed as it describes."),
        [DataRequired(_l("Read the privacy notice and tick the box: an account cannot be opened without it."))])
    submit = SubmitField(_l("Create my account"))


class LoginForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"), [DataRequired(_l("Enter your mobile number."))], filters=[strip_text],
        render_kw={"inputmode": "numeric", "autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"), [DataRequired(_l("Enter your password."))], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class SmsPhoneForm(FlaskForm):
    """Signing in by SMS, first step: the number to send a code to."""

    phone = StringField(
        _l("Mobile number"), [DataRequired(_l("Enter your mobile number.")), MainlandMobile()], filters=[strip_text],
        render_kw={"inputmode": "numeric", "autocomplete": "tel"},
    )
    submit = SubmitField(_l("Send me a code"))


class SmsCodeForm(FlaskForm):
    """Signing in by SMS, second step: the six digits received."""

    code = StringField(
        _l("Code"), [DataRequired(_l("Enter the six digits of the code.")),
                     Regexp(r"^\d{6}$", message=_l("Enter the six digits of the code."))],
        filters=[strip_text], render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6},
    )
    submit = SubmitField(_l("Sign in"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), [DataRequired(_l("Enter your name.")), Length(max=50)], filters=[strip_text])
    email = EmailField(_l("Email (optional)"), [Optional(), Length(max=254), Email(_l("Enter a valid email address, or leave the field empty."))], filters=[strip_text, empty_to_none])
    work_unit = work_unit_field()
    gender = EnumSelectField(_l("Gender"), [Optional()], enum=Gender, blank_label=_l("— not given —"))
    education = EnumSelectField(
        _l("Highest education"), [Optional()], enum=Education, blank_label=_l("— not given —")
    )
    resident_id = StringField(
        _l("Resident ID number"), [Optional(), ResidentIdNumber()], filters=[strip_text, empty_to_none],
        description=_l("Shown masked everywhere; leave empty to keep the number on file. Needed for certificates."),
    )
    years_in_service = IntegerField(
        _l("Years in service"), [Optional(), NumberRange(0, 60, _l("Enter a number of years from 0 to 60."))]
    )
    post = StringField(_l("Post"), [Optional(), Length(max=60)], filters=[strip_text, empty_to_none])
    # Removed by the view when the worker's consent is on file already.
    resident_id_consent = BooleanField(
        _l("I consent to the academy processing my resident ID number, sensitive personal information, for "
           "certificates, the qualification registry and exam subsidies. I can withdraw this at any time."))
    submit = SubmitField(_l("Save profile"))

    resident_id_conflict = False

    def validate_resident_id_consent(self, field):
        if self.resident_id.data and not field.data:
            raise ValidationError(_l("An ID number is sensitive personal information: tick the box to consent to it "
                                     "being kept, or leave the number empty."))

    def validate_resident_id(self, field):
        # Worded to tell no more than that this number cannot be saved here (the view counts these
        # refusals and audits them for an administrator to resolve).
        if field.data and resident_id_taken(field.data, exclude_user_id=getattr(self, "user_id", None)):
            self.resident_id_conflict = True
            raise ValidationError(_l("This ID number cannot be saved. Check it; if it is right, contact the "
                                     "academy, who will resolve it."))


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), [DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"), [DataRequired(_l("Choose a password.")), StrongPassword()],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        [DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class UserCreateForm(UniquePhoneMixin, FlaskForm):
    """Administrators create accounts of any role."""

    role = EnumSelectField(_l("Role"), [InputRequired()], enum=Role)
    name = StringField(_l("Name"), [DataRequired(_l("Enter a name.")), Length(max=50)], filters=[strip_text])
    phone = StringField(
        _l("Mobile number"), [DataRequired(_l("Enter the mobile number.")), MainlandMobile()], filters=[strip_text]
    )
    email = EmailField(_l("Email (optional)"), [Optional(), Length(max=254), Email(_l("Enter a valid email address, or leave the field empty."))], filters=[strip_text, empty_to_none])
    street = ModelSelectField(
        _l("Subdistrict (for a subdistrict administrator; for a judge, their work unit's)"),
        query_factory=subdistrict_options,
        blank_label=_l("— none —"),
    )
    work_unit = ModelSelectField(
        _l("Work unit (for a social worker)"), query_factory=work_unit_options,
        group_by=lambda unit: unit.subdistrict_name, blank_label=_l("— none —"),
    )
    password = PasswordField(
        _l("Initial password"), [DataRequired(_l("Choose a password.")), StrongPassword(("name", "phone"))],
        description=_l("Give it to the person; they can change it after signing in."),
    )
    submit = SubmitField(_l("Create account"))

    def validate_street(self, field):
        if self.role.data == Role.STREET_ADMIN and field.data is None:
            raise ValidationError(_l("Choose the subdistrict this administrator looks after."))

    def validate_work_unit(self, field):
        if self.role.data == Role.WORKER and field.data is None:
            raise ValidationError(_l("Choose the worker's community, agency or subdistrict office."))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), [DataRequired(_l("Choose a password.")), StrongPassword()])
    submit = SubmitField(_l("Reset password"))


class NewPasswordForm(FlaskForm):
    """A new password set through a one-time link."""

    password = PasswordField(_l("New password"), [DataRequired(_l("Choose a password.")), StrongPassword()],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        _l("Repeat the new password"),
        [DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set the password"))
