"""The course's staff take the roster away: as CSV or XLSX (mobile numbers masked), and each session's
sign-in sheet as a PDF to print."""
import io

from flask import abort, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy.core.exports import csv_response, xlsx_response
from academy.core.filenames import entry_name_part
from academy.core.permissions import Role, role_required
from academy.courses.queries import get_course_or_404
from academy.enrolment.models import SEATED_STATUSES
from academy.enrolment.queries import roster, waitlist_positions_for
from academy.enrolment.sheets import sign_in_sheet

STAFF = (Role.INSTRUCTOR, Role.ADMIN)
ROSTER_HEADER = (_l("Name"), _l("Mobile number"), _l("Work unit"), _l("Subdistrict"), _l("Status"),
                 _l("Waitlist position"))


@role_required(*STAFF)
def roster_export(course_id):
    course = get_course_or_404(course_id, editable=True)
    export_format = request.args.get("format")
    if export_format not in ("csv", "xlsx"):
        abort(404)
    enrolments = roster(course.id)
    positions = waitlist_positions_for(enrolments)
    rows = [[e.worker.name, e.worker.masked_phone,
             e.worker.profile.work_unit.name if e.worker.profile else "",
             e.worker.profile.subdistrict.name if e.worker.profile else "", str(e.status.label),
             positions.get(e.id) or ""] for e in enrolments]
    header = [str(text) for text in ROSTER_HEADER]
    name = f"roster-{entry_name_part(course.code)}"
    if export_format == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, "roster", header, rows, [12, 14, 28, 14, 10, 10],
                         title=f"{_('Roster')} · {course.title}（{course.code}）")


@role_required(*STAFF)
def sign_in_sheet_pdf(course_id, session_id):
    course = get_course_or_404(course_id, editable=True)
    session = next((item for item in course.sessions if item.id == session_id), None)
    if session is None:
        abort(404)
    seated = [e for e in roster(course.id) if e.status in SEATED_STATUSES]
    data = sign_in_sheet(course, session, seated)
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"sign-in-{entry_name_part(course.code)}-{session.starts_at:%Y%m%d}.pdf")
