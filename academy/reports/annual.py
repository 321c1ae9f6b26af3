"""The annual statistical return (年度统计报表): a fixed-layout XLSX of subdistrict × programme with
enrolments, completions and hours, and totals; a second sheet with the registry's figures by subdistrict
(holders now, new certificates in the year, cumulative to its end)."""
import io

import xlsxwriter
from flask import send_file

from academy.core.i18n import LOCAL_TZ
from academy.core.models import now_utc
from academy.core.spreadsheets import WORKBOOK_OPTIONS
from academy.programmes.names import reference_names
from academy.qualifications.counts import tallied_holder_rows, tallied_year_rows
from academy.qualifications.models import LEVELS
from academy.reports.queries import ReportFilters, progress_report

MEASURES = (("enrolled", "报名人次"), ("completed", "结业人次"), ("hours", "学时"))


def annual_table(session, year: int, scope):
    """(programmes, rows, totals): rows are (subdistrict name, {(code, measure): value}) in NBS order."""
    names = reference_names()
    programmes = [(programme.code, programme.name_zh) for programme in names.programmes]
    streets = [(unit.id, unit.name_zh) for unit in names.subdistricts
               if scope.subdistrict_id is None or unit.id == scope.subdistrict_id]
    report = progress_report(session, ["subdistrict", "programme"],
                             ReportFilters(year=year, subdistrict_id=scope.subdistrict_id), totals=False)
    cells = {(row.keys[0], row.keys[1]): row for row in report.rows}
    rows, totals = [], {}
    for street_id, street_name in streets:
        values = {}
        for code, _ in programmes:
            row = cells.get((street_id, code))
            for measure, _ in MEASURES:
                value = getattr(row, measure) if row else 0
                values[(code, measure)] = value
                values[("ALL", measure)] = values.get(("ALL", measure), 0) + value
                totals[(code, measure)] = totals.get((code, measure), 0) + value
                totals[("ALL", measure)] = totals.get(("ALL", measure), 0) + value
        rows.append((street_name, values))
    return programmes, rows, totals


LEVEL_NAMES = ("助理社会工作师", "社会工作师", "高级社会工作师")


def registry_table(session, year: int, scope):
    """Rows (subdistrict name, workers, holders by level, new in `year` by level, cumulative by level) in NBS
    order, and the district's totals, from the registry's summary tables."""
    by_rank = {level.rank: level for level in LEVELS}
    streets = [(unit.id, unit.name_zh) for unit in reference_names().subdistricts]
    workers, holders, new, cumulative = {}, {}, {}, {}
    for street, rank, count in tallied_holder_rows(session):
        workers[street] = workers.get(street, 0) + count
        if rank:
            holders[(street, by_rank[rank])] = holders.get((street, by_rank[rank]), 0) + count
    for exam_year, level, street, count in tallied_year_rows(session):
        if exam_year == year:
            new[(street, level)] = new.get((street, level), 0) + count
        if exam_year <= year:
            cumulative[(street, level)] = cumulative.get((street, level), 0) + count
    rows = []
    for street_id, name in streets:
        if scope.subdistrict_id is not None and street_id != scope.subdistrict_id:
            continue
        rows.append((name, workers.get(street_id, 0), *(holders.get((street_id, level), 0) for level in LEVELS),
                     *(new.get((street_id, level), 0) for level in LEVELS),
                     *(cumulative.get((street_id, level), 0) for level in LEVELS)))
    totals = ("合计", *(sum(row[index] for row in rows) for index in range(1, 11)))
    return rows, totals


def _registry_sheet(book, session, year: int, scope, title, head, cell, total) -> None:
    rows, totals = registry_table(session, year, scope)
    sheet = book.add_worksheet(f"{year}年度持证情况")
    sheet.merge_range(0, 0, 0, 11, f"东城区社会工作者职业资格 {year} 年度统计", title)
    sheet.write(1, 0, _scope_line(rows, scope))
    sheet.merge_range(2, 0, 3, 0, "街道", head)
    sheet.merge_range(2, 1, 3, 1, "社工人数", head)
    groups = (("现持证人数（按最高等级）", 2), (f"{year}年新取得证书", 5), (f"截至{year}年底累计证书", 8))
    for label, first in groups:
        sheet.merge_range(2, first, 2, first + 2, label, head)
        for offset, name in enumerate(LEVEL_NAMES):
            sheet.write(3, first + offset, name, head)
    sheet.merge_range(2, 11, 3, 11, "持证率", head)
    percent = book.add_format({"border": 1, "num_format": "0.0%"})
    for row_index, row in enumerate([*rows, totals], start=4):
        name_style, style = total if row is totals else cell
        sheet.write(row_index, 0, row[0], name_style)
        for column, value in enumerate(row[1:], start=1):
            sheet.write_number(row_index, column, value, style)
        sheet.write_number(row_index, 11, sum(row[2:5]) / row[1] if row[1] else 0, percent)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 11, 11)
    sheet.freeze_panes(4, 1)


def _scope_line(rows, scope) -> str:
    """Whose figures and when they were taken, under the title."""
    whose = rows[0][0] if scope.subdistrict_id is not None and rows else "全区"
    return f"范围：{whose}　导出时间：{now_utc().astimezone(LOCAL_TZ):%Y-%m-%d %H:%M}（北京时间）"


def annual_return_response(session, year: int, scope):
    buffer = io.BytesIO()
    write_annual_return(buffer, session, year, scope)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name=f"annual-return-{year}.xlsx")


def write_annual_return(handle, session, year: int, scope) -> None:
    """The annual return's workbook, written to a binary file (a response's buffer, or a job's file)."""
    programmes, rows, totals = annual_table(session, year, scope)
    book = xlsxwriter.Workbook(handle, {"in_memory": True, **WORKBOOK_OPTIONS})
    sheet = book.add_worksheet(f"{year}年度统计")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#F2DCDB",
                            "text_wrap": True})
    cell = book.add_format({"border": 1, "num_format": "0.##"})  # numbers only: names are written with `name`
    name = book.add_format({"border": 1})
    total = book.add_format({"border": 1, "bold": True, "num_format": "0.##", "bg_color": "#EEEEEE"})
    total_name = book.add_format({"border": 1, "bold": True, "bg_color": "#EEEEEE"})
    columns = [code for code, _ in programmes] + ["ALL"]
    last_column = len(columns) * len(MEASURES)
    sheet.merge_range(0, 0, 0, last_column, f"东城区社会工作学院 {year} 年度培训统计报表", title)
    sheet.write(1, 0, _scope_line(rows, scope))
    sheet.merge_range(2, 0, 3, 0, "街道", head)
    names = dict(programmes) | {"ALL": "合计"}
    for index, code in enumerate(columns):
        first = 1 + index * len(MEASURES)
        sheet.merge_range(2, first, 2, first + len(MEASURES) - 1, names[code], head)
        for offset, (_, label) in enumerate(MEASURES):
            sheet.write(3, first + offset, label, head)
    for row_index, (street, values) in enumerate(rows, start=4):
        sheet.write(row_index, 0, street, name)
        for index, code in enumerate(columns):
            for offset, (measure, _) in enumerate(MEASURES):
                sheet.write_number(row_index, 1 + index * len(MEASURES) + offset, float(values[(code, measure)]), cell)
    total_row = 4 + len(rows)
    sheet.write(total_row, 0, "合计", total_name)
    for index, code in enumerate(columns):
        for offset, (measure, _) in enumerate(MEASURES):
            sheet.write_number(total_row, 1 + index * len(MEASURES) + offset, float(totals.get((code, measure), 0)),
                               total)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, last_column, 9)
    sheet.freeze_panes(4, 1)
    _registry_sheet(book, session, year, scope, title, head, (name, cell), (total_name, total))
    book.close()
