"""Every figure of the progress report opens the list of exactly the workers it counts."""
from academy.extensions import db
from academy.reports.queries import MEASURE_STATUSES, ReportFilters, drilldown_query, progress_report
from tests.reports.test_tallies import busy  # noqa: F401  (the fixture: a district where everything happened)

SUMMED = ("enrolled", "completed", "withdrawn", "hours")


def _page_total(page: str) -> int:
    return int(page.split('badge text-bg-light">', 1)[1].split("<", 1)[0])


def test_every_figure_of_a_grouped_report_opens_exactly_what_it_counts(client, make, login, busy):  # noqa: F811
    login(make.create_admin())
    dimensions = ["programme", "subdistrict"]
    report = progress_report(db.session, dimensions, ReportFilters())
    assert len(report.rows) > 1
    for row in report.rows:
        cell = dict(zip(dimensions, row.keys))
        for measure, statuses in MEASURE_STATUSES.items():
            listed = db.session.execute(drilldown_query(ReportFilters(), cell, statuses)).all()
            if measure in SUMMED:
                assert sum(getattr(worker, measure) for worker in listed) == getattr(row, measure), (cell, measure)
            elif measure == "completion_rate":  # taken over the decided enrolments
                assert sum(worker.completed for worker in listed) == row.completed
                assert sum(worker.enrolled for worker in listed) == row.completed + row.not_completed
            else:  # workers reached, and the compliance taken over them
                assert len(listed) == row.workers, (cell, measure)
            page = client.get("/admin/reports/workers", query_string={
                "measure": measure, **{f"cell_{name}": value for name, value in cell.items()}}).get_data(as_text=True)
            assert _page_total(page) == len(listed), (cell, measure)


def test_the_withdrawn_figure_lists_only_those_who_withdrew(client, make, login, busy):  # noqa: F811
    login(make.create_admin())
    report = progress_report(db.session, ["programme"], ReportFilters())
    row = next(row for row in report.rows if row.withdrawn)
    everyone = client.get("/admin/reports/workers", query_string={"cell_programme": row.keys[0]}).get_data(as_text=True)
    withdrawn = client.get("/admin/reports/workers", query_string={"cell_programme": row.keys[0],
                                                                 "measure": "withdrawn"}).get_data(as_text=True)
    assert _page_total(withdrawn) < _page_total(everyone)
    assert "已退出" in withdrawn or "Withdrawn" in withdrawn


def test_an_unknown_figure_is_refused(client, make, login):
    login(make.create_admin())
    assert client.get("/admin/reports/workers", query_string={"measure": "salary"}).status_code == 400
