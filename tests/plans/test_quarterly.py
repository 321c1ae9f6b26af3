"""The quarterly report: issued with the administrator's text, its PDF (read back) and XLSX carry the same
figures, it is kept unchanged whatever changes after, and listed with who issued it."""
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from academy.extensions import db
from academy.partners.models import Agreement, AgreementType, Partner
from academy.plans import operations
from academy.plans.models import QuarterlyReport
from academy.reports.quarterly import quarter_bounds, quarterly_figures
from tests.plans.helpers import A, YEAR, plan, small_district

TEXT = "第二季度，学院围绕年度计划推进各项培训。\n青云计划学历教育稳步推进。"


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr("academy.reports.quarterly_views.local_today", lambda: date(YEAR, 7, 2))


@pytest.fixture
def planned(make):
    district = small_district(make)
    admin = district["admin"]
    plan(make, admin, people_trained=4, enrolments=12)
    plan(make, admin, street=A, people_trained=1)
    partner = db.session.scalar(select(Partner).order_by(Partner.id))
    db.session.add_all([
        Agreement(title="合作协议", type=AgreementType.FRAMEWORK, signed_on=date(YEAR, 2, 10), parties=[partner]),
        Agreement(title="实训协议", type=AgreementType.FRAMEWORK, signed_on=date(YEAR - 1, 5, 1),
                  effective_to=date(YEAR, 5, 30), parties=[partner])])
    db.session.commit()
    return district


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_the_quarters_figures_by_hand(make, planned):
    assert quarter_bounds(YEAR, 1) == (date(YEAR, 1, 1), date(YEAR, 3, 31))
    assert quarter_bounds(YEAR, 4) == (date(YEAR, 10, 1), date(YEAR, 12, 31))
    figures = quarterly_figures(db.session, YEAR, 1, TEXT, date(YEAR, 7, 2))
    # three courses start on 10 March and end on 11 March: 6 hours a completion, five completions
    assert figures["highlights"] == {"courses": 3, "hours": "30", "certificates": 0, "agreements_signed": 1,
                                     "agreements_expiring": 1}
    assert figures["as_of"] == f"{YEAR}-03-31"
    whole = next(p for p in figures["plans"] if p["scope"] == "全区")
    people = whole["targets"][0]
    assert (people["label"], people["planned"], people["actual"], people["reached"]) == ("培训人数", "4", "2", "50")
    assert Decimal(people["due"]) == (Decimal(4) * 90 / 365).quantize(Decimal("0.1"))  # 90 of 365 days by 31 March
    assert people["status_label"] == "超前"
    assert [p["scope"] for p in figures["plans"]] == ["全区", "东华门街道"]
    standing = figures["standing"]
    assert standing["applicable"] == sum(row["applicable"] for row in standing["subdistricts"])


def test_issuing_keeps_the_documents_and_the_figures_unchanged(client, login, make, planned, frozen_today):
    admin = planned["admin"]
    login(admin)
    response = client.post("/admin/reports/quarterly", data={"year": str(YEAR), "quarter": "2", "text": TEXT})
    assert response.status_code == 302
    report = db.session.scalar(select(QuarterlyReport))
    assert (report.year, report.quarter, report.issued_by_id) == (YEAR, 2, admin.id)
    figures = json.loads(report.figures)
    pdf = client.get(f"/admin/reports/quarterly/{report.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert f"东城区社会工作学院{YEAR}年第2季度工作报告" in text
    assert "青云计划学历教育稳步推进" in text and "培训人数" in text and "东华门街道" in text
    assert "本季度开班数" in text and "继续教育达标情况" in text and f"{YEAR}年07月02日" in text
    workbook = load_workbook(io.BytesIO(client.get(f"/admin/reports/quarterly/{report.id}.xlsx").data))
    rows = list(workbook["计划完成情况"].iter_rows(min_row=4, values_only=True))
    expected = [[plan["programme"], plan["scope"], t["label"], float(t["planned"]), float(t["actual"])]
                for plan in figures["plans"] for t in plan["targets"]]
    assert [list(row[:5]) for row in rows] == expected
    for row in expected:  # the PDF shows the same figures
        assert "".join(str(value) for value in row[:3]) in text.replace("\n", "") or row[2] in text
    # what changes afterwards never changes the issued report
    kept_pdf, kept_figures = pdf.data, report.figures
    whole = db.session.scalar(select(operations.Plan).where(operations.Plan.subdistrict_id.is_(None)))
    operations.change_plan(whole, admin, figures={"people_trained": 400}, reason="调整")
    db.session.commit()
    db.session.expire_all()
    assert client.get(f"/admin/reports/quarterly/{report.id}.pdf").data == kept_pdf
    assert db.session.get(QuarterlyReport, report.id).figures == kept_figures
    listing = client.get("/admin/reports/quarterly").get_data(as_text=True)
    assert admin.name in listing and f"/admin/reports/quarterly/{report.id}.pdf" in listing


def test_a_report_without_text_is_refused_and_writes_nothing(client, login, make, frozen_today):
    login(make.create_admin())
    client.set_cookie("lang", "en")
    response = client.post("/admin/reports/quarterly", data={"year": str(YEAR), "quarter": "2", "text": "  "})
    assert response.status_code == 200 and "Write the report" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuarterlyReport.id))) == 0


def test_only_administrators_issue(client, login, make, frozen_today):
    login(make.create_street_admin(street=make.subdistrict(A)))
    response = client.post("/admin/reports/quarterly", data={"year": str(YEAR), "quarter": "2", "text": TEXT})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(QuarterlyReport.id))) == 0
    with pytest.raises(operations.OperationError):
        operations.issue_quarterly_report(make.create_street_admin(), year=YEAR, quarter=2, text=TEXT, figures="{}",
                                          pdf=b"", xlsx=b"")


def test_the_administrators_words_show_literally(app, hostile_name):
    """The report's text enters the PDF as text, never as markup, and the XLSX as text, never a formula."""
    from academy.reports.quarterly_documents import render_pdf, render_xlsx
    from tests.hostile import printable, squeeze

    figures = {"year": YEAR, "quarter": 1, "first": "2025-01-01", "last": "2025-03-31", "as_of": "2025-03-31",
               "text": hostile_name, "plans": [],
               "highlights": {"courses": 0, "hours": "0", "certificates": 0, "agreements_signed": 0,
                              "agreements_expiring": 0},
               "standing": {"applicable": 0, "compliant": 0, "rate": "", "subdistricts": []}}
    with app.app_context():
        reader = PdfReader(io.BytesIO(render_pdf(figures, date(YEAR, 4, 1))))
    for page in reader.pages:
        assert not [a for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Link"]
    assert printable(hostile_name) in squeeze("".join(page.extract_text() for page in reader.pages))
    figures["text"] = "=HYPERLINK(\"https://evil.example\",\"点此\")"
    sheet = load_workbook(io.BytesIO(render_xlsx(figures)))["工作概述"]
    assert sheet.cell(4, 3).data_type == "s" and sheet.cell(4, 3).value.startswith("'=")


def test_new_certificates_are_those_issued_in_the_quarter_and_not_revoked(make, planned):
    from academy.certificates.models import Certificate
    from academy.core.i18n import local_today
    from academy.core.models import now_utc

    today = local_today()
    issued = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert len(issued) >= 2  # each completion earned one, issued now
    issued[0].revoked_at, issued[0].revoke_reason = now_utc(), "误发"
    db.session.commit()
    figures = quarterly_figures(db.session, today.year, (today.month - 1) // 3 + 1, TEXT, today)
    assert figures["highlights"]["certificates"] == len(issued) - 1
    assert quarterly_figures(db.session, today.year - 3, 1, TEXT, today)["highlights"]["certificates"] == 0
