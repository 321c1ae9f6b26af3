import io

import pytest
import xlsxwriter
from sqlalchemy import func, select

from academy.auth.enums import Qualification
from academy.courses.models import CourseStatus
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentStatus as S
from academy.extensions import db

ID_NUMBER = "110101199001011237"


def enrolment_count():
    return db.session.scalar(select(func.count(Enrolment.id)))


def upload(client, data: bytes, name="名单.csv"):
    return client.post("/admin/enrolments/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def scene(make):
    course = make.create_course(code="IMPORT-01", title="导入测试课程", capacity=2, waitlist_enabled=True)
    tight = make.create_course(code="TIGHT-01", title="不设候补的课程", capacity=1, waitlist_enabled=False)
    senior_only = make.create_course(code="SENIOR-01", min_qualification=Qualification.SENIOR)
    draft = make.create_course(code="DRAFT-01", status=CourseStatus.DRAFT)
    workers = [make.create_worker(phone=f"1381000000{i}") for i in range(5)]
    by_id = make.create_worker(resident_id=ID_NUMBER)
    already = make.create_worker(phone="13810000009")
    ops.enrol(course, already)
    db.session.commit()
    return dict(course=course, tight=tight, senior_only=senior_only, draft=draft, workers=workers, by_id=by_id)


CSV_TEXT = (
    "手机号或身份证号,课程代码\n"
    "13810000000,IMPORT-01\n"          # will enrol (seat 2 of 2, one taken already)
    f"{ID_NUMBER},import-01\n"           # by ID, lower-case code: waitlist
    "13810000000,IMPORT-01\n"          # duplicate of row 1
    "13810000009,IMPORT-01\n"          # already enrolled: duplicate
    "13899999999,IMPORT-01\n"          # unknown worker
    "13810000001,NO-SUCH\n"            # unknown course
    "13810000002,SENIOR-01\n"          # not eligible
    "13810000003,TIGHT-01\n"           # will enrol (last seat)
    "13810000004,TIGHT-01\n"           # course full, no waitlist
    "13810000001,DRAFT-01\n"           # draft: not eligible
    "not-a-phone,IMPORT-01\n"          # invalid
)

EXPECTED = ["will_enrol", "will_waitlist", "duplicate", "duplicate", "unknown_worker", "unknown_course",
            "not_eligible", "will_enrol", "course_full", "not_eligible", "invalid"]
LABELS = {"will_enrol": "将报名", "will_waitlist": "将进入候补", "duplicate": "重复", "unknown_worker": "学员不存在",
          "unknown_course": "课程不存在", "not_eligible": "不符合条件", "course_full": "课程已满", "invalid": "无效行"}


def outcomes(page: str) -> list[str]:
    import re

    body = page.split("<tbody>")[1].split("</tbody>")[0]
    cells = re.findall(r"<tr[^>]*>\s*<td>(\d+)</td>.*?</td>\s*<td>.*?</td>\s*<td>([^<]+)</td>", body, re.S)
    reverse = {label: key for key, label in LABELS.items()}
    return [reverse[label.strip()] for _, label in cells]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_preview_judges_every_row_and_writes_nothing(client, make, login, scene, encoding):
    login(make.create_admin())
    before = enrolment_count()
    response = upload(client, CSV_TEXT.encode(encoding))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert outcomes(page) == EXPECTED
    assert "本课程要求高级社会工作师及以上职业资格" in page
    assert "13899999999" not in page and "138****9999" in page  # unknown identifiers are masked too
    assert enrolment_count() == before


def test_xlsx_is_read_too_including_numbers_typed_as_numbers(client, make, login, scene):
    login(make.create_admin())
    data = xlsx([["手机号", "课程"], [13810000000, "IMPORT-01"], [ID_NUMBER, "IMPORT-01"]])
    page = upload(client, data, "名单.xlsx").get_data(as_text=True)
    assert outcomes(page) == ["will_enrol", "will_waitlist"]


def test_confirm_writes_the_good_rows_in_one_go(client, make, login, scene):
    login(make.create_admin())
    page = upload(client, CSV_TEXT.encode("gb18030")).get_data(as_text=True)
    import re

    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/enrolments/import/confirm", data={"token": token}, follow_redirects=True)
    assert "已报名 3 人，跳过 8 行" in response.get_data(as_text=True)
    course, tight, by_id = scene["course"], scene["tight"], scene["by_id"]
    db.session.expire_all()
    statuses = {e.worker_id: e.status for e in db.session.scalars(select(Enrolment).where(
        Enrolment.course_id.in_([course.id, tight.id])))}
    assert statuses[scene["workers"][0].id] == S.ENROLLED
    assert statuses[by_id.id] == S.WAITLISTED
    assert statuses[scene["workers"][3].id] == S.ENROLLED
    assert scene["workers"][4].id not in statuses
    assert course.seats_taken == 2 and tight.seats_taken == 1
    again = client.post("/admin/enrolments/import/confirm", data={"token": token}, follow_redirects=True)
    assert "此预览已过期或已使用" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.csv", "文件为空"),
        (b"\x00\x01\x02\x03binary", "a.csv", "这不是 CSV 或 XLSX 文件"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "XLSX 文件已损坏"),
        (b"\x80\x80\x80", "a.csv", "文件的文本编码不是 UTF-8 或 GB18030"),
        ("手机号,课程代码\n".encode(), "a.csv", "文件中没有可导入的行"),
        (b"13810000000,A\n" * 200000, "a.csv", "文件超过 2 MB"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "list.csv", "这不是 CSV 或 XLSX 文件"),
    ],
)
def test_malformed_files_get_a_clear_message_and_nothing_is_stored(client, make, login, app, data, name, message):
    from pathlib import Path

    login(make.create_admin())
    folder = Path(app.config["UPLOAD_DIR"]) / "imports"
    before = set(folder.glob("*")) if folder.exists() else set()
    response = upload(client, data, name)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    after = set(folder.glob("*")) if folder.exists() else set()
    assert after == before


def test_import_is_for_administrators_only(client, make, login):
    login(make.create_instructor())
    assert client.get("/admin/enrolments/import").status_code == 403
    assert client.post("/admin/enrolments/import/confirm", data={"token": "x" * 24}).status_code == 403


def test_a_forged_token_is_refused(client, make, login):
    login(make.create_admin())
    assert client.post("/admin/enrolments/import/confirm", data={"token": "../../etc/passwd"}).status_code == 400
