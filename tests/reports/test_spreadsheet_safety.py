"""Text that a spreadsheet would run as a formula (a name typed as =HYPERLINK(...)) reaches every CSV
and XLSX export as text."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import literal, select

from academy.core.spreadsheets import spreadsheet_safe, spreadsheet_safe_sql
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db

NAME = '=HYPERLINK("http://evil.example","点我")'
TITLE = "+SUM(1,2)"


@pytest.mark.parametrize("text", ["=1+1", "+86", "-5", "@cmd", "\tx", "\rx", "张三", "", "a=b", "'=x"])
def test_the_database_neutralises_exactly_what_python_does(text):
    assert db.session.scalar(select(spreadsheet_safe_sql(literal(text)))) == spreadsheet_safe(text)


@pytest.fixture
def hostile(make):
    worker = make.create_worker(name=NAME)
    course = make.create_course(title=TITLE)
    db.session.add(Enrolment(course=course, worker=worker, status=EnrolmentStatus.ENROLLED))
    db.session.commit()
    return worker, course


def csv_rows(response) -> list:
    return list(csv.reader(io.StringIO(response.data.decode("utf-8")[1:])))


def test_csv_exports_prefix_formulas_with_an_apostrophe(client, make, login, hostile):
    login(make.create_admin())
    workers = csv_rows(client.get("/admin/reports/workers", query_string={"format": "csv"}))
    assert ["'" + NAME] == [row[0] for row in workers if NAME in row[0]]
    enrolments = csv_rows(client.get("/admin/reports/enrolments"))
    row = next(row for row in enrolments if NAME in row[0])
    assert (row[0], row[4]) == ("'" + NAME, "'" + TITLE)


def test_xlsx_exports_keep_formulas_as_text(client, make, login, hostile):
    login(make.create_admin())
    for path, query in (("/admin/reports/workers", {"format": "xlsx"}),
                        ("/admin/reports/enrolments", {"format": "xlsx"})):
        sheet = openpyxl.load_workbook(io.BytesIO(client.get(path, query_string=query).data)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and NAME in str(cell.value)]
        assert cells and all(cell.data_type == "s" for cell in cells), path


def test_the_agreements_csv_prefixes_formulas(client, make, login):
    from tests.partners.test_partners import agreement

    agreement(make, title="@SUM(A1:A9)")
    login(make.create_admin())
    rows = csv_rows(client.get("/agreements/export.csv"))
    assert "'@SUM(A1:A9)" in [row[0] for row in rows]
