"""A course's certificates as one ZIP, written by a job when the course has more than CERT_ZIP_JOB_COUNT:
open to who may open the course's certificate page (its instructors and the administrators)."""
import zipfile

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.certificates.models import Certificate
from academy.certificates.pdf import render_certificate
from academy.core.filenames import entry_name_part
from academy.courses.models import Course
from academy.extensions import db
from academy.jobs.kinds import JobKind, register


def course_certificates(course_id: int):
    return select(Certificate).where(Certificate.course_id == course_id,
                                     Certificate.revoked_at.is_(None)).order_by(Certificate.id)


def write_zip(handle, certs, verify_url, progress=None) -> None:
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, cert in enumerate(certs, start=1):
            # The holder's name is a user's words: no path, no control or bidi character in the entry.
            archive.writestr(f"{cert.serial}-{entry_name_part(cert.holder_name)}.pdf",
                             render_certificate(cert, verify_url(cert)))
            if progress is not None:
                progress(index)


def _may_edit(user, params) -> bool:
    course = db.session.get(Course, params.get("course_id"))
    return course is not None and course.can_edit(user)


def course_zip(run) -> None:
    course = db.session.get(Course, run.params["course_id"])
    certs = db.session.scalars(course_certificates(course.id)).all()
    run.progress(0, len(certs), force=True)
    base = (current_app.config.get("PUBLIC_BASE_URL") or run.params.get("base") or "").rstrip("/")
    urls = current_app.url_map.bind("localhost")

    def verify_url(cert):
        return base + urls.build("certificates.verify", {"code": cert.verification_code})

    with run.open_result(f"{entry_name_part(course.code)}-certificates.zip", ".zip") as handle:
        write_zip(handle, certs, verify_url, run.progress)


register(JobKind("certificates_zip", _l("A course's certificates (ZIP)"), course_zip, _may_edit,
                 back="courses.my_courses"))
