"""The approval queue: the courses with requests waiting (counts, waiting since), then one course's
requests a page at a time, approved there by ticking or refused one by one with a reason."""
from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from academy.core.models import now_utc
from academy.core.pagination import RowSelectPagination
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.courses.queries import get_course_or_404
from academy.enrolment import operations
from academy.enrolment.forms import ApprovalFilterForm, ApproveManyForm
from academy.enrolment.models import Enrolment
from academy.enrolment.queries import approval_groups, approval_queue
from academy.extensions import db
from academy.programmes.names import subdistrict_refs

STAFF = (Role.INSTRUCTOR, Role.ADMIN)
COURSES_PER_PAGE = 50
REQUESTS_PER_PAGE = 50
FILTERS = ("course", "subdistrict", "waiting")


def _filters(*, with_course: bool = True):
    """The form of the queue's filters and the query arguments its valid values give."""
    form = ApprovalFilterForm(request.args)
    form.set_choices(subdistrict_refs())
    form.validate()
    values = {"include_all": current_user.role == Role.ADMIN}
    if subdistrict := form.valid_value("subdistrict"):
        values["subdistrict_id"] = int(subdistrict)
    if waiting := form.valid_value("waiting"):
        values["waiting_before"] = now_utc() - timedelta(days=int(waiting))
    if with_course and (text := form.valid_value("course")):
        values["course_text"] = text
    return form, values


def _kept_filters() -> dict:
    """The filters in the address, to keep on the links between the queue's pages."""
    return {name: request.args[name] for name in FILTERS if request.args.get(name)}


@role_required(*STAFF)
def approvals():
    form, values = _filters()
    page = RowSelectPagination(select=approval_groups(current_user, **values), session=db.session,
                               per_page=COURSES_PER_PAGE, max_per_page=COURSES_PER_PAGE, error_out=False)
    return render_template("enrolment/approvals.html", page=page, form=form, filters=_kept_filters())


@role_required(*STAFF)
def course_approvals(course_id):
    course = get_course_or_404(course_id, editable=True, page=False)
    filters, values = _filters(with_course=False)
    form = ApproveManyForm()
    back = url_for("enrolment.course_approvals", course_id=course.id, **_kept_filters())
    if form.is_submitted():
        ticked = [value for value in request.form.getlist("enrolments", type=int)][:REQUESTS_PER_PAGE * 4]
        chosen = db.session.scalars(approval_queue(current_user, course_id=course.id, **values)
                                    .where(Enrolment.id.in_(ticked))).unique().all() if ticked else []
        form.enrolments.choices = [SelectChoice(e.id, e.worker.name) for e in chosen]
        if form.validate():
            attempt(lambda: [operations.approve(enrolment, actor=current_user) for enrolment in chosen],
                    success=_("%(count)d requests approved.", count=len(chosen)))
            return redirect(back)
    page = db.paginate(approval_queue(current_user, course_id=course.id, **values), per_page=REQUESTS_PER_PAGE,
                       max_per_page=REQUESTS_PER_PAGE, error_out=False)
    return render_template("enrolment/course_approvals.html", course=course, page=page, form=form,
                           filter_form=filters, filters=_kept_filters(), back=back)
