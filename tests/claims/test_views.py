"""The pages: the worker applies on a phone-sized page, reviewers decide from their queues, an
administrator sets up schemes, and anyone reads the notice and objects."""
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from academy.claims.models import Claim, ClaimState, Objection, Scheme
from academy.core.permissions import Role
from academy.extensions import db
from tests.claims.helpers import PDF, TICKS, TODAY, bring_to, draft, freeze, scheme
from tests.factories import DEFAULT_PASSWORD
from tests.qualifications.helpers import add_record

S = ClaimState
CHECKS = {key: "y" for key in TICKS}


def test_a_worker_applies_from_the_registry_and_submits(client, make, login, monkeypatch):
    freeze(monkeypatch, date(2026, 6, 10))
    the_scheme = scheme(make)
    worker = make.create_worker()
    record = add_record(worker, year=2025, number="A2025110100009")
    login(worker)
    page = client.get("/me/claims").get_data(as_text=True)
    assert the_scheme.title in page
    response = client.post(f"/me/claims/new/{the_scheme.id}", data={"record": record.id})
    assert response.status_code == 302
    claim = db.session.scalar(select(Claim).where(Claim.worker_id == worker.id))
    assert (claim.certificate_no, claim.exam_year, claim.state) == ("A2025110100009", 2025, S.DRAFT)
    refused = client.post(f"/me/claims/{claim.id}/submit", follow_redirects=True).get_data(as_text=True)
    assert "开户银行" in refused or "Enter the bank" in refused
    bad = client.post(f"/me/claims/{claim.id}/upload", data={"material": "identity",
                                                             "file": (io.BytesIO(b"<html>"), "id.pdf")})
    assert bad.status_code == 400
    for kind in ("application_form", "certificate", "identity"):
        assert client.post(f"/me/claims/{claim.id}/upload",
                           data={"material": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")}).status_code == 302
    assert client.post(f"/me/claims/{claim.id}/details", data={
        "bank_name": "北京银行东城支行", "bank_account": "6222 0000 1111 2222 333", "account_holder": worker.name,
        "declared": "y"}).status_code == 302
    client.post(f"/me/claims/{claim.id}/submit")
    db.session.refresh(claim)
    assert claim.state == S.FIRST_REVIEW and claim.bank_account == "6222000011112222333"
    from academy.notifications.models import Notification
    note = db.session.scalar(select(Notification).where(Notification.user_id == worker.id,
                                                        Notification.kind == "claim_submitted"))
    assert note.link == f"/me/claims/{claim.id}"
    page = client.get(f"/me/claims/{claim.id}").get_data(as_text=True)
    assert "6222 **** 2333" in page and "6222000011112222333" not in page
    assert 'name="viewport"' in page


def test_another_workers_claim_is_not_found(client, make, login):
    claim = draft(make, scheme(make))
    login(make.create_worker())
    assert client.get(f"/me/claims/{claim.id}").status_code == 404
    assert client.post(f"/me/claims/{claim.id}/submit").status_code == 404
    upload = claim.uploads[0]
    assert client.get(f"/claims/files/{upload.id}").status_code == 404


def test_a_reviewer_decides_with_the_checklist_and_a_stale_page_is_told(client, make, login):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    first = people[S.FIRST_REVIEW]
    login(first)
    queue = client.get("/review/claims").get_data(as_text=True)
    assert claim.worker.name in queue
    page = client.get(f"/review/claims/{claim.id}").get_data(as_text=True)
    assert 'name="state" type="hidden" value="first_review"' in page
    client.post(f"/review/claims/{claim.id}/decide", data={"state": "first_review", "forward": "1", **CHECKS})
    db.session.refresh(claim)
    assert claim.state == S.SECOND_REVIEW and claim.events[-1].checklist == TICKS
    # a colleague who opened the claim earlier submits their decision on the old state
    colleague = make.create_street_admin(street=claim.worker.profile.subdistrict)
    login(colleague)
    told = client.post(f"/review/claims/{claim.id}/decide", data={"state": "first_review", "reject": "1",
                                                                 "note": "x"}, follow_redirects=True)
    assert "其他人" in told.get_data(as_text=True) or "meanwhile" in told.get_data(as_text=True)
    db.session.refresh(claim)
    assert claim.state == S.SECOND_REVIEW and len(claim.events) == 3


def test_bulk_forward_of_checked_claims(client, make, login):
    the_scheme = scheme(make)
    unit = make.create_unit()
    claims = [draft(make, the_scheme, worker=make.create_worker(work_unit=unit)) for _ in range(3)]
    reviewer = make.create_street_admin(street=unit.parent)
    for claim in claims:
        bring_to(make, claim, S.FIRST_REVIEW, people={S.FIRST_REVIEW: reviewer})
    login(reviewer)
    unticked = client.post("/review/claims/bulk-forward", data={"claims": [claims[0].id], "forward": "1"})
    assert unticked.status_code == 302
    db.session.refresh(claims[0])
    assert claims[0].state == S.FIRST_REVIEW
    client.post("/review/claims/bulk-forward", data={"claims": [claims[0].id, claims[1].id], "forward": "1", **CHECKS})
    states = [db.session.get(Claim, claim.id).state for claim in claims]
    assert states == [S.SECOND_REVIEW, S.SECOND_REVIEW, S.FIRST_REVIEW]
    # a claim outside the reviewer's queue (another subdistrict) cannot be slipped in: nothing moves
    outside = draft(make, the_scheme, worker=make.create_worker(work_unit=make.create_unit(
        parent=make.subdistrict("110101016000"))))
    bring_to(make, outside, S.FIRST_REVIEW)
    client.post("/review/claims/bulk-forward", data={"claims": [claims[2].id, outside.id], "forward": "1", **CHECKS})
    assert [db.session.get(Claim, c.id).state for c in (claims[2], outside)] == [S.FIRST_REVIEW, S.FIRST_REVIEW]


def test_overdue_first_reviews_are_highlighted(client, make, login, monkeypatch):
    freeze(monkeypatch, date(2026, 7, 20))
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    login(people[S.FIRST_REVIEW])
    page = client.get("/review/claims").get_data(as_text=True)
    assert "table-danger" in page and "已逾期" in page


def test_an_admin_creates_and_changes_a_scheme(client, make, login):
    login(make.create_admin())
    data = {"title": "2024年度考试奖补", "exam_year": "2024", "amount_assistant": "1000", "amount_social_worker": "2000",
            "amount_senior": "3000", "opens_on": "2025-03-01", "closes_on": "2025-03-31", "first_review_by": "2025-04-15",
            "notice_days": "5", "materials_assistant": ["certificate", "identity"], "materials_social_worker": ["certificate"],
            "materials_senior": ["certificate", "review_pass"], "guide": "指南"}
    bad = client.post("/admin/claim-schemes/new", data={**data, "closes_on": "2025-02-01"})
    assert bad.status_code == 200 and db.session.scalar(select(func.count()).select_from(Scheme)) == 0
    assert client.post("/admin/claim-schemes/new", data=data).status_code == 302
    item = db.session.scalar(select(Scheme))
    assert item.materials["senior"] == ["certificate", "review_pass"]
    assert client.post(f"/admin/claim-schemes/{item.id}/edit", data={**data, "amount_assistant": "1200",
                                                                      "exam_year": "2030"}).status_code == 302
    db.session.refresh(item)
    assert (item.amount_assistant, item.exam_year, item.version) == (1200, 2024, 2)
    assert "2024年度考试奖补" in client.get(f"/admin/claim-schemes/{item.id}").get_data(as_text=True)


def in_notice(make):
    the_scheme = scheme(make)
    claim = draft(make, the_scheme, worker=make.create_worker(name="张大伟"))
    people = bring_to(make, claim, S.IN_NOTICE)
    return claim, people


def test_the_public_notice_masks_names_and_takes_objections(app, make, monkeypatch):
    freeze(monkeypatch, date(2026, 6, 12))
    claim, _people = in_notice(make)
    client = app.test_client()
    page = client.get(f"/notices/{claim.scheme_id}").get_data(as_text=True)
    assert "张*伟" in page and "张大伟" not in page and "1000" in page and "2026-06-16" in page
    assert claim.worker.profile.work_unit.name_zh in page
    response = client.post(f"/notices/{claim.scheme_id}", data={"claim": claim.id, "grounds": "此人非东城单位",
                                                                "contact": "13900000000"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 1


def test_objections_need_a_csrf_token_and_are_rate_limited(app, make, csrf_enabled, monkeypatch):
    freeze(monkeypatch, date(2026, 6, 12))
    claim, _people = in_notice(make)
    client = app.test_client()
    assert client.post(f"/notices/{claim.scheme_id}", data={"claim": claim.id, "grounds": "x",
                                                            "contact": "y"}).status_code == 400
    statuses = []
    for _ in range(6):
        page = client.get(f"/notices/{claim.scheme_id}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]*)"', page).group(1)
        statuses.append(client.post(f"/notices/{claim.scheme_id}", data={
            "claim": claim.id, "grounds": "x", "contact": "y", "csrf_token": token}).status_code)
    assert statuses[-1] == 429
    assert db.session.scalar(select(func.count()).select_from(Objection)) == statuses.count(302)


def test_after_the_period_no_objection_is_taken(app, make, monkeypatch):
    freeze(monkeypatch, date(2026, 6, 30))
    claim, _people = in_notice(make)
    client = app.test_client()
    page = client.get(f"/notices/{claim.scheme_id}").get_data(as_text=True)
    assert 'name="grounds"' not in page
    client.post(f"/notices/{claim.scheme_id}", data={"claim": claim.id, "grounds": "x", "contact": "y"})
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 0


def test_an_admin_resolves_an_objection_and_records_payment(client, make, login):
    claim, people = in_notice(make)
    from academy.claims import notice as notice_ops
    objection = notice_ops.file_objection(claim, grounds="存疑", contact="c", today=TODAY)
    db.session.commit()
    admin = people[S.SECOND_REVIEW]
    login(admin)
    page = client.get(f"/admin/claim-schemes/{claim.scheme_id}").get_data(as_text=True)
    assert "存疑" in page
    client.post(f"/admin/claim-objections/{objection.id}/resolve", data={"dismiss": "1", "reason": "核实无误"})
    notice_ops.close_notices(date(2026, 7, 1))
    db.session.commit()
    assert db.session.get(Claim, claim.id).state == S.APPROVED
    client.post(f"/admin/claim-schemes/{claim.scheme_id}/pay", data={"claims": [claim.id], "batch_no": "2026-001",
                                                                      "paid_on": "2026-07-10"})
    assert db.session.get(Claim, claim.id).state == S.PAID


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.WORKER])
def test_queues_refuse_other_roles(client, make, login, role):
    login(make.create_user(role) if role == Role.INSTRUCTOR else make.create_worker())
    assert client.get("/review/claims").status_code == 403


def test_the_application_form_is_a_filled_pdf_in_chinese(app, client, make, login):
    from pypdf import PdfReader

    claim = draft(make, scheme(make), worker=make.create_worker(name="李小红", resident_id="110101199001011234"))
    login(claim.worker)
    response = client.get(f"/me/claims/{claim.id}/application.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("申请表", "李小红", claim.certificate_no, "2025", "1000", "申请人签字", "6222 **** 2333"):
        assert expected in text, expected
    assert "110101199001011234" not in text and "6222000011112222333" not in text
    other = app.test_client()
    other.post("/login", data={"phone": make.create_worker().phone, "password": DEFAULT_PASSWORD})
    assert other.get(f"/me/claims/{claim.id}/application.pdf").status_code == 404


def test_a_new_certificate_is_declared_with_the_claim(client, make, login):
    from academy.qualifications.models import QualificationRecord, RecordStatus

    the_scheme = scheme(make)
    worker = make.create_worker()
    login(worker)
    page = client.get(f"/me/claims/new/{the_scheme.id}").get_data(as_text=True)
    assert 'value="0" selected' in page or 'selected value="0"' in page
    bad = client.post(f"/me/claims/new/{the_scheme.id}", data={"record": 0, "certificate_no": "A2025110100077",
                                                               "exam_year": 2025, "issued_on": "2025-12-20"})
    assert bad.status_code == 200 and db.session.scalar(select(func.count()).select_from(Claim)) == 0
    response = client.post(f"/me/claims/new/{the_scheme.id}", data={
        "record": 0, "level": "assistant", "certificate_no": "A2025110100077", "exam_year": 2025,
        "issued_on": "2025-12-20", "issuing_authority": "人力资源和社会保障部 民政部"})
    assert response.status_code == 302
    claim = db.session.scalar(select(Claim).where(Claim.worker_id == worker.id))
    record = db.session.get(QualificationRecord, claim.qualification_id)
    assert record.status == RecordStatus.DECLARED and claim.certificate_no == record.certificate_no == "A2025110100077"
    # a number already in the registry is refused beside its field, and nothing is written
    other = app_client_for(make, client)
    refused = other.post(f"/me/claims/new/{the_scheme.id}", data={
        "record": 0, "level": "assistant", "certificate_no": "A2025110100077", "exam_year": 2025,
        "issued_on": "2025-12-20", "issuing_authority": "部"})
    assert refused.status_code == 200 and db.session.scalar(select(func.count()).select_from(Claim)) == 1


def app_client_for(make, client):
    fresh = client.application.test_client()
    fresh.post("/login", data={"phone": make.create_worker().phone, "password": DEFAULT_PASSWORD})
    return fresh


def test_the_pages_speak_both_languages(client, make, login):
    claim = draft(make, scheme(make))
    worker = claim.worker
    worker.locale = "en"
    db.session.commit()
    login(worker)
    page = client.get(f"/me/claims/{claim.id}").get_data(as_text=True)
    assert "Signed application form" in page and "Submit the claim" in page
    worker.locale = "zh"
    db.session.commit()
    page = client.get(f"/me/claims/{claim.id}").get_data(as_text=True)
    assert "签字的申请表" in page and "提交申请" in page


def test_the_notice_of_a_scheme_without_one_is_not_found(app, make):
    assert app.test_client().get(f"/notices/{scheme(make).id}").status_code == 404
    assert app.test_client().get("/notices/999999").status_code == 404


def test_the_scheme_list_shows_where_each_scheme_stands(client, make, login, monkeypatch):
    freeze(monkeypatch, date(2026, 6, 12))
    open_one = scheme(make)
    upcoming = scheme(make, exam_year=2026, opens_on=date(2027, 3, 1), closes_on=date(2027, 3, 31),
                      first_review_by=date(2027, 4, 15))
    reviewing = scheme(make, exam_year=2024, opens_on=date(2026, 5, 1), closes_on=date(2026, 5, 31))
    closed = scheme(make, exam_year=2023, opens_on=date(2025, 5, 1), closes_on=date(2025, 5, 31),
                    first_review_by=date(2025, 6, 30))
    claim = draft(make, closed)
    bring_to(make, claim, S.IN_NOTICE, today=date(2025, 5, 10))
    assert [s.phase(date(2026, 6, 12))[0] for s in (open_one, upcoming, reviewing)] == [
        "Open for applications", "Upcoming", "In review"]
    login(make.create_admin())
    page = client.get("/admin/claim-schemes").get_data(as_text=True)
    for label in ("申报中", "未开始", "审核中", "公示中"):
        assert label in page, label
