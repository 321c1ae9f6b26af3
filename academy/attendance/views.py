"""Instructors keep attendance and finalise results; workers see their own marks."""
from decimal import Decimal

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from academy.attendance import operations
from academy.attendance.checkin_operations import scan_times
from academy.attendance.forms import attendance_form, results_form
from academy.attendance.models import AttendanceMark, Mark
from academy.core.models import now_utc
from academy.core.permissions import Role, role_required
from academy.core.views import attempt
from academy.courses.models import CourseSession
from academy.courses.queries import get_course_or_404, load_course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db

STAFF = (Role.INSTRUCTOR, Role.ADMIN)


@role_required(*STAFF)
def attendance_sheet(course_id, session_id):
    course = get_course_or_404(course_id, editable=True)
    session = next((item for item in course.sessions if item.id == session_id), None)
    if session is None:
        abort(404)
    enrolments = operations.sheet_enrolments(course)
    current = operations.marks_of(session)
    form = attendance_form(enrolments, current)
    if form.validate_on_submit():
        marks = {enrolment.id: Mark(field.data) for enrolment, field in form.rows}
        if attempt(lambda: operations.save_marks(session, marks, actor=current_user, reason=form.reason.data),
                   success=_("Attendance is saved.")):
            return redirect(url_for("attendance.course_results", course_id=course.id))
    return render_template("attendance/sheet.html", course=course, session=session, form=form, saved=bool(current),
                           not_started=now_utc() < session.starts_at, scans=scan_times(session.id))


@role_required(*STAFF)
def course_results(course_id):
    course = get_course_or_404(course_id, editable=True)
    enrolments = operations.sheet_enrolments(course)
    form = results_form([e for e in enrolments if e.status == EnrolmentStatus.ENROLLED],
                        with_scores=course.pass_mark is not None)
    confirming = False
    if form.validate_on_submit():
        scores = {enrolment_id: field.data for enrolment_id, field in form.scores.items()}
        if form.confirmed.data == "yes":
            done = attempt(lambda: operations.finalise(course, actor=current_user, scores=scores))
            if done:
                completed = sum(1 for e in done.value if e.status == EnrolmentStatus.COMPLETED)
                flash(_("Results are finalised: %(completed)d completed and received their certificates, "
                        "%(not_completed)d did not complete.", completed=completed,
                        not_completed=len(done.value) - completed), "success")
                return redirect(url_for("attendance.course_results", course_id=course.id))
        else:
            confirming = True  # the page shows what finalising will do and asks once more
            form.confirmed.data = "yes"
    hours = operations.attended_hours(course)
    total = sum((item.hours for item in course.sessions), Decimal("0"))
    preview = []
    for enrolment in enrolments:
        attended = hours.get(enrolment.id, Decimal("0"))
        field = form.scores.get(enrolment.id)
        completes, reason = operations.judge(course, attended, field.data if field is not None else enrolment.score)
        preview.append((enrolment, operations.rate_percent(attended, total), completes, reason, field))
    unmarked = operations.unmarked_sessions(course)
    return render_template(
        "attendance/results.html", course=course, form=form, preview=preview,
        problems=operations.finalise_problems(course, missing=unmarked), unmarked={s.id for s in unmarked},
        started=len(unmarked) < len(course.sessions),  # before any mark, a rate of 0% would say the wrong thing
        confirming=confirming,
    )


@role_required(Role.WORKER)
def my_enrolment(enrolment_id):
    """A worker's own enrolment: status history and attendance marks (another worker's is a 404)."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.worker_id != current_user.id:
        abort(404)
    course = load_course(enrolment.course_id)
    marks = {m.session_id: m for m in db.session.scalars(
        select(AttendanceMark).join(CourseSession).where(AttendanceMark.enrolment_id == enrolment.id))}
    return render_template("attendance/my_enrolment.html", enrolment=enrolment, course=course, marks=marks)
