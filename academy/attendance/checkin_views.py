"""The projector screen for a session's QR check-in, its two small JSON feeds, and the worker's scan pages."""

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from academy.attendance import checkin
from academy.attendance.checkin_operations import (
    AlreadyScanned, live_count, refusal, scan_state, session_and_state, session_for_code, take_scan,
)
from academy.attendance.forms import CheckinCodeForm, ScanForm
from academy.attendance.models import ScanDirection
from academy.core.permissions import Role, role_required
from academy.courses.models import CourseSession
from academy.courses.queries import get_course_or_404
from academy.extensions import db, limiter

STAFF = (Role.INSTRUCTOR, Role.ADMIN)


def _direction() -> ScanDirection:
    return ScanDirection.OUT if request.args.get("direction") == "out" else ScanDirection.IN


def _staff_session(course_id, session_id) -> CourseSession:
    course = get_course_or_404(course_id, editable=True)
    session = next((item for item in course.sessions if item.id == session_id), None)
    if session is None:
        abort(404)
    return session


def _scan_url(session_id: int, direction: ScanDirection) -> str:
    return url_for("attendance.scan", session_id=session_id, t=checkin.make_token(session_id, direction),
                   _external=True)


@role_required(*STAFF)
def checkin_screen(course_id, session_id):
    """The projector: a QR code renewed every 30 seconds, the 6-digit code, and the live count."""
    session = _staff_session(course_id, session_id)
    direction = _direction()
    if direction == ScanDirection.OUT and not session.course.signout_scan:
        abort(404)
    size, path = checkin.qr_path(_scan_url(session.id, direction))
    count = live_count(session.course_id, session.id, current_user)
    return render_template(
        "attendance/checkin_screen.html", course=session.course, session=session, direction=direction,
        size=size, path=path, code=checkin.current_code(session.id, direction), count=count,
        window=checkin.window(session, session.course, direction),
        rotate=checkin.rotate_seconds(), next_in=checkin.seconds_to_next_step(),
    )


@role_required(*STAFF)
def checkin_qr(course_id, session_id):
    """A fresh QR code and 6-digit code for the screen (no SQL beyond the course's own check)."""
    session = _staff_session(course_id, session_id)
    direction = _direction()
    if direction == ScanDirection.OUT and not session.course.signout_scan:
        abort(404)
    size, path = checkin.qr_path(_scan_url(session.id, direction))
    response = jsonify(size=size, path=path, code=checkin.current_code(session.id, direction),
                       next_in=checkin.seconds_to_next_step())
    response.headers["Cache-Control"] = "no-store"
    return response


@role_required(*STAFF)
def checkin_live(course_id, session_id):
    """The count and latest names the screen polls: one statement beside loading the signed-in user."""
    found = live_count(course_id, session_id, current_user)
    if found is None or not found[3]:
        abort(404)
    checked_in, seats, names, _allowed = found
    response = jsonify(count=checked_in, seats=seats, names=[{"name": n, "time": t} for n, t in names],
                       label=_("Checked in %(count)d / %(seats)d", count=checked_in, seats=seats))
    response.headers["Cache-Control"] = "no-store"
    return response


def _scan_key() -> str:
    return f"checkin:{getattr(current_user, 'id', None)}"


def _limited(view):
    return limiter.limit(lambda: current_app.config["CHECKIN_RATE_LIMIT"], methods=["POST"], key_func=_scan_key)(view)


def _outcome(session, direction, *, by_code: bool, state=None):
    """Take the scan and commit; (category, message)."""
    try:
        scan = take_scan(session, current_user, direction, by_code=by_code, state=state)
    except AlreadyScanned as done:
        db.session.rollback()
        return "info", str(done.message)
    except checkin.CheckinRefused as refused:
        db.session.rollback()
        return "danger", str(refused.message)
    try:
        db.session.commit()
    except IntegrityError:  # the same worker's second scan, a moment apart: the first one counts
        db.session.rollback()
        return "info", _("You have already scanned for this session.")
    if direction == ScanDirection.IN:
        return "success", _("Checked in at %(time)s.", time=checkin.local_time(scan.at))
    return "success", _("Signed out at %(time)s.", time=checkin.local_time(scan.at))


@role_required(Role.WORKER)
def scan(session_id):
    """Where the phone's camera leads: the session and what the scan would do; the button takes it."""
    session, state = session_and_state(session_id, current_user)
    if session is None or not session.course.is_public:
        abort(404)
    form = ScanForm()
    if form.validate_on_submit():
        try:
            direction = checkin.read_token(form.token.data, session.id)
        except checkin.CheckinRefused as refused:
            result = ("danger", str(refused.message))
        else:
            result = _outcome(session, direction, by_code=False, state=state)
        if result[0] != "danger":
            flash(result[1], result[0])
            return redirect(url_for("attendance.scan", session_id=session.id))
        return _scan_page(session, form, result), 422
    form.token.data = request.args.get("t", "")
    return _scan_page(session, form, None, state)


def _scan_page(session, form, result, state=None):
    if state is None:  # after a refused scan, read again: the transaction was rolled back
        state = scan_state(session, current_user)
    direction = None
    if result is None and form.token.data:
        try:
            direction = checkin.read_token(form.token.data, session.id)
        except checkin.CheckinRefused as refused:
            result = ("danger", str(refused.message))
        else:
            found = refusal(session, state, direction, checkin.clock())
            if found is not None:
                result = ("info" if isinstance(found, AlreadyScanned) else "danger", str(found.message))
                direction = None
    return render_template("attendance/scan.html", session=session, course=session.course, form=form,
                           result=result, state=state, direction=direction)


scan = _limited(scan)


@role_required(Role.WORKER)
def scan_code():
    """For those who cannot scan: the 6-digit code shown under the QR code."""
    form = CheckinCodeForm()
    result = None
    if form.validate_on_submit():
        found = session_for_code(current_user, form.code.data)
        if found is None:
            result = ("danger", _("This code is not valid or has expired."))
        else:
            session, direction = found
            result = _outcome(session, direction, by_code=True)
            if result[0] != "danger":
                flash(result[1], result[0])
                return redirect(url_for("attendance.scan", session_id=session.id))
    status = 422 if result is not None or form.errors else 200
    return render_template("attendance/scan_code.html", form=form, result=result), status


scan_code = _limited(scan_code)
