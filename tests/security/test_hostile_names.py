"""Every hostile name (tests/hostile.py) through the other formats user words enter: the pages that
show them (escaped, never obeyed) and the CSV and XLSX exports (read back literally, never a formula).
The PDFs and the certificate ZIP have their own tests (test_pdfs.py, test_uploads.py)."""
import csv
import io
import re

import openpyxl
from markupsafe import escape

from academy.core.i18n import local_today
from academy.core.spreadsheets import spreadsheet_safe
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.partners.models import Agreement, AgreementType
from tests.hostile import fit

def shown_escaped(page: str, text: str) -> None:
    assert str(escape(text)) in page, text
    if "<" in text or "&" in text:
        assert text not in page  # never as markup


def as_excel_reads(value):
    """XLSX keeps characters XML cannot hold as _xHHHH_, which Excel turns back (openpyxl does not)."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda match: chr(int(match.group(1), 16)), value) if isinstance(
        value, str) else value


def scene(make, name):
    worker = make.create_worker(name=fit(name, 50))
    course = make.create_course(title=fit(name, 120), starts_on=local_today())
    ops.enrol(course, worker, by_staff=True)
    db.session.add(Agreement(title=fit(name, 200), type=AgreementType.FRAMEWORK, signed_on=local_today()))
    db.session.commit()
    return worker, course


def test_pages_show_hostile_names_escaped(client, make, login, hostile_name):
    worker, course = scene(make, hostile_name)
    name, title = fit(hostile_name, 50), fit(hostile_name, 120)
    shown_escaped(client.get(f"/courses/{course.id}").get_data(as_text=True), title)
    login(worker)
    for path in ("/learning", "/me", "/account"):
        page = client.get(path).get_data(as_text=True)
        shown_escaped(page, name if path != "/learning" else title)
    client.post("/logout")
    login(make.create_admin())
    for path, text in ((f"/admin/users/{worker.id}", name), ("/admin/users", name), ("/agreements", fit(hostile_name, 200)),
                       (f"/admin/workers/{worker.id}/record", name)):
        shown_escaped(client.get(path).get_data(as_text=True), text)


def test_exports_read_hostile_names_back_literally(client, make, login, hostile_name):
    worker, course = scene(make, hostile_name)
    name, title = fit(hostile_name, 50), fit(hostile_name, 120)
    login(make.create_admin())
    args = {"year": local_today().year}
    text = client.get("/admin/reports/enrolments", query_string=args).data.decode("utf-8")
    (row,) = [row for row in csv.reader(io.StringIO(text[1:])) if spreadsheet_safe(name) in row]
    assert spreadsheet_safe(title) in row
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/admin/reports/enrolments",
                                                         query_string={**args, "format": "xlsx"}).data)).active
    cells = {as_excel_reads(cell.value) for line in sheet.iter_rows() for cell in line}
    assert spreadsheet_safe(name) in cells and spreadsheet_safe(title) in cells
    assert not [cell for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]  # no formula
    agreements = client.get("/agreements/export.csv").data.decode("utf-8")
    assert spreadsheet_safe(fit(hostile_name, 200)) in [row[0] for row in csv.reader(io.StringIO(agreements[1:]))]
