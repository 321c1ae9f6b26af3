"""The home page and the language switch (the health check: site/health.py)."""
from flask import current_app, redirect, render_template, send_from_directory, url_for
from flask_login import current_user

from academy.auth.operations import set_locale
from academy.core.i18n import LOCALE_COOKIE
from academy.core.pagecache import public_page
from academy.site.personal_pages import everyone_page
from academy.core.urls import is_safe_local_path
from academy.extensions import db
from academy.programmes.queries import programmes_by_tier
from academy.site.forms import LanguageForm

ONE_YEAR = 365 * 24 * 3600


@everyone_page
@public_page
def home():
    return render_template("site/home.html", tiers=programmes_by_tier())


def language():
    form = LanguageForm()
    target = form.next.data if is_safe_local_path(form.next.data) else url_for("site.home")
    response = redirect(target)
    if form.validate_on_submit():
        response.set_cookie(LOCALE_COOKIE, form.lang.data, max_age=ONE_YEAR, samesite="Lax", httponly=True)
        if current_user.is_authenticated:
            set_locale(current_user, form.lang.data)
            db.session.commit()
    return response


def favicon():
    """The academy's mark for browsers that ask /favicon.ico whatever the page links (an SVG)."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
