"""The annual results list (name, resident ID number, level, certificate number, year; optionally the
date of issue and the issuing authority): every row judged against the registry before anything is
written; confirmed rows become verified records. Reading and the preview/confirm steps are
academy.core.imports'."""
import enum
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record as audit
from academy.auth.enums import Qualification
from academy.auth.models import User, WorkerProfile
from academy.core.errors import OperationError
from academy.core.i18n import local_today
from academy.core.imports import data_rows
from academy.core.validators import is_resident_id, normalise_resident_id
from academy.extensions import db
from academy.qualifications import operations as ops
from academy.qualifications.models import QualificationRecord, RecordStatus
from academy.qualifications.rules import check_declaration, normalise_certificate_no

DEFAULT_AUTHORITY = "人力资源和社会保障部 民政部"
LEVEL_NAMES = {
    Qualification.ASSISTANT: ("助理社会工作师", "初级", "assistant", "assistant social worker"),
    Qualification.SOCIAL_WORKER: ("社会工作师", "中级", "social_worker", "social worker", "intermediate"),
    Qualification.SENIOR: ("高级社会工作师", "高级", "senior", "senior social worker"),
}
LEVEL_BY_NAME = {name: level for level, names in LEVEL_NAMES.items() for name in names}


class Outcome(enum.StrEnum):
    WILL_WRITE = "will_write"
    WILL_VERIFY = "will_verify"
    ALREADY = "already"
    NAME_MISMATCH = "name_mismatch"
    UNKNOWN_PERSON = "unknown_person"
    NUMBER_TAKEN = "number_taken"
    NEEDS_INTERMEDIATE = "needs_intermediate"
    DUPLICATE = "duplicate"
    INVALID = "invalid"

    @property
    def label(self):
        return {
            Outcome.WILL_WRITE: _l("Will be recorded, verified"),
            Outcome.WILL_VERIFY: _l("Will verify the worker's declaration"),
            Outcome.ALREADY: _l("Already verified"),
            Outcome.NAME_MISMATCH: _l("Name does not match"),
            Outcome.UNKNOWN_PERSON: _l("Unknown person"),
            Outcome.NUMBER_TAKEN: _l("Number held by another worker"),
            Outcome.NEEDS_INTERMEDIATE: _l("Needs an intermediate record"),
            Outcome.DUPLICATE: _l("Duplicate"),
            Outcome.INVALID: _l("Invalid row"),
        }[self]

    @property
    def is_good(self) -> bool:
        return self in (Outcome.WILL_WRITE, Outcome.WILL_VERIFY)


@dataclass
class ResultRow:
    line: int
    name: str
    resident_id: str
    level: Qualification | None
    certificate_no: str
    year: int | None
    issued_on: date | None
    authority: str
    outcome: Outcome | None = None
    detail: list = field(default_factory=list)
    worker: User | None = None
    declared: QualificationRecord | None = None  # the worker's own declaration of this number


def _date(text: str) -> date | None:
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def parse_rows(table: list[list[str]]) -> list[ResultRow]:
    rows = []
    for line, cells in data_rows(table, key_column=1, width=7):
        name, number_id, level, number, year, issued, authority = cells
        row = ResultRow(line=line, name=re.sub(r"\s+", "", name), resident_id=normalise_resident_id(number_id),
                        level=LEVEL_BY_NAME.get(level.strip().lower()), certificate_no=normalise_certificate_no(number),
                        year=int(year) if year.strip().isdigit() else None, issued_on=None,
                        authority=authority.strip()[:120] or DEFAULT_AUTHORITY)
        try:
            row.issued_on = _date(issued) if issued.strip() else None
        except ValueError:
            row.outcome = Outcome.INVALID
            row.detail.append(_l("The date of issue is not a date (2024-12-20)."))
        if row.outcome is None and (not row.name or not is_resident_id(row.resident_id) or row.level is None
                                    or row.year is None):
            row.outcome = Outcome.INVALID
            row.detail.append(_l("Give a name, a valid resident ID number, a level (助理社会工作师, 社会工作师 or "
                                 "高级社会工作师), the certificate number and the year."))
        rows.append(row)
    return rows


def judge(rows: list[ResultRow], today: date | None = None) -> list[ResultRow]:
    """Decide every row's outcome against the registry as it is now. Writes nothing."""
    today = today or local_today()
    pending = [row for row in rows if row.outcome is None]
    ids = {row.resident_id for row in pending}
    profiles = {p.resident_id: p for p in db.session.scalars(
        select(WorkerProfile).where(WorkerProfile.resident_id.in_(ids)))} if ids else {}
    numbers = {row.certificate_no for row in pending}
    holders = {r.certificate_no: r for r in db.session.scalars(select(QualificationRecord).where(
        QualificationRecord.certificate_no.in_(numbers), QualificationRecord.status != RecordStatus.REFUSED))} \
        if numbers else {}
    worker_ids = {p.user_id for p in profiles.values()}
    backed = set(db.session.scalars(select(QualificationRecord.worker_id).where(
        QualificationRecord.worker_id.in_(worker_ids), QualificationRecord.level == Qualification.SOCIAL_WORKER,
        QualificationRecord.status == RecordStatus.VERIFIED))) if worker_ids else set()
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(worker_ids)))} if worker_ids else {}
    seen = set()
    for row in sorted(pending, key=lambda r: (r.level.rank, r.line)):  # intermediate rows back senior rows
        profile = profiles.get(row.resident_id)
        holder = holders.get(row.certificate_no)
        if row.certificate_no in seen:
            row.outcome = Outcome.DUPLICATE
            row.detail.append(_l("Already in the file above."))
            continue
        seen.add(row.certificate_no)
        if profile is None:
            row.outcome = Outcome.UNKNOWN_PERSON
            row.detail.append(_l("No worker has this resident ID number."))
            continue
        row.worker = users[profile.user_id]
        if re.sub(r"\s+", "", row.worker.name) != row.name:
            row.outcome = Outcome.NAME_MISMATCH
            row.detail.append(_l("The ID number belongs to %(name)s.", name=row.worker.name))
        elif holder is not None and holder.worker_id != profile.user_id:
            row.outcome = Outcome.NUMBER_TAKEN
            row.detail.append(_l("This certificate number is already in the registry."))
        elif holder is not None and holder.status != RecordStatus.DECLARED:
            row.outcome = Outcome.ALREADY
            row.detail.append(holder.status.label)
        elif row.level == Qualification.SENIOR and profile.user_id not in backed:
            row.outcome = Outcome.NEEDS_INTERMEDIATE
            row.detail.append(_l("No verified intermediate (Social Worker) record: verify one first, or verify "
                                 "the senior record one by one with an override."))
        else:
            try:
                check_declaration(level=row.level, certificate_no=row.certificate_no, exam_year=row.year,
                                  issued_on=row.issued_on, today=today, number_taken=False, has_intermediate=True)
            except OperationError as error:
                row.outcome = Outcome.INVALID
                row.detail.append(error.message)
                continue
            row.declared = holder
            row.outcome = Outcome.WILL_VERIFY if holder is not None else Outcome.WILL_WRITE
            if row.level == Qualification.SOCIAL_WORKER:
                backed.add(profile.user_id)
    return rows


def apply(rows: list[ResultRow], *, actor) -> int:
    """Write the good rows, lowest level first (one transaction: the caller commits); returns how many."""
    good = sorted((row for row in rows if row.outcome.is_good), key=lambda r: (r.level.rank, r.line))
    for row in good:
        if row.outcome == Outcome.WILL_VERIFY:
            ops.verify(row.declared, actor=actor)
        else:
            ops.record_result(row.worker, level=row.level, certificate_no=row.certificate_no, exam_year=row.year,
                              issued_on=row.issued_on, issuing_authority=row.authority, actor=actor)
    for worker_id in sorted({row.worker.id for row in good}):
        ops.derive_profile(worker_id)
    audit("qualification.import_results", actor=actor, rows=len(rows), written=len(good))
    return len(good)
