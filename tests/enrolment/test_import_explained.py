"""The class-list import explains each refused row by its real reason, numbers rows as the spreadsheet
does, reads semicolon-separated files, offers a template and keeps the refused rows to download."""
import csv
import io
import re

import openpyxl
from sqlalchemy import select

from academy.core.imports import read_table
from academy.enrolment.importer import parse_rows
from academy.enrolment.models import Enrolment
from academy.extensions import db
from tests.enrolment.test_import import enrolment_count, upload, xlsx

VALID_ID = "110101199001011237"


def rows_of(page: str) -> list[tuple[str, str]]:
    """(row number, the row's whole text) of each previewed row."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in body.split("<tr")[1:]]
    return [(row[0], re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", " ".join(row))).strip()) for row in cells]


def test_each_refused_row_says_its_real_reason(client, make, login):
    make.create_course(code="REAL-01")
    make.create_worker(phone="13810000001", name="张小明")
    login(make.create_admin())
    text = ("手机号或身份证号,课程代码,姓名\n"
            "110101199001011238,REAL-01\n"     # an 18-character number whose check digit is wrong
            "110101900101123,REAL-01\n"        # 15 characters
            "1381000000,REAL-01\n"             # ten digits
            "13899999999,REAL-01\n"            # nobody's number
            f"{VALID_ID},REAL-01\n"            # nobody's ID number
            "13810000001,NO-SUCH\n"            # no such course
            "13810000001,\n"                   # no course code
            "13810000001,REAL-01,张晓明\n")     # a name that differs: written, flagged
    page = upload(client, text.encode()).get_data(as_text=True)
    rows = dict(rows_of(page))
    assert "身份证号校验不通过" in rows["2"] or "最后一位" in rows["2"]
    assert "18 位" in rows["3"] and "15" in rows["3"]
    assert "不是有效的手机号" in rows["4"]
    assert "没有使用该手机号的学员账号" in rows["5"]
    assert "没有登记该身份证号的学员" in rows["6"]
    assert "没有课程代码为 NO-SUCH 的课程" in rows["7"]
    assert "第二列为空" in rows["8"]
    assert "请核对姓名：文件中为 张晓明，账号中为 张小明" in rows["9"] and "将报名" in rows["9"]
    assert enrolment_count() == 0


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    table = read_table(xlsx([["手机号", "课程"], ["13810000001", "A-1"], [], ["13810000002", "A-1"], [], [],
                             ["13810000003", "A-1"]]))
    assert [row.line for row in parse_rows(table)] == [2, 4, 7]
    csv_table = read_table("手机号,课程\n\n13810000001,A-1\n13810000002,A-1\n".encode())
    assert [row.line for row in parse_rows(csv_table)] == [3, 4]


def test_a_semicolon_separated_file_is_read(client, make, login):
    make.create_course(code="SEMI-01")
    make.create_worker(phone="13810000005")
    login(make.create_admin())
    page = upload(client, "手机号;课程代码\n13810000005;SEMI-01\n".encode("gb18030")).get_data(as_text=True)
    assert "将报名" in dict(rows_of(page))["2"]


def test_the_template_has_the_columns_the_import_reads(client, make, login):
    login(make.create_admin())
    response = client.get("/admin/enrolments/import/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == ["手机号或身份证号", "课程代码", "姓名（选填，用于核对）"]
    (row,) = parse_rows(read_table(response.data))  # the header is taken as one; the example is row 2
    assert (row.line, row.identifier, row.course_code) == (2, "13800000000", "COURSE-CODE")


def test_refused_rows_are_kept_to_download_with_their_reasons(client, make, login):
    make.create_course(code="KEEP-01")
    worker = make.create_worker(phone="13810000007")
    login(make.create_admin())
    page = upload(client, "13810000007,KEEP-01\n13899999998,KEEP-01\n13810000007,NO-SUCH\n".encode()).get_data(
        as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    done = client.post("/admin/enrolments/import/confirm", data={"token": token})
    refused = re.search(r"refused=([A-Za-z0-9_-]+)", done.headers["Location"]).group(1)
    landing = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"/admin/enrolments/import/refused/{refused}.csv" in landing
    lines = list(csv.reader(io.StringIO(client.get(f"/admin/enrolments/import/refused/{refused}.csv")
                                        .data.decode("utf-8-sig"))))
    assert lines[0][-2:] == ["行号", "未导入原因"]
    assert [(line[0], line[1], line[3]) for line in lines[1:]] == [("13899999998", "KEEP-01", "2"),
                                                                    ("13810000007", "NO-SUCH", "3")]
    assert "没有课程代码为 NO-SUCH 的课程" in lines[2][4]
    assert db.session.scalar(select(Enrolment.worker_id)) == worker.id
    assert client.get("/admin/enrolments/import/refused/AAAAAAAAAAAAAAAAAAAAAAAA.csv").status_code == 404
    assert client.get("/admin/enrolments/import/refused/..%2Fsecret.csv").status_code in (400, 404)
