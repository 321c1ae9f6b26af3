"""Workers enrol and withdraw; staff approve, reject and keep the roster."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from academy.core.forms import ConfirmForm
from academy.core.permissions import Role, role_required
from academy.site.personal_pages import personal_page
from academy.core.views import attempt
from academy.courses.queries import get_course_or_404
from academy.enrolment import facts, operations, rules
from academy.enrolment.forms import ReasonForm, WithdrawForm
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.enrolment.queries import my_enrolments, roster_query, waitlist_positions_for
from academy.evaluations.queries import pending_for as evaluations_due
from academy.extensions import db

STAFF = (Role.INSTRUCTOR, Role.ADMIN)
ENROL_MESSAGES = {
    EnrolmentStatus.ENROLLED: _l("You are enrolled."),
    EnrolmentStatus.PENDING: _l("Your request is sent; you will be told when it is decided."),
    EnrolmentStatus.WAITLISTED: _l("The course is full: you are on the waitlist and will be told when a seat frees up."),
}
WITHDRAWN = _l("The withdrawal is recorded.")
ROSTER_PER_PAGE = 50  # a large course's roster, a page at a time


@role_required(Role.WORKER)
def enrol(course_id):
    course = facts.course_facts(course_id)
    if course is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        # The status this request reached: another tab of the same worker may change it right after.
        done = attempt(lambda: operations.place(course, current_user))
        if done:
            flash(ENROL_MESSAGES[done.value[1]], "success")
    return redirect(url_for("courses.course_detail", course_id=course_id))


@personal_page(Role.WORKER)
@role_required(Role.WORKER)
def my_learning():
    enrolments = my_enrolments(current_user.id)
    groups = {status: [e for e in enrolments if e.status == status] for status in EnrolmentStatus}
    starts = rules.course_starts(enrolments)
    return render_template(
        "enrolment/my_learning.html", groups=groups, positions=waitlist_positions_for(enrolments),
        evaluations_due=evaluations_due(current_user.id),
        can_withdraw=lambda enrolment: rules.can_withdraw(enrolment, current_user, starts=starts),
    )


def _enrolment_or_404(enrolment_id) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id, options=[joinedload(Enrolment.course)])  # both are shown
    if enrolment is None:
        abort(404)
    return enrolment


@login_required
def withdraw(enrolment_id):
    """The worker withdraws themself; an administrator withdraws anyone (with a reason)."""
    if current_user.role == Role.WORKER:
        return _withdraw_own(enrolment_id)
    enrolment = _enrolment_or_404(enrolment_id)
    if current_user.role != Role.ADMIN:
        abort(403)
    form, back = ReasonForm(), url_for("enrolment.course_roster", course_id=enrolment.course_id)
    if form.validate_on_submit() and attempt(
        lambda: operations.withdraw(enrolment, actor=current_user, reason=form.reason.data), form=form,
        success=WITHDRAWN,
    ):
        return redirect(back)
    return render_template("enrolment/withdraw.html", form=form, enrolment=enrolment, back=back)


def _withdraw_own(enrolment_id):
    """A worker's own enrolment (another's is not found): the confirmation page, or the withdrawal."""
    form, back = WithdrawForm(), url_for("enrolment.my_learning")
    if form.is_submitted():
        mine = facts.own_enrolment(enrolment_id, current_user.id)
        if mine is None:
            abort(404)
        starts = {mine.course_id: rules.course_start(mine.course, mine.first_session)}
        if form.validate() and attempt(
                lambda: operations.withdraw(mine, actor=current_user, reason=form.reason.data, starts=starts),
                form=form, success=WITHDRAWN):
            return redirect(back)
    enrolment = _enrolment_or_404(enrolment_id)
    if enrolment.worker_id != current_user.id:
        abort(404)
    return render_template("enrolment/withdraw.html", form=form, enrolment=enrolment, back=back)


def _staff_enrolment(enrolment_id) -> Enrolment:
    enrolment = _enrolment_or_404(enrolment_id)
    if not enrolment.course.can_edit(current_user):
        abort(403)
    return enrolment


@role_required(*STAFF)
def reject(enrolment_id):
    enrolment = _staff_enrolment(enrolment_id)
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
        lambda: operations.reject(enrolment, actor=current_user, reason=form.reason.data), form=form,
        success=_("The request is not approved; the worker is told why."),
    ):
        if request.args.get("back") == "roster":
            return redirect(url_for("enrolment.course_roster", course_id=enrolment.course_id))
        return redirect(url_for("enrolment.course_approvals", course_id=enrolment.course_id))
    return render_template("enrolment/reject.html", form=form, enrolment=enrolment)


@role_required(*STAFF)
def course_roster(course_id):
    course = get_course_or_404(course_id, editable=True)
    page = db.paginate(roster_query(course_id), per_page=ROSTER_PER_PAGE, max_per_page=ROSTER_PER_PAGE,
                       error_out=False)
    return render_template(
        "enrolment/roster.html", course=course, page=page, enrolments=page.items,
        positions=waitlist_positions_for(page.items), statuses=EnrolmentStatus,
    )
