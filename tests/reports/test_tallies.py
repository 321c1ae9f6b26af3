"""The reports' summary tables always equal the raw aggregate, whatever changed the data and however."""
from datetime import timedelta
from decimal import Decimal
from itertools import permutations

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, update

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.auth.enums import Qualification
from academy.auth.operations import update_profile
from academy.core.i18n import local_today
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment
from academy.enrolment.models import EnrolmentStatus as S
from academy.extensions import db
from academy.reports.models import EnrolmentTally, ReachTally
from academy.reports.queries import DIMENSIONS, ReportFilters, progress_report
from academy.reports.raw_tallies import raw_tallies, rebuild, stored_tallies, without_zeros
from tests.reports.raw_report import NAMES, raw_report

A, B = "110101001000", "110101016000"  # 东华门街道, 天坛街道


def assert_current():
    connection = db.session.connection()
    stored = stored_tallies(connection)
    assert stored == without_zeros(raw_tallies(connection))
    return stored


@pytest.fixture
def busy(make):
    """A small district in which every kind of change has happened, each followed by a commit."""
    today = local_today()
    admin, instructor = make.create_admin(), make.create_instructor()
    units = [make.create_unit(parent=make.subdistrict(A)), make.create_unit(parent=make.subdistrict(B))]
    levels = [Qualification.ASSISTANT, Qualification.SOCIAL_WORKER, Qualification.NONE]
    workers = [make.create_worker(work_unit=units[i % 2], qualification=levels[i % 3],
                                  registration_date=today - timedelta(days=500) if i % 3 != 2 else None)
               for i in range(8)]
    people = assert_current()
    assert (people["tallies"], people["months"], people["reach"]) == ({}, {}, {})
    assert sum(values[0] for values in people["people"].values()) == 8

    past = make.create_course("ZHUJI", starts_on=today - timedelta(days=400), sessions=2, instructors=[instructor])
    seated = [ops.enrol(past, worker, by_staff=True, actor=admin) for worker in workers[:5]]
    db.session.commit()
    assert_current()
    for session in past.sessions:
        att.save_marks(session, {e.id: (Mark.ABSENT if e is seated[0] else Mark.PRESENT) for e in seated},
                       actor=instructor)
    att.finalise(past, actor=instructor)
    db.session.commit()
    assert_current()

    small = make.create_course("YUXIN", capacity=2, waitlist_enabled=True)
    places = [ops.enrol(small, worker) for worker in workers[4:8]]
    db.session.commit()
    assert [p.status for p in places] == [S.ENROLLED, S.ENROLLED, S.WAITLISTED, S.WAITLISTED]
    ops.withdraw(places[0], actor=workers[4], reason="工作冲突")  # the first waiting worker is promoted
    db.session.commit()
    assert places[2].status == S.ENROLLED
    assert_current()

    gated = make.create_course("QINGYUN", approval_required=True)
    requests = [ops.enrol(gated, worker) for worker in workers[:3]]
    db.session.commit()
    ops.approve(requests[0], actor=admin)
    ops.reject(requests[1], actor=admin, reason="名额已满")
    db.session.commit()
    assert_current()
    return dict(today=today, workers=workers, units=units, past=past, small=small, gated=gated, places=places)


def test_every_operation_keeps_the_tables_equal_to_the_raw_rows(busy):
    stored = assert_current()
    assert sum(sum(values[:-1]) for values in stored["tallies"].values()) == 5 + 4 + 3
    assert stored["months"], "completions credit hours by month"
    assert any(key[0] == 0 and key[1] == "" and key[2] == 0 for key in stored["reach"])


def test_moving_a_worker_or_a_course_moves_their_counts(busy):
    worker = busy["workers"][0]
    update_profile(worker, name=worker.name, email=None, work_unit=busy["units"][1])
    worker.profile.qualification = Qualification.SENIOR
    db.session.commit()
    assert_current()
    busy["past"].starts_on -= timedelta(days=366)
    busy["past"].ends_on -= timedelta(days=366)
    db.session.commit()
    assert_current()


def test_workers_count_whether_or_not_they_enrolled(busy, make):
    newcomer = make.create_worker(work_unit=busy["units"][0])
    assert sum(values[0] for values in assert_current()["people"].values()) == 9
    newcomer.active = False
    db.session.commit()
    assert sum(values[0] for values in assert_current()["people"].values()) == 8


def test_a_rolled_back_savepoint_leaves_no_trace(busy):
    before = assert_current()
    with db.session.begin_nested() as savepoint:
        busy["places"][1].status = S.WITHDRAWN
        db.session.flush()
        savepoint.rollback()
    db.session.commit()
    assert assert_current() == before


def test_a_rolled_back_transaction_leaves_no_trace(busy):
    before = assert_current()
    ops.withdraw(busy["places"][1], actor=busy["workers"][5], reason="临时有事")
    db.session.flush()
    db.session.rollback()
    assert assert_current() == before


def test_rebuild_repairs_the_tables_and_the_command_reports_it(app, busy):
    good = assert_current()
    db.session.execute(delete(ReachTally))
    db.session.execute(update(EnrolmentTally).values(completed=EnrolmentTally.completed + 7))
    assert stored_tallies(db.session.connection()) != good
    counts = rebuild(db.session.connection())
    assert counts == {name: len(rows) for name, rows in good.items()}
    assert assert_current() == good
    db.session.commit()
    result = CliRunner().invoke(app.cli, ["academy", "rebuild-tallies"], obj=None)
    assert result.exit_code == 0, result.output
    assert f"{len(good['reach']):,} reach rows" in result.output


def _normalised(measures: dict) -> dict:
    return {name: Decimal(str(value or 0)).quantize(Decimal("0.1")) if name == "hours" else (value or 0)
            for name, value in measures.items()}


@pytest.mark.parametrize("dimensions", [[name] for name in DIMENSIONS] + [list(p) for p in permutations(DIMENSIONS, 2)])
def test_the_report_from_the_tables_equals_the_report_from_the_raw_rows(busy, make, dimensions):
    year, street = busy["today"].year, make.subdistrict(A).id
    for filters in (ReportFilters(), ReportFilters(year=year), ReportFilters(year=year - 1),
                    ReportFilters(programme="zhuji"), ReportFilters(tier="capability"), ReportFilters(tier="degree"),
                    ReportFilters(subdistrict_id=street), ReportFilters(year=year, programme="yuxin", subdistrict_id=street)):
        report = progress_report(db.session, dimensions, filters)
        got = {row.keys: _normalised({name: getattr(row, name) for name in NAMES}) for row in report.rows}
        got[()] = _normalised({name: getattr(report.total, name) for name in NAMES})
        expected = {keys: _normalised(measures) for keys, measures in raw_report(db.session, dimensions, filters).items()}
        assert got == expected, (dimensions, filters)


def test_the_report_runs_five_statements_whatever_the_grouping(busy):
    progress_report(db.session, ["programme"], ReportFilters())  # loads the names of programmes and streets
    with count_queries(db.engine) as counter:
        progress_report(db.session, ["subdistrict", "year"], ReportFilters(tier="capability"))
    assert counter.count == 5  # four for the figures, one for the versions the kept names are valid under


def test_a_deleted_row_takes_its_counts_with_it(busy, make):
    """Nothing in the product deletes an enrolment, but a repair may: the flush sees deletes too."""
    before = assert_current()
    enrolment = Enrolment(course=busy["past"], worker=make.create_worker(), status=S.COMPLETED,
                          credited_hours=Decimal("4"))
    db.session.add(enrolment)
    db.session.commit()
    assert assert_current() != before
    db.session.delete(enrolment)
    db.session.commit()
    after = assert_current()
    assert after["tallies"] == before["tallies"] and after["months"] == before["months"]


def test_a_verified_or_revoked_certificate_moves_the_workers_counts(busy, make):
    """The registry derives the profile's level through the ORM, so the summary tables follow."""
    from academy.qualifications import operations as registry
    from academy.qualifications.models import RecordStatus
    from tests.qualifications.helpers import add_record

    worker, admin = busy["workers"][2], make.create_admin()  # no qualification yet, enrolled
    item = add_record(worker, Qualification.SOCIAL_WORKER, number="TALLY-1", year=2020,
                      status=RecordStatus.DECLARED)
    registry.verify(item, actor=admin)
    db.session.commit()
    assert worker.profile.qualification == Qualification.SOCIAL_WORKER
    stored = assert_current()
    assert any(key[3] == "social_worker" for key in stored["tallies"])
    registry.revoke(item, actor=admin, reason="错误登记")
    db.session.commit()
    assert worker.profile.qualification == Qualification.NONE
    assert_current()
