"""The check-in POST is served by a fixed handful of SQL statements (docs/performance.md): the signed-in user,
the session with its course and the worker's seat, scans and mark in one, three inserts (scan, mark, audit)
and the worker's page version."""
from sqlalchemy import select

from academy.attendance.models import AttendanceMark, Mark
from academy.core.querycount import count_queries
from academy.core.personalcache import PersonalVersion
from academy.extensions import db
from tests.attendance.test_checkin import clock, room, scan, token_for  # noqa: F401

STATEMENTS = 6


def test_a_check_in_runs_six_statements_and_moves_the_workers_pages(app, room, login, clock):  # noqa: F811
    first, worker = room["first"], room["workers"][0]
    client = login(worker)
    client.get("/checkin")
    token = token_for(app, first)
    version = db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == worker.id)) or 0
    db.session.remove()  # a request of its own, as in production: nothing held from the test's session
    with count_queries(db.engine) as counter:
        assert scan(client, first, token).status_code == 302
    assert counter.count <= STATEMENTS, counter.statements
    assert db.session.scalar(select(AttendanceMark.mark)) == Mark.PRESENT
    assert db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == worker.id)) == version + 1
