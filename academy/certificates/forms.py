from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from academy.core.forms import strip_text


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a public lookup that changes nothing

    code = StringField(_l("Verification code or serial number"),
                       [DataRequired(_l("Enter the verification code or the serial number printed on the certificate.")),
                                                Length(max=40)], filters=[strip_text],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    submit = SubmitField(_l("Check"))


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), [DataRequired(_l("Give the reason.")), Length(max=1000)], filters=[strip_text])
    submit = SubmitField(_l("Revoke certificate"))
