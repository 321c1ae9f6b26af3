"""`academy check`: whole data answers 0 with a table of counts; each kind of damage answers 1 with the
difference named; `--repair` derives again what can be derived, audits it, and leaves the rest to a person."""
import os
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from academy.audit.models import AuditEvent
from academy.certificates.models import Certificate
from academy.courses.models import Course
from academy.enrolment import operations as ops
from academy.enrolment import rules
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.evidence import evidence_path, store_evidence
from tests.certificates.test_certificates import finished_course

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def data(make):
    """A little of everything the check looks at: seats, a waitlist, results with certificates, a file."""
    course = make.create_course(capacity=1)
    first, second, third = (make.create_worker() for _ in range(3))
    ops.enrol(course, first)
    waiting = [ops.enrol(course, second), ops.enrol(course, third)]
    finished, _, _ = finished_course(make)
    evidence = store_evidence(first, "proof.pdf", PDF)
    db.session.commit()
    assert [e.status for e in waiting] == [EnrolmentStatus.WAITLISTED] * 2
    return {"course": course, "waiting": waiting, "finished": finished, "evidence": evidence, "worker": first}


def check(app, *args):
    result = app.test_cli_runner().invoke(args=["academy", "check", *args])
    db.session.expire_all()
    return result


def test_whole_data_answers_0_with_a_table_of_counts(app, data):
    result = check(app)
    assert result.exit_code == 0, result.output
    for label in ("seats taken = enrolled rows ≤ capacity", "one live enrolment per worker and course",
                  "waitlist positions consecutive", "summary tables = raw aggregate",
                  "certificates point to finished results", "stored files present, no old orphans",
                  "audit rows never updated"):
        assert label in result.output
    assert "DIFFERENT" not in result.output and result.output.strip().endswith("whole")


def test_a_wrong_seat_count_is_found_and_repaired_with_an_audit_entry(app, data):
    course = data["course"]
    db.session.execute(text("UPDATE courses SET seats_taken = 0 WHERE id = :id"), {"id": course.id})
    db.session.commit()  # as damage found after an incident is: committed
    result = check(app)
    assert result.exit_code == 1
    assert f"course {course.id} ({course.code}): seats_taken 0, enrolled rows 1" in result.output
    assert db.session.get(Course, course.id).seats_taken == 0  # the check alone writes nothing

    repaired = check(app, "--repair")
    assert repaired.exit_code == 0, repaired.output
    assert "repaired (1)" in repaired.output
    assert db.session.get(Course, course.id).seats_taken == 1
    entry = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "integrity.repair")).one()
    assert entry.detail["check"] == "seats" and entry.detail["fixed"] == 1
    assert check(app).exit_code == 0


def test_summary_tables_that_differ_from_the_raw_aggregate_are_rebuilt(app, data):
    db.session.execute(text("DELETE FROM enrolment_tallies"))
    db.session.commit()
    result = check(app)
    assert result.exit_code == 1 and "tallies:" in result.output
    assert check(app, "--repair").exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(text("enrolment_tallies"))) > 0


def test_the_waitlist_order_is_derived_again_from_the_recorded_events(app, data):
    first, second = data["waiting"]
    queued_at = db.session.get(Enrolment, first.id).queued_at
    db.session.execute(text("UPDATE enrolments SET queued_at = NULL WHERE id = :id"), {"id": first.id})
    db.session.commit()
    result = check(app)
    assert result.exit_code == 1
    assert f"enrolment {first.id}: waitlisted without a place in the queue" in result.output
    assert check(app, "--repair").exit_code == 0
    restored = db.session.get(Enrolment, first.id).queued_at  # the time its waitlist event recorded
    assert abs((restored - queued_at).total_seconds()) < 1
    assert rules.waitlist_position(db.session.get(Enrolment, first.id)) == 1
    assert rules.waitlist_position(db.session.get(Enrolment, second.id)) == 2


def test_a_certificate_without_a_finished_result_is_reported_and_left_to_a_person(app, data):
    cert = db.session.scalars(select(Certificate).where(Certificate.course_id == data["finished"].id)).first()
    db.session.execute(text("UPDATE enrolments SET status = 'enrolled' WHERE course_id = :id"),
                       {"id": data["finished"].id})
    db.session.commit()
    result = check(app, "--repair")
    assert result.exit_code == 1
    assert f"certificate {cert.id} ({cert.serial}): no completed result behind it" in result.output
    assert "not derivable" in result.output


def test_a_missing_file_and_an_old_orphan_are_reported_a_fresh_upload_is_not(app, data):
    evidence_path(data["evidence"]).unlink()
    orphan, fresh = evidence_path(data["evidence"]).parent / "old.pdf", evidence_path(data["evidence"]).parent / "new.pdf"
    orphan.write_bytes(PDF), fresh.write_bytes(PDF)
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(orphan, (two_days_ago, two_days_ago))
    try:
        result = check(app)
    finally:
        orphan.unlink(), fresh.unlink()
    assert result.exit_code == 1
    assert f"evidence file {data['evidence'].stored_name}: named by a row, missing on disk" in result.output
    assert "evidence/old.pdf: no row names it, older than a day" in result.output
    assert "new.pdf" not in result.output


def test_audit_rows_cannot_be_changed_and_a_missing_guard_is_reported(app, data):
    assert db.session.scalar(select(func.count(AuditEvent.id))) > 0
    for statement in ("UPDATE audit_events SET action = 'changed'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"):
            with db.session.begin_nested():
                db.session.execute(text(statement))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TRIGGER audit_events_append_only ON audit_events"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
    db.session.commit()
    result = check(app)  # the test's transaction is rolled back afterwards, the trigger with it
    assert result.exit_code == 1 and "the trigger that refuses UPDATE and DELETE is missing" in result.output
