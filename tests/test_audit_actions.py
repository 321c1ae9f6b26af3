"""The audit page's list of actions comes from a loose index scan: the same list as SELECT DISTINCT,
in a few lookups per action rather than a read of the whole trail."""
import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.audit.operations import record
from academy.audit.queries import recorded_actions
from academy.core.querycount import count_queries
from academy.extensions import db


def test_the_actions_are_every_distinct_action_in_order(make):
    admin = make.create_admin()
    for index in range(40):
        record(("user.create", "login.success", "agreement.renew", "course.status")[index % 4], actor=admin)
    record("login.failure", actor=None)
    db.session.flush()
    expected = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    assert recorded_actions(db.session) == expected
    assert "login.failure" in expected and len(expected) >= 5


def test_an_empty_trail_has_no_actions(make):
    db.session.execute(AuditEvent.__table__.delete())  # the audit guard watches the ORM; this is a test's own reset
    assert recorded_actions(db.session) == []


def test_the_actions_are_found_through_the_index(make):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    with count_queries(db.engine) as counter:
        recorded_actions(db.session)
    sql = counter.statements[0]
    plan = [row[3] for row in db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (1,) * sql.count("?"))]
    assert not [step for step in plan if step.startswith("SCAN audit_events")], plan
