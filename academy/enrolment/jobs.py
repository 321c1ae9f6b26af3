"""A class list of more than IMPORT_JOB_ROWS rows is written by a job after its preview."""
from flask_babel import lazy_gettext as _l

from academy.core.permissions import Role
from academy.enrolment.importer import apply, judge, parse_rows, read_table
from academy.jobs.imports import apply_kept_upload
from academy.jobs.kinds import JobKind, register


def count_rows(data: bytes) -> int:
    return len(parse_rows(read_table(data)))


def import_class_list(run) -> None:
    apply_kept_upload(run, lambda data: judge(parse_rows(read_table(data))), apply)


register(JobKind("enrolment_import", _l("Class-list import"), import_class_list,
                 lambda user, params: user.role == Role.ADMIN, back="enrolment.import_upload"))
