import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.auth.enums import Qualification
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.models import EvidenceFile, ExternalRecord, ReviewStatus
from academy.core.i18n import local_today

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def image_bytes(kind: str) -> bytes:
    """A real (tiny) image: evidence is parsed, not only recognised by its first bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=kind)
    return buffer.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def training(**overrides):
    data = {"title": "社区心理援助培训", "institution": "北京市社会工作者协会", "started_on": "2026-03-01",
            "ended_on": "2026-03-03", "hours": "16"}
    data.update(overrides)
    return data


def post_record(client, kind, data, file=None):
    if file is not None:
        data = {**data, "evidence": (io.BytesIO(file[1]), file[0])}
    return client.post(f"/me/records/new/{kind}", data=data, content_type="multipart/form-data")


def stored_files(app):
    folder = Path(app.config["UPLOAD_DIR"]) / "evidence"
    return set(folder.glob("*")) if folder.exists() else set()


def test_worker_adds_training_with_evidence_and_it_counts_once_verified(client, make, login, app):
    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=date(2025, 9, 1))
    login(worker)
    response = post_record(client, "training", training(), ("证书.pdf", PDF))
    assert response.status_code == 302
    item = db.session.scalar(select(ExternalRecord))
    assert item.review_status == ReviewStatus.PENDING and item.evidence.content_type == "application/pdf"
    assert Path(app.config["UPLOAD_DIR"], "evidence", item.evidence.stored_name).read_bytes() == PDF
    page = client.get("/me").get_data(as_text=True)
    assert "社区心理援助培训" in page and "待审核" in page
    assert "已完成 0 / 72 学时" in page  # unverified: does not count yet
    client.post("/logout")
    login(make.create_admin())
    client.post(f"/admin/records/{item.id}/review", data={"verify": "y"})
    client.post("/logout")
    login(worker)
    page = client.get("/me").get_data(as_text=True)
    assert "已完成 16 / 72 学时" in page and "已审核" in page
    assert "您的记录“社区心理援助培训”已审核通过" in client.get("/notifications").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 100, "只接受 PDF、JPG 和 PNG 文件"),
        ("certificate.pdf", b"MZ\x90\x00" + b"\x00" * 100, "只接受 PDF、JPG 和 PNG 文件"),  # renamed executable
        ("notes.txt", b"just some text", "只接受 PDF、JPG 和 PNG 文件"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "文件超过 10 MB"),
        # finding 10 of the pen test (issue 27): the first bytes of a PDF or an image, then something else
        ("page.pdf", b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
         "只接受 PDF、JPG 和 PNG 文件"),
        ("page.pdf", b"%PDF-1.4\n<!DOCTYPE html><title>x</title>\n%%EOF\n", "只接受 PDF、JPG 和 PNG 文件"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n", "只接受 PDF、JPG 和 PNG 文件"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "只接受 PDF、JPG 和 PNG 文件"),
        ("fake.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script>", "只接受 PDF、JPG 和 PNG 文件"),
        ("png-as-jpg.jpg", b"\xff\xd8\xff" + PNG, "只接受 PDF、JPG 和 PNG 文件"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(client, make, login, app, name, data, message):
    login(make.create_worker())
    before_files = stored_files(app)
    response = post_record(client, "training", training(), (name, data))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ExternalRecord.id))) == 0
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 0
    assert stored_files(app) == before_files


def test_evidence_is_optional_up_to_a_days_hours(client, make, login):
    login(make.create_worker())
    assert post_record(client, "training", training(hours="8")).status_code == 302
    assert db.session.scalar(select(ExternalRecord)).evidence is None


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("training", training(hours=""), "请输入学时"),
        ("training", training(hours="2.2"), "请以半小时为单位"),
        ("training", training(ended_on="2026-02-01"), "结束日期不能早于开始日期"),
        ("training", training(hours="500"), "3 天最多可申报 24 学时（每天 8 学时）"),
        ("training", training(), "超过 8 学时须上传证明材料"),
        ("training", training(started_on=""), "请填写所申报学时的起止日期"),
        ("degree", {"title": "专升本", "institution": "东城区职工大学", "major": "社会工作", "level_from": "bachelor",
                    "level_to": "junior_college", "degree_status": "studying"}, "学历须提升到更高层次"),
        ("degree", {"title": "专升本", "institution": "东城区职工大学", "major": "社会工作",
                    "level_from": "junior_college", "level_to": "bachelor", "degree_status": "graduated"},
         "请填写毕业日期"),
        ("research", {"title": "老旧小区加装电梯议事协商", "institution": "北京青年政治学院", "research_kind": "poem",
                      "role": "组长"}, "该字段是必填字段"),
    ],
)
def test_bad_records_are_explained_and_not_written(client, make, login, kind, data, message):
    login(make.create_worker())
    response = post_record(client, kind, data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ExternalRecord.id))) == 0


def test_degree_and_research_records_appear_in_their_tiers(client, make, login):
    worker = make.create_worker()
    login(worker)
    post_record(client, "degree", {"title": "社会工作专升本", "institution": "东城区职工大学", "major": "社会工作",
                                   "level_from": "junior_college", "level_to": "bachelor", "credits_earned": "40",
                                   "credits_required": "80", "started_on": "2025-09-01",
                                   "expected_end_on": "2027-07-01", "degree_status": "studying"}, ("成绩单.png", PNG))
    post_record(client, "research", {"title": "老旧小区加装电梯议事协商案例", "institution": "北京青年政治学院",
                                     "research_kind": "case_study", "role": "执笔人", "hours": "20",
                                     "ended_on": "2026-05-01"}, ("案例报告.pdf", PDF))
    page = client.get("/me").get_data(as_text=True)
    degree = page.split('id="tier-degree"')[1].split('id="tier-capability"')[0]
    research = page.split('id="tier-research"')[1]
    assert "社会工作专升本" in degree and "大专 → 本科" in degree and "40 / 80" in degree
    assert "老旧小区加装电梯议事协商案例" in research and "案例研究" in research


def test_course_completions_fill_the_tier_of_their_programme(client, make, login):
    worker = make.create_worker()
    for code, title in (("QINGYUN", "学历衔接课"), ("LINGYAN", "骨干研修课"), ("XINGHUO", "创新实践课")):
        course = make.create_course(code, title=title, starts_on=local_today() - timedelta(days=30))
        db.session.add(Enrolment(course=course, worker=worker, status=EnrolmentStatus.COMPLETED,
                                 credited_hours=Decimal("6")))
    db.session.commit()
    login(worker)
    page = client.get("/me").get_data(as_text=True)
    degree, rest = page.split('id="tier-capability"')
    capability, research = rest.split('id="tier-research"')
    assert "学历衔接课" in degree and "骨干研修课" in capability and "创新实践课" in research
    assert f"{(local_today() - timedelta(days=30)).year}: 18" in capability  # hours per year, all tiers


def test_admin_rejects_with_a_reason_and_the_worker_is_told(client, make, login):
    worker = make.create_worker()
    item = ExternalRecord(worker_id=worker.id, kind="training", title="未认可的培训", institution="某机构",
                          hours=Decimal("8"), ended_on=date(2026, 1, 1))
    db.session.add(item)
    db.session.commit()
    login(make.create_admin())
    client.post(f"/admin/records/{item.id}/review", data={"reject": "y", "reason": ""})
    db.session.refresh(item)
    assert item.review_status == ReviewStatus.PENDING
    client.post(f"/admin/records/{item.id}/review", data={"reject": "y", "reason": "证明材料不清晰"})
    db.session.refresh(item)
    assert item.review_status == ReviewStatus.REJECTED and item.review_reason == "证明材料不清晰"


def test_a_worker_never_sees_another_workers_record_or_evidence(client, make, login):
    owner, other = make.create_worker(), make.create_worker()
    login(owner)
    post_record(client, "training", training(), ("证书.pdf", PDF))
    evidence = db.session.scalar(select(EvidenceFile))
    assert client.get(f"/evidence/{evidence.id}").data == PDF
    client.post("/logout")
    login(other)
    assert client.get(f"/evidence/{evidence.id}").status_code == 404
    assert client.get(f"/admin/workers/{owner.id}/record").status_code == 403
    assert "社区心理援助培训" not in client.get("/me").get_data(as_text=True)


def test_street_administrators_see_their_subdistricts_workers_only(client, make, login):
    home, away = make.subdistrict("110101001000"), make.subdistrict("110101016000")
    local = make.create_worker(work_unit=make.create_unit(parent=home))
    remote = make.create_worker(work_unit=make.create_unit(parent=away))
    login(make.create_street_admin(street=home))
    assert client.get(f"/admin/workers/{local.id}/record").status_code == 200
    assert client.get(f"/admin/workers/{remote.id}/record").status_code == 404
    assert client.get(f"/admin/workers/{remote.id}/record/print").status_code == 404


def test_printable_record_has_no_navigation(client, make, login):
    worker = make.create_worker(name="打印测试")
    login(worker)
    page = client.get("/me/print").get_data(as_text=True)
    assert "打印测试" in page and "学习档案" in page and "navbar" not in page
    # a way back and a print button (its script a file, as the policy allows), both left off the paper
    assert '<a class="btn btn-outline-secondary btn-sm" href="/me">返回</a>' in page
    assert "data-print>打印</button>" in page and 'src="/static/js/print.js"' in page
    assert client.get("/static/js/print.js").status_code == 200


def test_record_page_runs_a_fixed_number_of_queries(client, make, login):
    worker = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=date(2025, 1, 1))
    login(worker)
    client.get("/me")
    clear_page_cache()  # count what rendering takes, not what serving the kept page does
    with count_queries(db.engine) as few:
        client.get("/me")
    for index in range(15):
        course = make.create_course("ZHUJI", starts_on=date(2025, 3, 1) + timedelta(days=index))
        db.session.add(Enrolment(course=course, worker=worker, status=EnrolmentStatus.COMPLETED,
                                 credited_hours=Decimal("3")))
        db.session.add(ExternalRecord(worker_id=worker.id, kind="training", title=f"培训{index}", institution="x",
                                      hours=Decimal("2"), ended_on=date(2025, 5, 1), review_status="verified"))
    db.session.commit()
    clear_page_cache()
    with count_queries(db.engine) as many:
        client.get("/me")
    assert few.count == many.count <= 6, "\n".join(many.statements)


def test_the_record_as_a_pdf_for_title_applications(client, make, login):
    from pypdf import PdfReader

    worker = make.create_worker(name="档案人")
    course = make.create_course("LINGYAN", title="骨干研修课程", starts_on=local_today() - timedelta(days=30))
    db.session.add(Enrolment(course=course, worker=worker, status=EnrolmentStatus.COMPLETED,
                             credited_hours=Decimal("6")))
    db.session.commit()
    login(worker)
    response = client.get("/me/record.pdf")
    assert response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "档案人" in text and "骨干研修课程" in text and "能力提升" in text


def test_changing_a_rule_is_audited_and_recomputes_standings(client, make, login):
    from academy.audit.models import AuditEvent
    from academy.progress.models import CeStanding, ContinuingEducationRule

    worker = make.create_worker(qualification=Qualification.ASSISTANT, registration_date=date(2025, 9, 1))
    rule = db.session.scalar(select(ContinuingEducationRule).where(
        ContinuingEducationRule.qualification == Qualification.ASSISTANT))
    login(make.create_admin())
    response = client.post(f"/admin/ce-rules/{rule.id}/edit", data={
        "period_years": "3", "required_hours": "60", "degree_hours": "90", "window_months": "3"})
    assert response.status_code == 302
    assert db.session.get(CeStanding, worker.id).required == Decimal("60")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "ce_rule.update"))
    assert event.detail["required_hours"] == ["72.0", "60"]


def test_a_pending_record_can_be_changed_or_withdrawn_by_its_worker_only(client, make, login):
    worker = make.create_worker()
    login(worker)
    post_record(client, "training", training(hours="8"))
    item = db.session.scalar(select(ExternalRecord))
    edited = client.post(f"/me/records/{item.id}/edit", data=training(title="社区心理援助培训（修正）", hours="12"),
                         content_type="multipart/form-data")
    assert "超过 8 学时须上传证明材料" in edited.get_data(as_text=True)  # the same rules as adding
    client.post(f"/me/records/{item.id}/edit", content_type="multipart/form-data",
                data={**training(title="社区心理援助培训（修正）", hours="12"), "evidence": (io.BytesIO(PDF), "证书.pdf")})
    item = db.session.get(ExternalRecord, item.id)
    assert (item.title, item.hours, item.review_status) == ("社区心理援助培训（修正）", Decimal("12"), ReviewStatus.PENDING)
    assert item.evidence is not None
    other = make.create_worker()
    client.post("/logout")
    login(other)
    assert client.get(f"/me/records/{item.id}/edit").status_code == 404
    assert client.post(f"/me/records/{item.id}/withdraw").status_code == 404
    client.post("/logout")
    login(worker)
    client.post(f"/me/records/{item.id}/withdraw")
    status = db.session.scalar(select(ExternalRecord.review_status).where(ExternalRecord.id == item.id))
    assert status == ReviewStatus.WITHDRAWN  # kept, marked
    refused = client.post(f"/me/records/{item.id}/edit", data=training(title="再改"), follow_redirects=True)
    assert "只有待审核的记录可以修改或撤回" in refused.get_data(as_text=True)
    assert db.session.scalar(select(ExternalRecord.title).where(ExternalRecord.id == item.id)) == "社区心理援助培训（修正）"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == item.id)).all()
    assert {"record.update", "record.withdraw"} <= set(actions)


def test_administrators_see_how_many_records_await_review(client, make, login):
    worker = make.create_worker()
    login(worker)
    post_record(client, "training", training(hours="8"))
    post_record(client, "training", training(title="另一培训", hours="4"))
    client.post("/logout")
    login(make.create_admin())
    assert "有 2 条院外记录待审核" in client.get("/admin").get_data(as_text=True)
    client.post("/logout")
    login(make.create_street_admin())
    assert "待审核" not in client.get("/admin").get_data(as_text=True)
