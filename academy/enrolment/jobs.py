"""A class list of more than IMPORT_JOB_ROWS rows is written by a job after its preview: judged again
against the database as it is then, the good rows applied in one transaction, the kept file forgotten."""
from flask_babel import lazy_gettext as _l

from academy.auth.models import User
from academy.core.errors import OperationError
from academy.core.imports import kept_upload
from academy.core.permissions import Role
from academy.enrolment.importer import apply, judge, parse_rows, read_table
from academy.extensions import db
from academy.jobs.kinds import JobError, JobKind, register
from academy.jobs.operations import write_lock


def import_class_list(run) -> None:
    path = kept_upload(run.params["token"])
    if not path.exists():
        raise JobError(_l("This preview has expired or was already used. Upload the file again."))
    rows = judge(parse_rows(read_table(path.read_bytes())))
    run.progress(0, len(rows), force=True)
    write_lock(db.session)
    try:
        written = apply(rows, actor=db.session.get(User, run.job.user_id))
    except OperationError as error:
        raise JobError(str(error.message)) from None
    path.unlink(missing_ok=True)  # it holds personal data
    run.done = written  # of run.total rows: the job page shows "written / rows"


register(JobKind("enrolment_import", _l("Class-list import"), import_class_list,
                 lambda user, params: user.role == Role.ADMIN, back="enrolment.import_upload"))
