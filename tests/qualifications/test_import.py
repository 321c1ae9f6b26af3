"""The annual results import: preview matches by ID number and flags what it cannot write; confirm
writes verified records and derives the profiles; CSV in UTF-8 or GB18030 and XLSX."""
import io
import re

import xlsxwriter
from sqlalchemy import func, select
from stdnum.cn import ric

from academy.auth.enums import Qualification
from academy.extensions import db
from academy.qualifications.models import QualificationRecord, RecordStatus
from tests.qualifications.helpers import add_record


def resident_id(serial: int) -> str:
    body = f"11010119850101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def upload(client, data: bytes, name="名单.csv"):
    return client.post("/admin/qualifications/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def outcomes(page: str) -> list[str]:
    return re.findall(r'data-outcome="([a-z_]+)"', page)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(QualificationRecord))


def scene(make):
    people = {key: make.create_worker(name=name, resident_id=resident_id(index), qualification=Qualification.NONE,
                                      registration_date=None)
              for index, (key, name) in enumerate([("new", "林一"), ("declared", "林二"), ("senior", "林三"),
                                                   ("mismatch", "林四"), ("taken", "林五"), ("done", "林六")], start=1)}
    add_record(people["declared"], Qualification.ASSISTANT, number="A2025-0002", year=2025, status=RecordStatus.DECLARED)
    add_record(people["taken"], Qualification.ASSISTANT, number="A2025-0005", year=2025)
    add_record(people["done"], Qualification.ASSISTANT, number="A2025-0006", year=2025)
    return people


ROWS = [
    ["姓名", "身份证号", "等级", "证书编号", "年度", "发证日期"],
    ["林一", resident_id(1), "助理社会工作师", "a2025-0001", "2025", "2025-12-20"],   # new: written verified
    ["林二", resident_id(2), "初级", "A2025-0002", "2025", ""],                       # verifies the declaration
    ["林三", resident_id(3), "高级社会工作师", "G2025-0003", "2025", ""],             # senior, intermediate below
    ["林三", resident_id(3), "社会工作师", "Z2025-0003", "2025", ""],                 # the intermediate
    ["李四", resident_id(4), "助理社会工作师", "A2025-0004", "2025", ""],             # name mismatch
    ["林七", resident_id(7), "助理社会工作师", "A2025-0007", "2025", ""],             # unknown person
    ["林一", resident_id(1), "社会工作师", "A2025-0005", "2025", ""],                 # number held by 林五
    ["林六", resident_id(6), "助理社会工作师", "A2025-0006", "2025", ""],             # already verified
    ["林一", resident_id(1), "社会工作师", "Z2025-0001", "2007", ""],                 # before the first exam
    ["林一", resident_id(1), "大师", "Z2025-0009", "2025", ""],                       # no such level
    ["林一", resident_id(1), "社会工作师", "Z2025-0003", "2025", ""],                 # same number twice in the file
]


def csv_bytes(rows, encoding="utf-8") -> bytes:
    return "\n".join(",".join(row) for row in rows).encode(encoding)


def test_the_preview_flags_every_row_and_writes_nothing(client, make, login):
    scene(make)
    login(make.create_admin())
    before = count()
    page = upload(client, csv_bytes(ROWS, "gb18030")).get_data(as_text=True)
    assert outcomes(page) == ["will_write", "will_verify", "will_write", "will_write", "name_mismatch", "unknown_person",
                              "number_taken", "already", "invalid", "invalid", "duplicate"]
    assert "该身份证号属于林四" in page and resident_id(1) not in page
    assert count() == before


def test_confirm_writes_verified_records_and_derives_the_levels(client, make, login):
    people = scene(make)
    admin = make.create_admin()
    login(admin)
    page = upload(client, csv_bytes(ROWS)).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/qualifications/import/confirm", data={"token": token}, follow_redirects=True)
    assert "已写入 4 条已核验的证书记录；跳过 7 行" in response.get_data(as_text=True)
    db.session.expire_all()
    levels = {key: db.session.get(type(w.profile), w.id).qualification for key, w in people.items()}
    assert levels["new"] == Qualification.ASSISTANT and levels["declared"] == Qualification.ASSISTANT
    assert levels["senior"] == Qualification.SENIOR and levels["mismatch"] == Qualification.NONE
    written = db.session.scalar(select(QualificationRecord).where(QualificationRecord.certificate_no == "A2025-0001"))
    assert written.status == RecordStatus.VERIFIED and written.imported and written.decided_by_id == admin.id
    assert written.events[0].to_status == RecordStatus.VERIFIED and written.events[0].actor_id == admin.id
    again = client.post("/admin/qualifications/import/confirm", data={"token": token}, follow_redirects=True)
    assert "此预览已过期或已使用" in again.get_data(as_text=True)


def test_xlsx_with_numbers_and_dates_as_cells(client, make, login):
    from datetime import datetime

    scene(make)
    login(make.create_admin())
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["姓名", "身份证号", "等级", "证书编号", "年度", "发证日期"])
    sheet.write_row(1, 0, ["林一", resident_id(1), "助理社会工作师", "A2025-0001", 2025])
    sheet.write_datetime(1, 5, datetime(2025, 12, 20), workbook.add_format({"num_format": "yyyy-mm-dd"}))
    workbook.close()
    page = upload(client, buffer.getvalue(), "名单.xlsx").get_data(as_text=True)
    assert outcomes(page) == ["will_write"]


def test_a_file_that_cannot_be_read_says_why(client, make, login):
    login(make.create_admin())
    response = upload(client, b"\x80\x80\x80")
    assert "文件的文本编码不是 UTF-8 或 GB18030" in response.get_data(as_text=True)


def test_the_import_is_for_administrators_only(client, make, login):
    login(make.create_street_admin())
    assert client.get("/admin/qualifications/import").status_code == 403
    assert client.post("/admin/qualifications/import/confirm", data={"token": "x" * 24}).status_code == 403
