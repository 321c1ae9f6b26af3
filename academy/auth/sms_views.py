"""Signing in with a code sent by SMS: the number, then the code (auth/sms.py). Both pages answer 404
while SMS_SIGNIN_ENABLED is off."""
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.auth import sms
from academy.auth.forms import SmsCodeForm, SmsPhoneForm
from academy.auth.limits import login_identifier
from academy.auth.views import _start_session, after_sign_in, start_page
from academy.core.masking import mask_phone
from academy.core.validators import normalise_phone
from academy.extensions import db, limiter

# One message for every refusal (wrong, expired, used, too many tries, no such account).
REFUSED = _l("The code is wrong, has expired or was tried too often. Check it, or ask for a new one.")


def _open():
    if not sms.enabled():
        abort(404)
    return redirect(start_page(current_user)) if current_user.is_authenticated else None


def sms_login():
    signed_in = _open()
    if signed_in:
        return signed_in
    form = SmsPhoneForm()
    if form.validate_on_submit():
        sms.request_code(form.phone.data)
        db.session.commit()  # the code and the audit entry, whatever the number
        session["sms_phone"] = normalise_phone(form.phone.data)
        # The same answer whether or not an account has the number: it never tells which accounts exist.
        flash(_("If an account has this number, a code is on its way to it, valid for %(minutes)s minutes.",
                minutes=current_app.config["SMS_CODE_VALID_MINUTES"]), "info")
        return redirect(url_for("auth.sms_code"))
    return render_template("auth/sms_login.html", form=form)


def sms_code():
    signed_in = _open()
    if signed_in:
        return signed_in
    phone = session.get("sms_phone")
    if not phone:
        return redirect(url_for("auth.sms_login"))
    form = SmsCodeForm()
    if form.validate_on_submit():
        user = sms.sign_in_with_code(phone, form.code.data)
        db.session.commit()  # the try and the audit entry are kept whatever the outcome
        if user is not None:
            _start_session(user)
            return redirect(after_sign_in(user, start_page(user)))
        form.code.errors.append(str(REFUSED))
    return render_template("auth/sms_code.html", form=form, phone=mask_phone(phone))


def _every_request(config_key, key_func):
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"], key_func=key_func)


# Codes asked for, per number (as the account knows it) and per address; wrong codes per address.
sms_login = _every_request("SMS_CODE_PHONE_RATE_LIMIT", lambda: f"sms-phone:{login_identifier()}")(sms_login)
sms_login = _every_request("SMS_CODE_ADDRESS_RATE_LIMIT", lambda: f"sms-address:{request.remote_addr}")(sms_login)
sms_code = limiter.limit(lambda: current_app.config["SMS_VERIFY_ADDRESS_RATE_LIMIT"], methods=["POST"],
                         key_func=lambda: f"sms-verify:{request.remote_addr}",
                         deduct_when=lambda response: response.status_code != 302)(sms_code)
