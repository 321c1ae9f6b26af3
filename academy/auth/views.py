"""Self-service account pages: register, sign in and out, profile, password."""
from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from academy.auth import consent, operations
from academy.auth.enums import ConsentKind
from academy.auth.limits import limit_resident_id_refusals, limit_sign_in
from academy.auth.forms import LoginForm, PasswordChangeForm, ProfileForm, RegistrationForm
from academy.core.pagecache import public_page
from academy.core.permissions import Role
from academy.core.views import attempt
from academy.core.urls import is_safe_local_path
from academy.extensions import db, limiter


def _failed(response) -> bool:
    return response.status_code != 302


def _start_session(user, remember: bool = False) -> None:
    session.clear()
    session.permanent = True
    login_user(user, remember=remember)


def register():
    if current_user.is_authenticated:
        return redirect(url_for("site.home"))
    form = RegistrationForm()
    done = form.validate_on_submit() and attempt(
        lambda: operations.register_worker(phone=form.phone.data, name=form.name.data, password=form.password.data,
                                           work_unit=form.work_unit.data, email=form.email.data,
                                           privacy_consent=form.privacy_consent.data),
        form=form,
        success=_("Welcome, %(name)s. Complete your profile so we can suggest the right courses.", name=form.name.data),
    )
    if done:
        _start_session(done.value)
        return redirect(url_for("auth.profile"))
    return render_template("auth/register.html", form=form)


# The empty forms are kept for anonymous visitors like the public pages (academy.core.pagecache: each with
# the visitor's own CSRF token); a POST, a signed-in visitor or a flashed message always reaches the view.
register = limiter.limit("10 per hour", methods=["POST"], deduct_when=_failed)(public_page(register))


# Where each role starts its work after signing in (any other role: the home page).
START_PAGES = {Role.WORKER: "enrolment.my_learning", Role.INSTRUCTOR: "courses.my_courses",
               Role.STREET_ADMIN: "reports.dashboard", Role.ADMIN: "reports.dashboard"}


def start_page(user) -> str:
    return url_for(START_PAGES.get(user.role, "site.home"))


def after_sign_in(user, target: str) -> str:
    """Where a fresh session goes: first to the privacy notice when a worker has not agreed to its current
    version (an account an administrator created, or a notice changed since), then on to `target`."""
    if user.role == Role.WORKER and not consent.holds_current_notice(consent.standing(user.id)):
        return url_for("privacy.notice_consent", next=target)
    return target


def login():
    if current_user.is_authenticated:
        return redirect(start_page(current_user))
    form = LoginForm()
    next_page = request.args.get("next")
    if form.validate_on_submit():
        user = operations.authenticate(form.phone.data, form.password.data)
        db.session.commit()  # the audit entry is kept whatever the outcome
        if user is None:
            # One message for every failure: it never tells which accounts exist.
            form.password.errors.append(_("The mobile number or password is wrong."))
        else:
            _start_session(user, remember=form.remember.data)
            return redirect(after_sign_in(user, next_page if is_safe_local_path(next_page) else start_page(user)))
    return render_template("auth/login.html", form=form)


login = limit_sign_in(public_page(login))  # failed sign-ins, counted per account, address and overall (auth/limits.py)


@login_required
def logout():
    # Ended on the server: the account's session version moves on, so this session's cookie, a copy
    # of it and the "keep me signed in" cookie are all refused from now on (on every device).
    operations.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    session["_remember"] = "clear"  # after the clear, which would drop it: Flask-Login deletes the cookie
    flash(_("You have signed out."), "info")
    return redirect(url_for("site.home"))


@login_required
def account():
    return render_template("auth/account.html", user=current_user)


@login_required
def profile():
    if current_user.role != Role.WORKER:
        return redirect(url_for("auth.account"))
    user = current_user._get_current_object()
    form = ProfileForm(obj=user.profile, name=user.name, email=user.email, work_unit=user.profile.work_unit)
    form.user_id = user.id
    id_consent_on_file = consent.holds(user.id, ConsentKind.RESIDENT_ID)
    if id_consent_on_file:
        del form.resident_id_consent
    if not form.is_submitted():
        form.resident_id.data = ""  # never echo the full ID number into the page
    if form.validate_on_submit():
        fields = {name: form[name].data for name in operations.PROFILE_FIELDS if name != "work_unit_id"}
        if not fields["resident_id"]:
            del fields["resident_id"]  # an empty field keeps the number on file
        def save():
            if fields.get("resident_id") and not id_consent_on_file:
                consent.give(user, ConsentKind.RESIDENT_ID)  # ticked: the form refuses a number without it
            operations.update_profile(user, name=form.name.data, email=form.email.data, work_unit=form.work_unit.data,
                                      **fields)

        if attempt(save, form=form, success=_("Your profile is saved.")):
            return redirect(url_for("auth.profile"))
    elif form.resident_id_conflict:
        g.resident_id_refused = True  # counted by the limit below
        operations.note_resident_id_conflict(user, form.resident_id.data)
        db.session.commit()
    return render_template("auth/profile.html", form=form, user=user)


profile = limit_resident_id_refusals(profile)  # a few refusals an hour per account and address


@login_required
def password():
    form = PasswordChangeForm()
    user = current_user._get_current_object()
    form.account = user  # the new password must not echo the account's number or name
    if form.validate_on_submit():
        if not user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        elif attempt(lambda: operations.change_password(user, form.password.data), form=form):
            _start_session(user)  # this session continues under the new version; others end
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form)
