"""Public programme pages and the administrators' text editor."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.core.pagecache import public_page
from academy.core.permissions import Role, role_required
from academy.site.personal_pages import everyone_page
from academy.courses.queries import upcoming_courses_of_programme
from academy.extensions import db
from academy.programmes import operations
from academy.programmes.forms import ProgrammeForm
from academy.programmes.queries import get_programme_by_slug, programmes_by_tier


def _programme_or_404(slug):
    programme = get_programme_by_slug(slug)
    if programme is None:
        abort(404)
    return programme


@everyone_page
@public_page
def programme_list():
    return render_template("programmes/list.html", tiers=programmes_by_tier())


@everyone_page
@public_page
def programme_detail(slug):
    programme = _programme_or_404(slug)
    if slug != programme.slug:
        return redirect(url_for("programmes.programme_detail", slug=programme.slug), 301)
    return render_template(
        "programmes/detail.html", programme=programme, courses=upcoming_courses_of_programme(programme)
    )


@role_required(Role.ADMIN)
def programme_edit(slug):
    programme = _programme_or_404(slug)
    form = ProgrammeForm(obj=programme)
    if form.validate_on_submit():
        values = {name: form[name].data for name in operations.EDITABLE_FIELDS}
        operations.update_programme(programme, actor=current_user, **values)
        db.session.commit()
        flash(_("The programme's texts are saved."), "success")
        return redirect(url_for("programmes.programme_detail", slug=programme.slug))
    return render_template("programmes/edit.html", programme=programme, form=form)
