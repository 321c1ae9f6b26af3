"""Bulk enrolment from a class list: read CSV (UTF-8 or GB18030) or XLSX, then judge every row
before anything is written."""
import csv
import enum
import io
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, tuple_

from academy.audit.operations import record
from academy.core.spreadsheets import MAX_CELL_CHARACTERS, MAX_COLUMNS, SpreadsheetError, read_xlsx_rows
from academy.auth.models import User, WorkerProfile
from academy.core.validators import is_mainland_mobile, is_resident_id, normalise_phone, normalise_resident_id
from academy.courses.eligibility import unmet_rules
from academy.courses.models import Course, CourseStatus
from academy.enrolment.models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from academy.enrolment.operations import enrol
from academy.extensions import db

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


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
    line: int
    identifier: str
    course_code: str
    outcome: Outcome | None = None
    detail: list = field(default_factory=list)
    worker: User | None = None
    course: Course | None = None


def read_table(data: bytes) -> list[list[str]]:
    """Rows of cell texts from CSV or XLSX bytes, judged by content, not by file name. Empty rows are
    skipped and reading stops past MAX_ROWS (with a header, MAX_ROWS + 2 rows are enough to know)."""
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than 2 MB."))
    if data.startswith(b"PK\x03\x04"):
        try:  # streamed within limits: core/spreadsheets.py
            return read_xlsx_rows(data, max_rows=MAX_ROWS + 2)
        except SpreadsheetError as error:
            raise ImportFileError(error.args[0]) from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(_l("This is not a CSV or XLSX file."))
    return _read_csv(data)


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_l("The file's text encoding is not UTF-8 or GB18030."))
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            row = [cell.strip()[:MAX_CELL_CHARACTERS] for cell in row[:MAX_COLUMNS]]
            if any(row):
                rows.append(row)
                if len(rows) >= MAX_ROWS + 2:
                    break
    except csv.Error:
        raise ImportFileError(_l("The CSV file is malformed.")) from None
    return rows


def parse_rows(table: list[list[str]]) -> list[ImportRow]:
    """Rows of (identifier, course code); a first row that is a header is skipped."""
    rows = [row for row in table if any(cell for cell in row)]
    if rows and not re.search(r"\d{6,}", rows[0][0] if rows[0] else ""):
        rows = rows[1:]  # header
    if not rows:
        raise ImportFileError(_l("The file has no rows to import."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_l("The file has more than %(count)d rows.", count=MAX_ROWS))
    parsed = []
    for line, row in enumerate(rows, start=1):
        cells = (row + ["", ""])[:2]
        parsed.append(ImportRow(line=line, identifier=cells[0], course_code=cells[1].upper()))
    return parsed


def _worker_key(identifier: str) -> tuple[str, str] | None:
    phone = normalise_phone(identifier)
    if is_mainland_mobile(phone):
        return ("phone", phone)
    number = normalise_resident_id(identifier)
    if is_resident_id(number):
        return ("id", number)
    return None


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
            row.detail.append(_l("Give a mobile number or resident ID number, then a course code."))
            continue
        row.worker = (workers_by_phone if key[0] == "phone" else workers_by_id).get(key[1])
        row.course = courses.get(row.course_code)
        if row.worker is None:
            row.outcome = Outcome.UNKNOWN_WORKER
        elif row.course is None:
            row.outcome = Outcome.UNKNOWN_COURSE

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
        current = existing.get(pair)
        if pair in seen or (current is not None and current.status in ACTIVE_STATUSES + (EnrolmentStatus.COMPLETED,)):
            row.outcome = Outcome.DUPLICATE
            row.detail.append(_l("Already in the file above.") if pair in seen
                              else _l("Already %(status)s.", status=current.status.label))
            continue
        seen.add(pair)
        if row.course.status not in (CourseStatus.PUBLISHED, CourseStatus.CLOSED):
            row.outcome = Outcome.NOT_ELIGIBLE
            row.detail.append(_l("The course is %(status)s.", status=row.course.status.label))
            continue
        unmet = unmet_rules(row.course, row.worker.profile, completed.get(row.worker.id, set()))
        if unmet:
            row.outcome = Outcome.NOT_ELIGIBLE
            row.detail.extend(unmet)
        elif seats_left[row.course.id] > 0:
            seats_left[row.course.id] -= 1
            row.outcome = Outcome.WILL_ENROL
        elif row.course.waitlist_enabled:
            row.outcome = Outcome.WILL_WAITLIST
        else:
            row.outcome = Outcome.COURSE_FULL
    return rows


def apply(rows: list[ImportRow], *, actor) -> int:
    """Enrol the good rows (one transaction: the caller commits or rolls back); returns how many."""
    good = [row for row in rows if row.outcome.is_good]
    for row in good:
        enrol(row.course, row.worker, actor=actor, by_staff=True)
    record("enrolment.import", actor=actor, rows=len(rows), written=len(good))
    return len(good)
