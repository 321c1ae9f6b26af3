"""Bulk enrolment from a class list: read CSV (UTF-8 or GB18030, comma, tab or semicolon separated) or XLSX
(academy.core.imports), then judge every row before anything is written. Columns: mobile number or
resident ID number, course code, and optionally the worker's name, which is checked against the account."""
import enum
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from academy.audit.operations import record
from academy.auth.models import User, WorkerProfile
from academy.core.imports import ImportFileError, data_rows, read_table  # noqa: F401 (read_table: the importer's API)
from academy.core.i18n import local_today
from academy.core.validators import (
    is_mainland_mobile, is_resident_id, normalise_phone, normalise_resident_id, resident_id_problem,
)
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.enrolment.operations import place
from academy.enrolment.rules import NotPlaced, placement
from academy.extensions import db


class Outcome(enum.StrEnum):
    WILL_ENROL = "will_enrol"
    WILL_WAITLIST = "will_waitlist"
    UNKNOWN_WORKER = "unknown_worker"
    UNKNOWN_COURSE = "unknown_course"
    NOT_ELIGIBLE = "not_eligible"
    DUPLICATE = "duplicate"
    COURSE_FULL = "course_full"
    INVALID = "invalid"

    @property
    def label(self):
        return OUTCOME_LABELS[self]

    @property
    def is_good(self) -> bool:
        return self in (Outcome.WILL_ENROL, Outcome.WILL_WAITLIST)


OUTCOME_LABELS = {
    Outcome.WILL_ENROL: _l("Will enrol"),
    Outcome.WILL_WAITLIST: _l("Will join the waitlist"),
    Outcome.UNKNOWN_WORKER: _l("Unknown worker"),
    Outcome.UNKNOWN_COURSE: _l("Unknown course"),
    Outcome.NOT_ELIGIBLE: _l("Not eligible"),
    Outcome.DUPLICATE: _l("Duplicate"),
    Outcome.COURSE_FULL: _l("Course full"),
    Outcome.INVALID: _l("Invalid row"),
}


@dataclass
class ImportRow:
    line: int  # the row's number as the spreadsheet shows it (the header is row 1)
    identifier: str
    course_code: str
    name: str = ""
    outcome: Outcome | None = None
    detail: list = field(default_factory=list)
    warning: bool = False  # written, but a person should look (a name that differs from the account's)
    worker: User | None = None
    course: Course | None = None


def parse_rows(table: list[list[str]]) -> list[ImportRow]:
    """Rows of (identifier, course code, name); a first row that is a header is skipped."""
    return [ImportRow(line=line, identifier=cells[0], course_code=cells[1].upper(), name=re.sub(r"\s+", "", cells[2]))
            for line, cells in data_rows(table, key_column=0, width=3)]


def _worker_key(identifier: str) -> tuple[str, str] | None:
    phone = normalise_phone(identifier)
    if is_mainland_mobile(phone):
        return ("phone", phone)
    number = normalise_resident_id(identifier)
    if is_resident_id(number):
        return ("id", number)
    return None


def _why_invalid(row: ImportRow) -> list:
    """What is wrong with a row that names no worker or no course, in words."""
    reasons = []
    identifier = row.identifier.strip()
    if not identifier:
        reasons.append(_l("The first column is empty: give the worker's mobile number or resident ID number."))
    elif re.fullmatch(r"[\d\s+()-]{7,14}", identifier):
        reasons.append(_l("%(value)s is not a mainland mobile number (11 digits starting with 1).",
                          value=identifier))
    elif _worker_key(identifier) is None:
        reasons.append(resident_id_problem(normalise_resident_id(identifier), local_today())
                       or _l("Give the worker's mobile number or resident ID number."))
    if not row.course_code:
        reasons.append(_l("The second column is empty: give the course code."))
    return reasons


REFUSALS = {"held": Outcome.DUPLICATE, "ineligible": Outcome.NOT_ELIGIBLE, "full": Outcome.COURSE_FULL}


def judge(rows: list[ImportRow]) -> list[ImportRow]:
    """Decide every row's outcome against the database, simulating seats row by row. Writes nothing."""
    keys = {row.line: _worker_key(row.identifier) for row in rows}
    phones = {key[1] for key in keys.values() if key and key[0] == "phone"}
    ids = {key[1] for key in keys.values() if key and key[0] == "id"}
    workers_by_phone = {u.phone: u for u in db.session.scalars(
        select(User).join(User.profile).where(User.phone.in_(phones)))} if phones else {}
    workers_by_id = {p.resident_id: p.user for p in db.session.scalars(
        select(WorkerProfile).where(WorkerProfile.resident_id.in_(ids)))} if ids else {}
    codes = {row.course_code for row in rows if row.course_code}
    courses = {c.code: c for c in db.session.scalars(select(Course).where(Course.code.in_(codes)))} if codes else {}

    for row in rows:
        key = keys[row.line]
        if key is None or not row.course_code:
            row.outcome = Outcome.INVALID
            row.detail.extend(_why_invalid(row))
            continue
        row.worker = (workers_by_phone if key[0] == "phone" else workers_by_id).get(key[1])
        row.course = courses.get(row.course_code)
        if row.worker is None:
            row.outcome = Outcome.UNKNOWN_WORKER
            row.detail.append(_l("No worker's account has this mobile number.") if key[0] == "phone"
                              else _l("No worker's profile has this resident ID number."))
        elif row.course is None:
            row.outcome = Outcome.UNKNOWN_COURSE
            row.detail.append(_l("No course has the code %(code)s.", code=row.course_code))
        elif row.name and row.name != re.sub(r"\s+", "", row.worker.name):
            row.warning = True
            row.detail.append(_l("Check the name: the file says %(file)s, the account says %(account)s.",
                                 file=row.name, account=row.worker.name))

    pending = [row for row in rows if row.outcome is None]
    pairs = {(row.course.id, row.worker.id) for row in pending}
    existing = {(e.course_id, e.worker_id): e for e in db.session.scalars(
        select(Enrolment).where(tuple_(Enrolment.course_id, Enrolment.worker_id).in_(pairs)))} if pairs else {}
    worker_ids = {row.worker.id for row in pending}
    completed: dict[int, set[int]] = {}
    if worker_ids:
        for worker_id, course_id in db.session.execute(select(Enrolment.worker_id, Enrolment.course_id).where(
                Enrolment.worker_id.in_(worker_ids), Enrolment.status == EnrolmentStatus.COMPLETED)):
            completed.setdefault(worker_id, set()).add(course_id)

    seats_left = {course.id: course.capacity - course.seats_taken for course in courses.values()}
    seen = set()
    for row in pending:
        pair = (row.course.id, row.worker.id)
        if pair in seen:
            row.outcome = Outcome.DUPLICATE
            row.detail.append(_l("Already in the file above."))
            continue
        seen.add(pair)
        try:  # the rules of enrolling by staff, with the seats the rows above have taken
            status = placement(row.course, row.worker, existing.get(pair), completed.get(row.worker.id, set()),
                               by_staff=True, seat_free=seats_left[row.course.id] > 0)
        except NotPlaced as refused:
            row.outcome = REFUSALS[refused.kind]
            row.detail.extend(refused.reasons if refused.kind != "full" else [])
            continue
        if status == EnrolmentStatus.ENROLLED:
            seats_left[row.course.id] -= 1
        row.outcome = Outcome.WILL_ENROL if status == EnrolmentStatus.ENROLLED else Outcome.WILL_WAITLIST
    return rows


def apply(rows: list[ImportRow], *, actor) -> int:
    """Enrol the good rows (one transaction: the caller commits or rolls back); returns how many."""
    good = [row for row in rows if row.outcome.is_good]
    for row in good:
        place(row.course, row.worker, actor=actor, by_staff=True)
    record("enrolment.import", actor=actor, rows=len(rows), written=len(good))
    return len(good)
