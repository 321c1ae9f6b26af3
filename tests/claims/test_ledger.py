"""The ledger's contents (every decision, materials, objections, payment), masking unless a reason is
given (audited), and the statistics by level and subdistrict with the change on the previous scheme."""
import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.auth.enums import Qualification
from academy.claims import notice as notice_ops
from academy.claims import operations as ops
from academy.claims.ledger import statistics
from academy.claims.models import ClaimState
from academy.extensions import db
from tests.claims.helpers import TODAY, bring_to, draft, scheme

S = ClaimState


def paid_and_rejected(make):
    the_scheme = scheme(make)
    paid = draft(make, the_scheme, worker=make.create_worker(name="张大伟", resident_id="110101199001011234"))
    people = bring_to(make, paid, S.IN_NOTICE)
    admin = people[S.SECOND_REVIEW]
    objection = notice_ops.file_objection(paid, grounds="是否东城单位", contact="c", today=TODAY)
    notice_ops.resolve_objection(objection, actor=admin, upheld=False, reason="核实为东城单位")
    notice_ops.close_notices(date(2026, 7, 1))
    notice_ops.record_payment([paid], actor=admin, batch_no="2026-001", paid_on=date(2026, 7, 10))
    rejected = draft(make, the_scheme, level=Qualification.SOCIAL_WORKER)
    first = bring_to(make, rejected, S.FIRST_REVIEW)[S.FIRST_REVIEW]
    ops.reject(rejected, actor=first, reason="证书年度不符")
    draft(make, the_scheme)  # a draft is not in the ledger
    db.session.commit()
    return the_scheme, paid, rejected, people, admin


def sheet(response):
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(min_row=3, values_only=True))
    return rows[0], rows[1:]  # below the title and the time of export


def test_the_ledger_has_a_row_per_claim_with_every_decision(client, make, login):
    the_scheme, paid, rejected, people, admin = paid_and_rejected(make)
    login(admin)
    header, rows = sheet(client.get(f"/admin/claim-schemes/{the_scheme.id}/ledger.xlsx"))
    assert header[0] == "申请人" and len(rows) == 2
    row = next(r for r in rows if r[0] == "张大伟")
    assert row[1] == "110***********1234" and row[5] == paid.certificate_no and row[6] == 2025 and row[7] == 1000
    assert row[9] == "6222 **** 2333" and row[10] == "已发放"
    assert people[S.FIRST_REVIEW].name in row[12] and people[S.SECOND_REVIEW].name in row[13]
    assert people[S.FINAL_REVIEW].name in row[14]
    assert "签字的申请表" in row[15] and "身份证明" in row[15]
    assert "是否东城单位" in row[16] and "核实为东城单位" in row[16]
    assert row[17] == "2026-001 · 2026-07-10"
    other = next(r for r in rows if r[0] != "张大伟")
    assert "证书年度不符" in other[12] and other[13] is None
    # the masked ledger is a read like any list (a GET writes nothing); only the full one is audited
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claims.ledger_export")) is None


def test_the_full_ledger_needs_a_reason_and_is_audited(client, make, login):
    the_scheme, *_rest, admin = paid_and_rejected(make)
    login(admin)
    refused = client.post(f"/admin/claim-schemes/{the_scheme.id}/ledger-full", data={"reason": ""})
    assert refused.status_code == 400
    header, rows = sheet(client.post(f"/admin/claim-schemes/{the_scheme.id}/ledger-full",
                                     data={"reason": "财政拨付核对"}))
    row = next(r for r in rows if r[0] == "张大伟")
    assert row[1] == "110101199001011234" and row[9] == "6222000011112222333"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "claims.ledger_export")
                              .order_by(AuditEvent.id.desc()))
    assert event.detail["full"] is True and event.detail["reason"] == "财政拨付核对"


def test_statistics_by_level_and_subdistrict_with_the_change(client, make, login):
    earlier = scheme(make, exam_year=2024)
    for _ in range(4):
        bring_to(make, draft(make, earlier), S.FIRST_REVIEW)
    the_scheme, paid, rejected, *_rest, admin = paid_and_rejected(make)
    extra = draft(make, the_scheme)
    bring_to(make, extra, S.FIRST_REVIEW)  # 3 applicants against 4: -25.0%
    stats = statistics(the_scheme)
    assert stats.total.applicants == 3 and stats.total.approved == 1 and stats.total.rejected == 1
    assert stats.levels[Qualification.ASSISTANT].applicants == 2
    assert stats.levels[Qualification.SOCIAL_WORKER].rejected == 1
    assert stats.total.amount == 1000 and stats.change == "-25.0%"
    assert sum(t.applicants for t in stats.streets.values()) == 3
    login(admin)
    page = client.get(f"/admin/claim-schemes/{the_scheme.id}/statistics").get_data(as_text=True)
    assert "-25.0%" in page
    header, rows = sheet(client.get(f"/admin/claim-schemes/{the_scheme.id}/statistics?format=xlsx"))
    assert rows[-1][1:4] == (3, 1, 1)


def test_a_ledger_above_the_export_limit_is_written_by_a_job(app, client, make, login, monkeypatch):
    import html
    import re

    from sqlalchemy import func, select

    from academy.jobs.models import Job, JobStatus

    the_scheme, paid, rejected, people, admin = paid_and_rejected(make)
    login(admin)
    inline_header, inline_rows = sheet(client.get(f"/admin/claim-schemes/{the_scheme.id}/ledger.xlsx"))
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 1)
    jobs_before = db.session.scalar(select(func.count(Job.id)))
    offer = client.get(f"/admin/claim-schemes/{the_scheme.id}/ledger.xlsx")
    assert offer.status_code == 200 and db.session.scalar(select(func.count(Job.id))) == jobs_before  # GET: nothing
    action = re.search(r'action="([^"]*/ledger-job)"', offer.get_data(as_text=True)).group(1)
    started = client.post(html.unescape(action))
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert started.headers["Location"] == f"/jobs/{job.id}" and job.status == JobStatus.DONE
    header, rows = sheet(client.get(f"/jobs/{job.id}/download"))
    assert header == inline_header and rows == inline_rows  # the same masked ledger
    client.post("/logout")
    login(people[S.FIRST_REVIEW])  # a subdistrict reviewer keeps no ledger
    assert client.get(f"/jobs/{job.id}/download").status_code == 404
