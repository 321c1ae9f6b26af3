"""The integrity checks. Each reads the database (and the upload folder) and returns a Finding: how many
things it looked at and what differs, one line each. They write nothing."""
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, func, select, text

from academy.audit.models import AuditEvent
from academy.certificates.models import Certificate, CertificateKind
from academy.courses.models import Course
from academy.enrolment.models import ACTIVE_STATUSES, SEATED_STATUSES, Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.models import EvidenceFile
from academy.core.tallying import declared, raw_of, stored_of

ORPHAN_AGE = 24 * 3600  # seconds: a file no row names may be an upload whose row is still being written
SHOWN = 50  # differences listed per check


@dataclass
class Finding:
    name: str
    label: str
    checked: int
    problems: list[str] = field(default_factory=list)
    repairable: bool = False

    @property
    def whole(self) -> bool:
        return not self.problems


def seated_counts():
    """(course id, code, capacity, seats_taken, seated enrolments) of every course."""
    seated = (select(Enrolment.course_id, func.count(Enrolment.id).label("seated"))
              .where(Enrolment.status.in_(SEATED_STATUSES)).group_by(Enrolment.course_id).subquery())
    return db.session.execute(
        select(Course.id, Course.code, Course.capacity, Course.seats_taken, func.coalesce(seated.c.seated, 0))
        .outerjoin(seated, seated.c.course_id == Course.id).order_by(Course.id)).all()


def check_seats() -> Finding:
    rows = seated_counts()
    finding = Finding("seats", "seats taken = enrolled rows ≤ capacity", len(rows), repairable=True)
    for course_id, code, capacity, taken, seated in rows:
        if taken != seated:
            finding.problems.append(f"course {course_id} ({code}): seats_taken {taken}, enrolled rows {seated}")
        if seated > capacity:
            finding.problems.append(f"course {course_id} ({code}): {seated} enrolled rows over capacity {capacity}")
    return finding


def check_duplicates() -> Finding:
    live = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.status.in_(ACTIVE_STATUSES)))
    finding = Finding("duplicates", "one live enrolment per worker and course", live)
    for course_id, worker_id, count in db.session.execute(
            select(Enrolment.course_id, Enrolment.worker_id, func.count(Enrolment.id))
            .where(Enrolment.status.in_(ACTIVE_STATUSES)).group_by(Enrolment.course_id, Enrolment.worker_id)
            .having(func.count(Enrolment.id) > 1)):
        finding.problems.append(f"course {course_id}, worker {worker_id}: {count} live enrolments")
    return finding


def waitlist_problems() -> tuple[list[int], list[int]]:
    """Ids of waiting enrolments without a queue time (no place in the order), and of others that keep one."""
    waiting = Enrolment.status == EnrolmentStatus.WAITLISTED
    unplaced = db.session.scalars(select(Enrolment.id).where(waiting, Enrolment.queued_at.is_(None))).all()
    stray = db.session.scalars(select(Enrolment.id).where(~waiting, Enrolment.queued_at.is_not(None))).all()
    return list(unplaced), list(stray)


def check_waitlist() -> Finding:
    waiting = db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.status == EnrolmentStatus.WAITLISTED))
    finding = Finding("waitlist", "waitlist positions consecutive", waiting, repairable=True)
    unplaced, stray = waitlist_problems()
    finding.problems += [f"enrolment {row}: waitlisted without a place in the queue" for row in unplaced]
    finding.problems += [f"enrolment {row}: not waitlisted but still queued" for row in stray]
    return finding


def check_tallies() -> Finding:
    """Every declared family of summary tables (the reports', the registry's) against its raw aggregate."""
    connection = db.session.connection()
    finding = Finding("tallies", "summary tables = raw aggregate", 0, repairable=True)
    for family in declared():
        stored, raw = stored_of(connection, family), raw_of(connection, family)
        finding.checked += sum(len(rows) for rows in raw.values())
        for name in sorted(raw):
            keys = set(stored.get(name, {})) | set(raw[name])
            wrong = sorted((key for key in keys if stored.get(name, {}).get(key) != raw[name].get(key)), key=repr)
            if wrong:
                finding.problems.append(f"{name}: {len(wrong)} rows differ, e.g. {wrong[0]!r}: stored "
                                        f"{stored.get(name, {}).get(wrong[0])}, raw {raw[name].get(wrong[0])}")
    return finding


def check_certificates() -> Finding:
    valid = Certificate.revoked_at.is_(None)
    completed = and_(Enrolment.worker_id == Certificate.worker_id, Enrolment.status == EnrolmentStatus.COMPLETED)
    course_result = select(Enrolment.id).where(completed, Enrolment.course_id == Certificate.course_id).exists()
    programme_result = (select(Enrolment.id).join(Course, Course.id == Enrolment.course_id)
                        .where(completed, Course.programme_id == Certificate.programme_id).exists())
    checked = db.session.scalar(select(func.count(Certificate.id)).where(valid))
    finding = Finding("certificates", "certificates point to finished results", checked)
    for cert_id, serial in db.session.execute(
            select(Certificate.id, Certificate.serial).where(valid, (
                (Certificate.kind == CertificateKind.COURSE) & ~course_result)
                | ((Certificate.kind == CertificateKind.PROGRAMME) & ~programme_result)).order_by(Certificate.id)):
        finding.problems.append(f"certificate {cert_id} ({serial}): no completed result behind it")
    return finding


def check_files(now: float | None = None) -> Finding:
    root = Path(current_app.config["UPLOAD_DIR"])
    named = set(db.session.scalars(select(EvidenceFile.stored_name)))
    finding = Finding("files", "stored files present, no old orphans", len(named))
    for name in sorted(named):
        if not (root / "evidence" / name).is_file():
            finding.problems.append(f"evidence file {name}: named by a row, missing on disk")
    now = time.time() if now is None else now
    for path in sorted(root.rglob("*")) if root.is_dir() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        finding.checked += 1
        referenced = path.parent == root / "evidence" and path.name in named
        if not referenced and now - path.stat().st_mtime > ORPHAN_AGE:
            finding.problems.append(f"{path.relative_to(root)}: no row names it, older than a day")
    return finding


def audit_guard_in_place() -> bool:
    """Whether the database itself refuses to change audit rows (the migration's triggers)."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_events_append_only' AND NOT tgisinternal")).scalar())
    return connection.execute(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        "AND name IN ('audit_events_no_update', 'audit_events_no_delete')")).scalar() == 2


def check_audit() -> Finding:
    finding = Finding("audit", "audit rows never updated", db.session.scalar(select(func.count(AuditEvent.id))))
    if not audit_guard_in_place():
        finding.problems.append("audit_events: the trigger that refuses UPDATE and DELETE is missing")
    return finding


CHECKS = (check_seats, check_duplicates, check_waitlist, check_tallies, check_certificates, check_files, check_audit)


def run_checks() -> list[Finding]:
    return [check() for check in CHECKS]
