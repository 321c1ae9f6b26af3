"""The public catalogue and course pages."""
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, render_template, request
from flask_login import current_user

from academy.core.markdown import render_markdown
from academy.core.models import now_utc
from academy.core.pagecache import public_page
from academy.core.permissions import Role
from academy.programmes.names import reference_names
from academy.site.personal_pages import everyone_page, personal_page
from academy.courses.eligibility import describe_rules
from academy.courses.forms import CatalogueForm
from academy.courses.models import DeliveryMode
from academy.courses.queries import PAGE_SIZE, CatalogueFilters, catalogue_query, get_course_or_404
from academy.extensions import db
from academy.programmes.models import Tier


@everyone_page
@public_page
def catalogue():
    form = CatalogueForm(request.args)
    names = reference_names()
    form.set_choices(names.programmes, names.subdistricts, list(Tier), list(DeliveryMode))
    form.validate()
    subdistrict = form.valid_value("subdistrict")
    filters = CatalogueFilters(
        q=form.valid_value("q"),
        programme=form.valid_value("programme"),
        tier=form.valid_value("tier"),
        mode=form.valid_value("mode"),
        subdistrict_id=int(subdistrict) if subdistrict else None,
        month=form.valid_value("month"),
        available=bool(form.available.data),
    )
    page = db.paginate(catalogue_query(filters), per_page=PAGE_SIZE, max_per_page=PAGE_SIZE, error_out=False)
    return render_template("courses/catalogue.html", form=form, page=page, filtered=any(request.args.values()))


@personal_page(Role.WORKER)  # the enrol box follows the worker's own enrolments and profile
@public_page
def course_detail(course_id):
    course = get_course_or_404(course_id)
    # Imported here: enrolment builds on courses; the course page shows the enrol button.
    from academy.enrolment.rules import enrol_option

    show_enrol = not current_user.is_authenticated or current_user.role == Role.WORKER
    option = enrol_option(course, current_user) if show_enrol else None
    return render_template(
        "courses/detail.html", course=course, description=render_markdown(course.description),
        rules=describe_rules(course), option=option, meeting=_meeting(course, option),
    )


class Meeting(NamedTuple):
    session: object  # the session open to join now, or None
    shown: bool  # the link, number and password are on the page
    staff: bool


def _meeting(course, option) -> Meeting | None:
    """What the page says of an online meeting: its details to the course's staff at any time and to its
    enrolled workers around a session (never to anyone else, nor on the page kept for visitors)."""
    if not course.has_meeting:
        return None
    staff = course.can_edit(current_user)
    enrolled = option is not None and option.enrolment is not None and option.enrolment.status.value == "enrolled"
    if not (staff or enrolled):
        return None
    before = timedelta(minutes=current_app.config["MEETING_SHOWN_BEFORE_MINUTES"])
    session = course.session_to_join(now_utc(), before)
    return Meeting(session, staff or session is not None, staff)
