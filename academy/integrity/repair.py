"""`academy check --repair`: what can be derived from the rows is derived again, through the session (so
that every page and summary that follows those rows is brought up to date at the commit), and each repair
is audited. What cannot be derived (a lost file, a certificate without a result) is left for a person."""
from sqlalchemy import select

from academy.audit.operations import record
from academy.core.pagecache import REPORTS, bump_version
from academy.courses.models import Course
from academy.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from academy.extensions import db
from academy.integrity.checks import SHOWN, seated_counts, waitlist_problems
from academy.core.tallying import rebuild_all


def repair_seats() -> list[str]:
    fixed = []
    for course_id, code, capacity, taken, seated in seated_counts():
        if taken != seated and seated <= capacity:  # over capacity: a person decides who keeps a seat
            db.session.get(Course, course_id).seats_taken = seated
            fixed.append(f"course {course_id} ({code}): seats_taken {taken} → {seated}")
    return fixed


def repair_waitlist() -> list[str]:
    unplaced, stray = waitlist_problems()
    fixed = []
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.id.in_(unplaced))):
        joined = db.session.scalar(select(EnrolmentEvent.at).where(
            EnrolmentEvent.enrolment_id == enrolment.id, EnrolmentEvent.to_status == EnrolmentStatus.WAITLISTED)
            .order_by(EnrolmentEvent.id.desc()).limit(1))
        enrolment.queued_at = joined or enrolment.created_at  # when it joined the waitlist, as recorded
        fixed.append(f"enrolment {enrolment.id}: queued at {enrolment.queued_at:%Y-%m-%d %H:%M:%S} UTC")
    for enrolment in db.session.scalars(select(Enrolment).where(Enrolment.id.in_(stray))):
        enrolment.queued_at = None
        fixed.append(f"enrolment {enrolment.id}: left the queue")
    return fixed


def repair_tallies() -> list[str]:
    counts = rebuild_all(db.session.connection())
    bump_version(db.session, REPORTS)
    return ["summary tables rebuilt: " + ", ".join(f"{rows} {name} rows" for tables in counts.values()
                                                   for name, rows in tables.items())]


REPAIRS = {"seats": repair_seats, "waitlist": repair_waitlist, "tallies": repair_tallies}


def repair(findings) -> dict[str, list[str]]:
    """Repair what the findings name and can be derived; audit each repair; flush, the caller commits."""
    done = {}
    for finding in findings:
        if finding.whole or finding.name not in REPAIRS:
            continue
        fixed = REPAIRS[finding.name]()
        db.session.flush()
        if fixed:
            record("integrity.repair", check=finding.name, fixed=len(fixed), details=fixed[:SHOWN])
            done[finding.name] = fixed
    return done
