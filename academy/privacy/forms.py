"""Forms of the privacy pages: consent, the closing request and an administrator's decision."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from academy.core.forms import empty_to_none, strip_text


class NoticeConsentForm(FlaskForm):
    agree = BooleanField(_l("I have read the privacy notice and agree to my personal information being processed "
                            "as it describes."), [DataRequired(_l("Tick the box to go on: the account rests on it."))])
    submit = SubmitField(_l("Agree and continue"))


class ClosureRequestForm(FlaskForm):
    reason = TextAreaField(_l("Why (optional)"), [Optional(), Length(max=500)], filters=[strip_text, empty_to_none])
    password = PasswordField(_l("Your password, to confirm it is you"), [DataRequired(_l("Enter your password."))])
    understood = BooleanField(
        _l("I understand that my account will no longer sign in, that my contact, identity and bank details will be "
           "cleared, and that my training records (courses, hours, certificates) are kept, as the rules on training "
           "records require."),
        [DataRequired(_l("Tick the box to confirm you understand what closing does."))])
    submit = SubmitField(_l("Ask for my account to be closed"))


DECISIONS = (("close", _l("Close the account")), ("refuse", _l("Do not close it")))


class ClosureDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), [InputRequired(_l("Choose a decision."))], choices=DECISIONS)
    note = TextAreaField(_l("Note to the worker (required when not closing)"), [Optional(), Length(max=500)],
                         filters=[strip_text, empty_to_none])
    submit = SubmitField(_l("Record the decision"))
