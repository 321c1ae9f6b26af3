"""An annual results list of more than IMPORT_JOB_ROWS rows is written by a job after its preview."""
from flask_babel import lazy_gettext as _l

from academy.core import imports
from academy.core.permissions import Role
from academy.jobs.imports import apply_kept_upload
from academy.jobs.kinds import JobKind, register
from academy.qualifications.importer import apply, judge, parse_rows


def count_rows(data: bytes) -> int:
    return len(parse_rows(imports.read_table(data)))


def import_results(run) -> None:
    apply_kept_upload(run, lambda data: judge(parse_rows(imports.read_table(data))), apply)


register(JobKind("results_import", _l("Annual results import"), import_results,
                 lambda user, params: user.role == Role.ADMIN, back="qualifications.import_upload"))
