"""The roster as CSV and XLSX (masked, the course's staff only) and a session's sign-in sheet as a PDF."""
import csv
import io
from datetime import timedelta

import openpyxl
from pypdf import PdfReader

from academy.core.i18n import local_today
from academy.enrolment import operations as ops
from academy.extensions import db


def scene(make):
    instructor = make.create_instructor()
    course = make.create_course(code="ROSTER-01", title="社区走访技巧", capacity=1, instructors=[instructor],
                                venue="东城区社工学院 201 教室", starts_on=local_today() + timedelta(days=5))
    seated = make.create_worker(name="王小红", phone="13910000001")
    waiting = make.create_worker(name="李大明", phone="13910000002")
    ops.enrol(course, seated)
    ops.enrol(course, waiting)
    db.session.commit()
    return course, instructor


def test_the_roster_exports_as_csv_and_xlsx_with_numbers_masked(client, make, login):
    course, instructor = scene(make)
    login(instructor)
    lines = list(csv.reader(io.StringIO(client.get(f"/teach/courses/{course.id}/roster/export?format=csv")
                                        .data.decode("utf-8-sig"))))
    assert lines[0] == ["姓名", "手机号", "工作单位", "街道", "状态", "候补顺位"]
    assert [(line[0], line[1], line[4], line[5]) for line in lines[1:]] == [
        ("王小红", "139****0001", "已报名", ""), ("李大明", "139****0002", "候补中", "1")]
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/teach/courses/{course.id}/roster/export?format=xlsx").data))
    sheet = book.active
    assert "社区走访技巧" in sheet["A1"].value and [c.value for c in sheet[3]][:2] == ["姓名", "手机号"]
    assert "13910000001" not in str([[c.value for c in row] for row in sheet.iter_rows()])


def test_the_sign_in_sheet_lists_the_seated_workers_with_a_column_to_sign(client, make, login):
    course, instructor = scene(make)
    login(instructor)
    session = course.sessions[0]
    response = client.get(f"/teach/courses/{course.id}/sessions/{session.id}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "签到表" in text and "社区走访技巧" in text and "201 教室" in text and "签名" in text
    assert "王小红" in text and "李大明" not in text  # only those holding a seat sign in
    assert client.get(f"/teach/courses/{course.id}/sessions/999999/sign-in-sheet.pdf").status_code == 404


def test_only_the_courses_staff_take_the_roster_away(client, make, login):
    course, _ = scene(make)
    login(make.create_instructor())
    assert client.get(f"/teach/courses/{course.id}/roster/export?format=csv").status_code == 403
    assert client.get(f"/teach/courses/{course.id}/sessions/{course.sessions[0].id}/sign-in-sheet.pdf").status_code == 403
