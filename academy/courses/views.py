"""The public catalogue and course pages."""
from flask import render_template, request
from flask_login import current_user

from academy.core.markdown import render_markdown
from academy.core.pagecache import public_page
from academy.core.permissions import Role
from academy.programmes.names import reference_names
from academy.courses.eligibility import describe_rules
from academy.courses.forms import CatalogueForm
from academy.courses.models import DeliveryMode
from academy.courses.queries import PAGE_SIZE, CatalogueFilters, catalogue_query, get_course_or_404
from academy.extensions import db
from academy.programmes.models import Tier


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


@public_page
def course_detail(course_id):
    course = get_course_or_404(course_id)
    # Imported here: enrolment builds on courses; the course page shows the enrol button.
    from academy.enrolment.rules import enrol_option

    show_enrol = not current_user.is_authenticated or current_user.role == Role.WORKER
    return render_template(
        "courses/detail.html", course=course, description=render_markdown(course.description),
        rules=describe_rules(course), option=enrol_option(course, current_user) if show_enrol else None,
    )
