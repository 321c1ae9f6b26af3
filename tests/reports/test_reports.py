"""Report figures checked against a small hand-computed district."""
import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from flask import template_rendered
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.auth.enums import Qualification
from academy.core.i18n import local_today
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentStatus as S
from academy.extensions import db
from academy.progress.models import ExternalRecord
from academy.progress.standing import refresh_standing
from tests.factories import DEFAULT_PASSWORD

A, B = "110101001000", "110101016000"  # 东华门街道, 天坛街道


@pytest.fixture
def district(make):
    today = local_today()
    this_year = today.replace(month=3, day=1) if today.month > 3 else today.replace(month=1, day=2)
    last_year = this_year.replace(year=this_year.year - 1)
    unit_a = make.create_unit(parent=make.subdistrict(A))
    unit_b = make.create_unit(parent=make.subdistrict(B))
    a1 = make.create_worker(work_unit=unit_a, name="甲一", phone="13911110001",
                            qualification=Qualification.ASSISTANT, registration_date=last_year)
    a2 = make.create_worker(work_unit=unit_a, name="甲二", phone="13911110002", qualification=Qualification.NONE,
                            registration_date=None)
    b1 = make.create_worker(work_unit=unit_b, name="乙一", phone="13911110003",
                            qualification=Qualification.SOCIAL_WORKER, registration_date=last_year)
    c1 = make.create_course("ZHUJI", starts_on=this_year, sessions=2)        # 6 hours
    c2 = make.create_course("QINGYUN", starts_on=this_year, sessions=1)      # 3 hours
    c3 = make.create_course("ZHUJI", starts_on=last_year, sessions=1)
    rows = [(c1, a1, S.COMPLETED, "6"), (c1, a2, S.NOT_COMPLETED, "0"), (c1, b1, S.WITHDRAWN, None),
            (c2, a1, S.ENROLLED, None), (c2, b1, S.COMPLETED, "3"), (c3, a2, S.COMPLETED, "3")]
    for course, worker, status, hours in rows:
        db.session.add(Enrolment(course=course, worker=worker, status=status,
                                 credited_hours=Decimal(hours) if hours else None))
    db.session.add(ExternalRecord(worker_id=b1.id, kind="degree", title="社会工作本科", institution="北京青年政治学院",
                                  degree_status="graduated", social_work_degree=True, review_status="verified",
                                  ended_on=today - timedelta(days=10)))
    db.session.commit()
    for worker in (a1, a2, b1):
        refresh_standing(worker.id)
    db.session.commit()
    return dict(year=this_year.year, a1=a1, a2=a2, b1=b1)


def table(page: str) -> dict:
    """Row label -> cell texts of the progress table."""
    body = page.split('id="progress-table"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = re.search(r'<th scope="row"[^>]*>([^<]*)</th>', row)
        cells = re.findall(r'<td class="text-end">(?:<a [^>]*>)?([^<]*)', row)
        if label:
            rows[label.group(1).strip()] = [c.strip() for c in cells]
    return rows


def test_progress_by_programme_matches_the_hand_count(client, make, login, district):
    login(make.create_admin())
    page = client.get("/admin/reports/progress", query_string={"year": district["year"]}).get_data(as_text=True)
    rows = table(page)
    #                      enrolled completed rate    withdrawn workers hours ce
    assert rows["筑基计划"] == ["2", "1", "50.0%", "1", "2", "6", "0.0%"]
    assert rows["青云计划"] == ["2", "1", "100.0%", "0", "2", "3", "50.0%"]
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert re.findall(r'<td class="text-end">([^<]*)</td>', total) == ["4", "2", "66.7%", "1", "3", "9", "50.0%"]


def test_grouping_by_subdistrict_then_programme_and_drill_down(client, make, login, district):
    login(make.create_admin())
    page = client.get("/admin/reports/progress", query_string={
        "year": district["year"], "group": "subdistrict"}).get_data(as_text=True)
    rows = table(page)
    assert rows["东华门街道"][:5] == ["3", "1", "50.0%", "0", "2"]
    assert rows["天坛街道"][:5] == ["1", "1", "100.0%", "1", "1"]
    two = client.get("/admin/reports/progress", query_string={
        "year": district["year"], "group": "subdistrict", "then": "programme"}).get_data(as_text=True)
    assert two.count("<tr>") == 1 + 4  # header + (A, ZHUJI) (A, QINGYUN) (B, ZHUJI withdrawn) (B, QINGYUN)
    link = re.search(r'href="(/admin/reports/workers\?[^"]*cell_subdistrict=\d+[^"]*)"', page).group(1)
    drill = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "甲一" in drill and "甲二" in drill and "乙一" not in drill
    assert "139****0001" in drill and "13911110001" not in drill


@pytest.mark.parametrize("filters, cell", [
    ({}, {}), ({"year": "this"}, {}), ({}, {"programme": "ZHUJI"}), ({"year": "this"}, {"subdistrict": A}),
    ({"programme": "zhuji"}, {"qualification": "none"}), ({}, {"year": "last"}), ({"tier": "capability"}, {}),
])
def test_a_drilldown_page_holds_exactly_the_full_aggregate_s_rows(make, district, filters, cell):
    from academy.reports.queries import DrilldownPage, ReportFilters, drilldown_query

    for index in range(5):  # more workers than a page of two
        course = make.create_course("ZHUJI", starts_on=local_today().replace(month=1, day=2 + index))
        db.session.add(Enrolment(course=course, worker=make.create_worker(), status=S.ENROLLED))
    db.session.commit()
    years = {"this": district["year"], "last": district["year"] - 1}
    filters = ReportFilters(**{k: years.get(v, v) for k, v in filters.items()})
    cell = {k: years.get(v, make.subdistrict(v).id if k == "subdistrict" else v) for k, v in cell.items()}
    full = [tuple(row) for row in db.session.execute(drilldown_query(filters, cell))]
    paged, number = [], 1
    while True:
        page = DrilldownPage(filters=filters, cell=cell, page=number, per_page=2, error_out=False)
        assert page.total == len(full)
        if not page.items:
            break
        paged += [tuple(row) for row in page.items]
        number += 1
    assert full and paged == full

    # seeking from a page's last or first worker, and from the end, gives the same pages
    forward, seek = [], None
    while True:
        page = DrilldownPage(filters=filters, cell=cell, seek=seek, per_page=2, error_out=False)
        if not page.items:
            break
        forward += [tuple(row) for row in page.items]
        seek = ("after", page.items[-1].id)
    last = DrilldownPage(filters=filters, cell=cell, seek=("last", None), per_page=2, error_out=False)
    assert last.page == last.pages and not last.has_next
    backward, page = [], last
    while page.items:
        backward = [tuple(row) for row in page.items] + backward
        page = DrilldownPage(filters=filters, cell=cell, seek=("before", page.items[0].id), per_page=2,
                             error_out=False)
    assert forward == full and backward == full


def test_the_drilldown_pages_on_by_seeking_not_skipping(client, make, login, district):
    login(make.create_admin())
    course = make.create_course("ZHUJI", starts_on=local_today().replace(month=1, day=2))
    for _ in range(52):  # two pages of fifty
        db.session.add(Enrolment(course=course, worker=make.create_worker(), status=S.ENROLLED))
    db.session.commit()
    first = client.get("/admin/reports/workers").get_data(as_text=True)
    assert "第 1 页，共 2 页" in first
    names = lambda page: re.findall(r'href="/admin/workers/\d+/record">([^<]*)<', page)  # noqa: E731
    for label, seek in (("下一页", "enrolments.worker_id > "), ("末页", "ORDER BY enrolments.worker_id DESC")):
        link = re.search(rf'href="([^"]*)"[^>]*>{label}<', first).group(1).replace("&amp;", "&")
        with count_queries(db.engine) as counter:
            second = client.get(link).get_data(as_text=True)
        assert "第 2 页，共 2 页" in second and any(seek in statement for statement in counter.statements)
        skipped = client.get("/admin/reports/workers", query_string={"page": 2}).get_data(as_text=True)
        assert len(names(first)) == 50 and names(second) == names(skipped) and names(second)
    back = re.search(r'href="([^"]*)"[^>]*>上一页<', second).group(1).replace("&amp;", "&")
    assert names(client.get(back).get_data(as_text=True)) == names(first)


def test_zero_rows_give_empty_figures_not_errors(client, make, login, district):
    login(make.create_admin())
    page = client.get("/admin/reports/progress", query_string={"programme": "touyan"}).get_data(as_text=True)
    total = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert re.findall(r'<td class="text-end">([^<]*)</td>', total) == ["0", "0", "—", "0", "0", "0", "—"]


def test_dashboard_figures(client, make, login, district):
    login(make.create_admin())
    page = client.get("/admin").get_data(as_text=True)
    figure = lambda key: re.search(rf'id="figure-{key}">([^<]*)<', page).group(1)  # noqa: E731
    assert figure("enrolled") == "4" and figure("completion-rate") == "66.7%" and figure("hours") == "9"
    assert figure("ce-rate") == "50.0%"
    assert "<svg" in page.split("<main", 1)[1] and 'id="chart-programme-data"' in page and "<script>" not in page


def test_csv_export_has_a_bom_masks_and_is_gb18030_safe(client, make, login, district):
    login(make.create_admin())
    response = client.get("/admin/reports/workers", query_string={"year": district["year"], "format": "csv"})
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "姓名" and {row[0] for row in rows[1:]} == {"甲一", "甲二", "乙一"}
    assert "13911110001" not in text and "139****0001" in text
    text.encode("gb18030")


def test_xlsx_export_opens_with_the_same_figures_as_the_page(client, make, login, district):
    login(make.create_admin())
    args = {"year": district["year"], "group": "programme"}
    page_rows = table(client.get("/admin/reports/progress", query_string=args).get_data(as_text=True))
    data = client.get("/admin/reports/progress", query_string={**args, "format": "xlsx"}).data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    # as an office makes it: what and whose, when, a header that stays in view and filters
    assert sheet["A1"].value == f"进度报表 · {district['year']} · 全区" and sheet["A2"].value.startswith("导出时间")
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    values = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    assert values["筑基计划"][0] == int(page_rows["筑基计划"][0])
    assert values["筑基计划"][5] == float(page_rows["筑基计划"][5])
    header = [cell.value for cell in sheet[3]]
    rate = sheet.cell(row=4 + list(values).index("筑基计划"), column=1 + header.index("结业率"))
    assert rate.number_format == "0.0%" and 0 <= rate.value <= 1  # a rate is a percentage, not 85.0


def test_full_export_needs_a_reason_and_is_audited(client, make, login, district):
    admin = make.create_admin()
    login(admin)
    query = f"year={district['year']}"
    refused = client.post("/admin/reports/workers/full-export", data={"reason": "", "format": "csv", "query": query})
    assert refused.status_code == 400
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.full_export")) is None
    response = client.post("/admin/reports/workers/full-export",
                           data={"reason": "区社会工作部年度核查", "format": "csv", "query": query})
    assert "13911110001" in response.data.decode("utf-8")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.full_export"))
    assert event.actor_id == admin.id and event.detail["reason"] == "区社会工作部年度核查"


def test_annual_return_is_subdistrict_by_programme_with_totals(client, make, login, district):
    login(make.create_admin())
    data = client.get("/admin/reports/annual", query_string={"year": district["year"]}).data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert len(rows) == 18  # 17 subdistricts and the total
    # columns: QINGYUN (enrolled, completed, hours), ZHUJI (...), ... then ALL
    assert rows["东华门街道"][0:6] == (1, 0, 0, 2, 1, 6)
    assert rows["天坛街道"][0:6] == (1, 1, 3, 0, 0, 0)
    assert rows["合计"][-3:] == (4, 2, 9)


def test_street_administrators_see_only_their_subdistrict_everywhere(client, make, login, district):
    login(make.create_street_admin(street=make.subdistrict(A)))
    year = district["year"]
    dashboard = client.get("/admin").get_data(as_text=True)
    assert re.search(r'id="figure-enrolled">([^<]*)<', dashboard).group(1) == "3"
    assert "天坛街道" not in dashboard.split('id="chart-subdistrict-data"')[1].split("</table>")[0]
    leak = client.get("/admin/reports/progress", query_string={"year": year, "subdistrict": str(
        make.subdistrict(B).id), "group": "subdistrict"}).get_data(as_text=True)
    assert "天坛街道" not in table(leak) and "东华门街道" in table(leak)
    drill = client.get("/admin/reports/workers", query_string={"year": year, "cell_subdistrict": str(
        make.subdistrict(B).id)}).get_data(as_text=True)
    assert "乙一" not in drill
    exported = client.get("/admin/reports/workers", query_string={"year": year, "format": "csv"}).data.decode()
    assert "乙一" not in exported and "甲一" in exported
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/admin/reports/annual").data)).active
    names = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]
    assert names == ["东华门街道", "合计"]
    assert client.post("/admin/reports/workers/full-export", data={"reason": "x", "query": ""}).status_code == 403
    assert client.get(f"/admin/workers/{district['b1'].id}/record").status_code == 404


def test_reports_are_for_administrators(client, make, login):
    login(make.create_instructor())
    for path in ("/admin", "/admin/reports/progress", "/admin/reports/workers", "/admin/reports/annual"):
        assert client.get(path).status_code == 403


def test_report_pages_run_the_same_number_of_queries_at_two_sizes(client, make, login, district):
    login(make.create_admin())
    annual = f"/admin/reports/annual?year={district['year']}"
    paths = ["/admin", f"/admin/reports/progress?year={district['year']}&group=subdistrict&then=programme", annual]
    before = {}
    for path in paths:
        client.get(path)  # warm the per-process cache of reference names
        clear_page_cache()  # count what computing the figures takes, not serving them from the cache
        with count_queries(db.engine) as counter:
            client.get(path)
        before[path] = counter.count
    for _ in range(10):
        course = make.create_course("LINGYAN", starts_on=local_today().replace(month=1, day=5))
        db.session.add(Enrolment(course=course, worker=make.create_worker(), status=S.COMPLETED,
                                 credited_hours=Decimal("3")))
    db.session.commit()
    for path in paths:
        client.get(path)  # the new workers' units moved the names' version: keep the names again
        clear_page_cache()
        with count_queries(db.engine) as counter:
            client.get(path)
        assert counter.count == before[path], path
    # the account, two aggregates for the return, two for the registry's sheet, the names' version
    assert before[annual] <= 6


def test_figures_once_shown_change_with_the_next_commit(client, make, login, district):
    """Report results are cached under a version the summary tables increment on every change."""
    login(make.create_admin())
    args = {"year": district["year"]}

    def zhuji():
        return table(client.get("/admin/reports/progress", query_string=args).get_data(as_text=True))["筑基计划"]

    def dashboard_enrolled():
        return re.search(r'id="figure-enrolled"[^>]*>\s*([^<\s]+)', client.get("/admin").get_data(as_text=True)).group(1)

    def dashboard_zhuji():  # from the kept rendering of the charts
        page = client.get("/admin").get_data(as_text=True).split('id="chart-programme-data"')[1]
        return re.search(r'筑基计划</th><td class="text-end">(\d+)', page).group(1)

    assert zhuji()[0] == "2" and zhuji()[0] == "2"
    shown, shown_zhuji = dashboard_enrolled(), dashboard_zhuji()
    course = make.create_course("ZHUJI", starts_on=local_today().replace(month=1, day=5) if local_today().month > 1
                                else local_today())
    ops.enrol(course, make.create_worker(), by_staff=True)
    db.session.commit()
    assert zhuji()[0] == "3"
    assert int(dashboard_enrolled()) == int(shown) + 1
    assert int(dashboard_zhuji()) == int(shown_zhuji) + 1


def test_charts_and_the_progress_table_are_rendered_once_per_result_and_query(app, client, make, login, district):
    login(make.create_admin())
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    args = {"year": district["year"]}
    with template_rendered.connected_to(note, app):
        first = client.get("/admin/reports/progress", query_string=args).get_data(as_text=True)
        again = client.get("/admin/reports/progress", query_string=args).get_data(as_text=True)
        grouped = client.get("/admin/reports/progress", query_string=args | {"group": "subdistrict"}).get_data(
            as_text=True)
        boards = [client.get("/admin").get_data(as_text=True) for _ in range(2)]
        other, admin = app.test_client(), make.create_admin()  # another administrator: the same rendering
        assert other.post("/login", data={"phone": admin.phone, "password": DEFAULT_PASSWORD}).status_code == 302
        boards.append(other.get("/admin").get_data(as_text=True))
    assert rendered.count("reports/_progress_table.html") == 2  # the first query and the grouped one
    assert rendered.count("reports/_dashboard_board.html") == 1
    assert table(first) == table(again) and "筑基计划" in table(first)
    assert "cell_subdistrict=" in grouped.split('id="progress-table"')[1] and "东华门街道" in table(grouped)
    assert len({board.split('id="chart-programme-data"')[1].split("</table>")[0] for board in boards}) == 1


def test_the_enrolments_export_lists_every_enrolment_masked_and_scoped(client, make, login, district):
    login(make.create_street_admin(street=make.subdistrict(A)))
    text = client.get("/admin/reports/enrolments", query_string={"year": district["year"]}).data.decode()
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][0] == "姓名"
    assert sorted(row[0] for row in rows[1:]) == ["甲一", "甲一", "甲二"]  # this year's, subdistrict A only
    assert "13911110001" not in text and "139****0001" in text


def test_the_enrolments_export_in_xlsx_holds_the_same_rows_as_the_csv(client, make, login, district):
    login(make.create_admin())
    args = {"year": district["year"]}
    csv_rows = list(csv.reader(io.StringIO(client.get("/admin/reports/enrolments", query_string=args).data.decode()[1:])))
    data = client.get("/admin/reports/enrolments", query_string={**args, "format": "xlsx"}).data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    xlsx_rows = [[("" if value is None else str(value)) for value in row]
                 for row in sheet.iter_rows(min_row=3, values_only=True)]  # below the title and the time of export
    assert len(xlsx_rows) == len(csv_rows) == 6  # the header and five enrolments this year
    assert [row[:8] for row in xlsx_rows] == [row[:8] for row in csv_rows]
    completed = [row for row in csv_rows if row[7] == "已结业"]
    assert {row[0]: float(row[8]) for row in completed} == {"甲一": 6.0, "乙一": 3.0}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", row[6]) for row in csv_rows[1:])


def test_the_enrolments_csv_reads_back_as_the_rows_the_database_gives(client, make, login, district):
    """On PostgreSQL the server writes the CSV (COPY); on SQLite the csv module does: the same rows either way."""
    from flask_babel import force_locale

    from academy.core.exports import driver_batches
    from academy.reports.queries import ReportFilters, enrolment_rows_query

    login(make.create_admin())
    text = client.get("/admin/reports/enrolments").data.decode()
    assert text.startswith("\ufeff姓名,")
    exported = list(csv.reader(io.StringIO(text[1:])))[1:]
    with force_locale("zh_CN"):
        query = enrolment_rows_query(ReportFilters(), {status: str(status.label) for status in S})
    expected = [["" if value is None else str(value) for value in row]
                for batch in driver_batches(db.session, query) for row in batch]
    assert len(exported) == len(expected) > 5 and exported == expected


def test_export_rows_come_from_the_database_a_batch_at_a_time(make, district):
    from academy.core.exports import driver_batches
    from academy.reports.queries import ReportFilters, enrolment_rows_query

    query = enrolment_rows_query(ReportFilters(), {status: status.value for status in S})
    assert [len(batch) for batch in driver_batches(db.session, query, batch=2)] == [2, 2, 2]


def test_a_drilldown_whose_cell_contradicts_its_filters_is_empty(make, district):
    from academy.reports.queries import DrilldownPage, ReportFilters

    page = DrilldownPage(filters=ReportFilters(year=district["year"]), cell={"year": district["year"] - 1},
                         per_page=2, error_out=False)
    assert (page.total, page.items) == (0, [])
    page = DrilldownPage(filters=ReportFilters(programme="zhuji"), cell={"programme": "ZHUJI"}, per_page=50,
                         error_out=False)
    assert page.total == len(page.items) > 0
