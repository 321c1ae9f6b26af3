"""Instructors' and administrators' course pages: my courses, edit, sessions, status, duplicate."""
from datetime import datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from academy.core.models import now_utc
from academy.core.i18n import local_datetime, local_to_utc, utc_to_local_naive
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.courses import operations
from academy.courses.forms import CourseForm, DuplicateForm, PublishForm, ReasonForm, RemoveSessionForm, SessionForm
from academy.courses.models import CourseSession, CourseStatus
from academy.courses.queries import courses_taught_by, get_course_or_404
from academy.extensions import db

STAFF = (Role.INSTRUCTOR, Role.ADMIN)


@role_required(*STAFF)
def my_courses():
    page = db.paginate(
        courses_taught_by(current_user, include_all=current_user.role == Role.ADMIN), per_page=30, error_out=False
    )
    return render_template("courses/manage/my_courses.html", page=page)


@role_required(*STAFF)
def course_create():
    form = CourseForm()
    if not form.is_submitted() and current_user.role == Role.INSTRUCTOR:
        form.instructors.data = [current_user._get_current_object()]
    done = form.validate_on_submit() and attempt(
        lambda: operations.create_course(actor=current_user, **form.values()), form=form,
        success=_("The course is saved as a draft. Add its sessions, then publish it."),
    )
    if done:
        return redirect(url_for("courses.course_manage", course_id=done.value.id))
    return render_template("courses/manage/course_form.html", form=form, course=None)


@role_required(*STAFF)
def course_manage(course_id):
    course = get_course_or_404(course_id, editable=True)
    return render_template(
        "courses/manage/course_manage.html", course=course, problems=operations.publish_problems(course),
        statuses=CourseStatus,
    )


@role_required(*STAFF)
def course_edit(course_id):
    course = get_course_or_404(course_id, editable=True)
    form = CourseForm(obj=course, course=course)
    if not form.is_submitted():
        form.enrol_opens_at.data = utc_to_local_naive(course.enrol_opens_at)
        form.enrol_closes_at.data = utc_to_local_naive(course.enrol_closes_at)
        form.credit_hours.data = None if course.hours_from_sessions else course.credit_hours
        form.approval.data = "required" if course.approval_required else "not_required"
        form.prerequisite_codes.data = ", ".join(item.code for item in course.prerequisites)
    if form.validate_on_submit() and attempt(
        lambda: operations.update_course(course, actor=current_user, **form.values()), form=form,
        success=_("The course is saved."),
    ):
        return redirect(url_for("courses.course_manage", course_id=course.id))
    return render_template("courses/manage/course_form.html", form=form, course=course)


def _session_or_404(course, session_id) -> CourseSession:
    session = next((item for item in course.sessions if item.id == session_id), None)
    if session is None:
        abort(404)
    return session


def _save_session(course, session):
    form = SessionForm(course=course)
    if session is not None and not form.is_submitted():
        local_start, local_end = utc_to_local_naive(session.starts_at), utc_to_local_naive(session.ends_at)
        form.day.data, form.start_time.data, form.end_time.data = local_start.date(), local_start.time(), local_end.time()
        form.topic.data, form.venue.data, form.instructor.data = session.topic, session.venue, session.instructor
        form.hours.data = None if session.hours_from_duration else session.hours
    saved = form.validate_on_submit() and attempt(
        lambda: operations.save_session(
            course, session, actor=current_user,
            starts_at=local_to_utc(datetime.combine(form.day.data, form.start_time.data)),
            ends_at=local_to_utc(datetime.combine(form.day.data, form.end_time.data)),
            topic=form.topic.data, venue=form.venue.data, instructor=form.instructor.data, hours=form.hours.data,
        ),
        form=form, success=_("The session is saved."),
    )
    if saved:
        for clash in operations.instructor_clashes(course, saved.value):
            flash(_("The instructor also teaches %(course)s at that time (%(when)s).", course=clash.course.title,
                    when=local_datetime(clash.starts_at)), "warning")
        return redirect(url_for("courses.course_manage", course_id=course.id))
    return render_template("courses/manage/session_form.html", form=form, course=course, session=session)


@role_required(*STAFF)
def session_create(course_id):
    return _save_session(get_course_or_404(course_id, editable=True), None)


@role_required(*STAFF)
def session_edit(course_id, session_id):
    course = get_course_or_404(course_id, editable=True)
    return _save_session(course, _session_or_404(course, session_id))


@role_required(*STAFF)
def session_remove(course_id, session_id):
    """Asks first, saying what removing the session changes; then removes it and says what it did."""
    course = get_course_or_404(course_id, editable=True)
    session = _session_or_404(course, session_id)
    form = RemoveSessionForm()
    if form.validate_on_submit():
        if form.confirmed.data != "yes":
            remaining = [item for item in course.sessions if item.id != session.id]
            return render_template("courses/manage/session_remove.html", course=course, session=session, form=form,
                                   remaining=len(remaining), remaining_hours=sum(item.hours for item in remaining))
        label = f"{session.topic} ({local_datetime(session.starts_at, '%Y-%m-%d %H:%M')})"
        attempt(lambda: operations.remove_session(course, session, actor=current_user),
                success=_("The session %(session)s is removed; the course now has %(count)d sessions.",
                          session=label, count=len(course.sessions) - 1))
    return redirect(url_for("courses.course_manage", course_id=course.id))


STATUS_MESSAGES = {
    CourseStatus.PUBLISHED: _l("The course is published in the catalogue."),
    CourseStatus.CLOSED: _l("Enrolment is closed."),
    CourseStatus.ARCHIVED: _l("The course is archived."),
}


@role_required(*STAFF)
def course_status(course_id, target):
    course = get_course_or_404(course_id, editable=True)
    if target not in {status.value for status in STATUS_MESSAGES}:
        abort(404)
    form = PublishForm()
    if form.validate_on_submit():
        closed = course.enrol_closes_at
        if target == CourseStatus.PUBLISHED.value and closed and now_utc() >= closed and form.confirmed.data != "yes":
            return render_template("courses/manage/confirm_publish.html", course=course, form=form, closed=closed)
        attempt(lambda: operations.change_status(course, CourseStatus(target), actor=current_user),
                success=STATUS_MESSAGES[CourseStatus(target)])
    return redirect(url_for("courses.course_manage", course_id=course.id))


@role_required(*STAFF)
def course_cancel(course_id):
    course = get_course_or_404(course_id, editable=True)
    form = ReasonForm()
    if form.validate_on_submit() and attempt(
        lambda: operations.change_status(course, CourseStatus.CANCELLED, actor=current_user, reason=form.reason.data),
        form=form, success=_("The course is cancelled."),
    ):
        return redirect(url_for("courses.course_manage", course_id=course.id))
    return render_template("courses/manage/course_cancel.html", form=form, course=course)


@role_required(*STAFF)
def course_duplicate(course_id):
    course = get_course_or_404(course_id, editable=True)
    form = DuplicateForm()
    done = form.validate_on_submit() and attempt(
        lambda: operations.duplicate_course(course, actor=current_user, code=form.code.data,
                                            starts_on=form.starts_on.data),
        form=form, success=_("The copy is saved as a draft with every date moved."),
    )
    if done:
        return redirect(url_for("courses.course_manage", course_id=done.value.id))
    return render_template("courses/manage/course_duplicate.html", form=form, course=course)
