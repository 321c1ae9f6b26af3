"""The audit trail reads as sentences in the reader's language, with readable details, filters by date,
operator, action and object, exports what the filters admit, and names a sentence for every action."""
import csv
import io
import re
from datetime import datetime, timezone
from pathlib import Path

import openpyxl

from academy.audit.models import AuditEvent
from academy.audit.operations import record
from academy.audit.phrases import ACTIONS
from academy.claims.models import ClaimState
from academy.core.querycount import count_queries
from academy.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def rows_of(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).replace("： ", "：").strip() for row in body.split("<tr>")[1:]]


def test_each_event_reads_as_a_sentence_with_the_objects_title_and_its_details(client, make, login):
    admin = make.create_admin(name="王敏")
    course = make.create_course(title="社区治理实务")
    record("course.update", course, actor=admin, capacity=[30, 40], title=["旧标题", "社区治理实务"])
    db.session.commit()
    login(admin)
    page = client.get("/admin/audit", query_string={"action": "course.update"}).get_data(as_text=True)
    (row,) = rows_of(page)
    assert "王敏 修改了课程《社区治理实务》" in row
    assert "容量：30 → 40" in row and "名称：旧标题 → 社区治理实务" in row
    assert "\\u" not in page and "course.update" not in row and "{" not in row
    client.set_cookie("lang", "en")
    (row,) = rows_of(client.get("/admin/audit", query_string={"action": "course.update"}).get_data(as_text=True))
    assert "王敏 changed the course 社区治理实务" in row and "Capacity：30 → 40" in row


def test_an_action_without_a_sentence_still_shows_by_its_code(client, make, login):
    admin = make.create_admin()
    record("something.new", actor=admin)
    db.session.commit()
    login(admin)
    assert any("something.new" in row for row in rows_of(client.get("/admin/audit").get_data(as_text=True)))


def test_filters_by_dates_operator_action_and_object(client, make, login):
    admin, other = make.create_admin(name="王敏"), make.create_admin(name="李强")
    first, second = make.create_course(title="甲课程"), make.create_course(title="乙课程")
    old = record("course.update", first, actor=admin)
    old.at = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing on 1 March
    record("course.create", second, actor=other)
    record("course.update", second, actor=admin)
    db.session.commit()
    login(admin)

    def shown(**args):
        return rows_of(client.get("/admin/audit", query_string=args).get_data(as_text=True))

    assert len(shown(operator="李强")) == 1 and "李强" in shown(operator="李强")[0]
    assert len(shown(action="course.update")) == 2
    assert len(shown(object_type="courses", object_id=str(first.id))) == 1
    march = shown(after_date="2026-03-01", before_date="2026-03-01")
    assert len(march) == 1 and "甲课程" in march[0]
    assert len(shown(after_date="2026-03-02", action="course.update")) == 1
    assert shown(before_date="2026-02-28") == ["没有符合条件的记录。"]
    assert len(shown(after_date="not a date")) >= 3  # a bad filter is dropped, never an error page


def test_the_export_holds_what_the_filters_admit(client, make, login):
    admin = make.create_admin(name="=HYPERLINK(\"x\")")
    course = make.create_course(title="社区治理")
    record("course.update", course, actor=admin)
    record("login.success", admin, actor=admin)
    db.session.commit()
    login(admin)
    data = client.get("/admin/audit", query_string={"action": "course.update", "format": "csv"}).data.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(data)))
    assert lines[0][:3] == ["时间（北京时间）", "操作人", "操作"] and len(lines) == 2
    assert lines[1][2] == "修改了课程《社区治理》"
    assert lines[1][1] == "'=HYPERLINK(\"x\")"  # an operator's name never becomes a formula
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/audit", query_string={"format": "xlsx"}).data))
    sheet = book.active
    assert sheet.max_row == 3 + db.session.query(AuditEvent).count()  # title, time of export, header


def test_the_page_runs_the_same_queries_for_few_events_or_many(client, make, login):
    admin = make.create_admin()
    login(admin)
    record("course.create", make.create_course(), actor=admin)
    db.session.commit()
    with count_queries(db.engine) as few:
        client.get("/admin/audit")
    for _ in range(20):
        record("course.update", make.create_course(), actor=make.create_admin())
        record("user.create", make.create_worker(), actor=admin)
    db.session.commit()
    with count_queries(db.engine) as many:
        client.get("/admin/audit")
    assert many.count == few.count  # one statement per kind of object on the page (courses, accounts), not per event


def test_every_action_the_code_records_has_its_sentence():
    recorded = set()
    for path in (ROOT / "academy").rglob("*.py"):
        recorded |= set(re.findall(r"\b(?:record|audit)\(\s*\"([a-z_]+(?:\.[a-z_]+)*)\"", path.read_text("utf-8")))
    # built from parts in the code: partners' and practice bases' saves, agreements' events, the registry's decisions
    recorded |= {f"{kind}.{verb}" for kind in ("partner", "practice_base") for verb in ("create", "update")}
    recorded |= {f"agreement.{verb}" for verb in ("create", "update", "document", "renewed", "terminated")}
    recorded |= {f"qualification.{verb}" for verb in ("verified", "refused", "revoked")}
    recorded |= {f"claims.objection_{verb}" for verb in ("upheld", "dismissed")} - {"claims.objection_"}
    recorded |= {f"claims.{state.value}" for state in ClaimState if state != ClaimState.DRAFT}  # every move's target
    recorded.discard("claims.objection_")
    assert len(recorded) > 40
    assert sorted(recorded - set(ACTIONS)) == []


def test_every_object_kind_names_a_table_and_column_that_exist(app):
    from academy.audit.phrases import OBJECTS

    tables = db.metadata.tables
    wrong = [(name, label) for name, (label, _kind) in OBJECTS.items()
             if name not in tables or (label is not None and label not in tables[name].c)]
    assert wrong == []
