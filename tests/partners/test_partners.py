import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from academy.core.errors import OperationError
from academy.extensions import db
from academy.partners import operations
from academy.partners.models import Agreement, AgreementStatus as St, AgreementType, Partner, PracticeBase
from academy.progress.models import EvidenceFile
from academy.core.i18n import local_today

TODAY = date(2026, 11, 28)
PDF = b"%PDF-1.7\n% signed\n%%EOF\n"


def founders():
    return db.session.scalars(select(Partner).order_by(Partner.id)).all()


def agreement(make, **overrides):
    values = dict(title="合作框架协议", type=AgreementType.FRAMEWORK, number=None, signed_on=date(2026, 1, 1),
                  effective_from=date(2026, 1, 1), effective_to=date(2028, 12, 31), scope="共建东城区社会工作学院",
                  responsible_staff="王敏", parties=founders(), programmes=[make.programme("QINGYUN")])
    values.update(overrides)
    return operations.save_agreement(None, actor=make.create_admin(), **values)


@pytest.mark.parametrize(
    ("overrides", "today", "expected"),
    [
        ({"effective_to": TODAY + timedelta(days=1)}, TODAY, St.EXPIRING),      # the day before expiry
        ({"effective_to": TODAY}, TODAY, St.EXPIRING),                          # the day of expiry
        ({"effective_to": TODAY - timedelta(days=1)}, TODAY, St.EXPIRED),       # the day after
        ({"effective_to": TODAY + timedelta(days=90)}, TODAY, St.EXPIRING),     # 90 days ahead
        ({"effective_to": TODAY + timedelta(days=91)}, TODAY, St.ACTIVE),       # 91 days ahead
        ({"effective_to": None}, TODAY, St.ACTIVE),                             # open-ended
        ({"signed_on": None}, TODAY, St.DRAFT),                                 # not signed
        ({"effective_from": TODAY + timedelta(days=1)}, TODAY, St.DRAFT),       # not yet in force
    ],
)
def test_status_follows_the_dates_in_python_and_in_sql(make, overrides, today, expected):
    item = agreement(make, **overrides)
    assert item.status_on(today) == expected
    assert db.session.scalar(select(Agreement.status_sql(today)).where(Agreement.id == item.id)) == expected.value


def test_termination_needs_a_reason_and_wins_over_dates(make):
    admin = make.create_admin()
    item = agreement(make)
    with pytest.raises(OperationError, match="reason"):
        operations.terminate(item, actor=admin, on=TODAY, reason="")
    operations.terminate(item, actor=admin, on=TODAY, reason="合作方调整")
    assert item.status_on(TODAY) == St.TERMINATED
    assert [e.action for e in item.events] == ["create", "terminated"]
    with pytest.raises(OperationError, match="cannot be renewed"):
        operations.renew(item, actor=admin, effective_from=TODAY, effective_to=None, signed_on=TODAY)


def test_renewal_makes_a_linked_successor_and_keeps_the_history(make):
    admin = make.create_admin()
    first = agreement(make, number="DC-2026-001", effective_to=TODAY + timedelta(days=30))
    second = operations.renew(first, actor=admin, number="DC-2029-001", signed_on=TODAY,
                              effective_from=first.effective_to + timedelta(days=1), effective_to=None)
    third = operations.renew(second, actor=admin, signed_on=TODAY, effective_from=date(2031, 1, 1), effective_to=None)
    assert (second.predecessor, first.successor, third.predecessor) == (first, second, second)
    assert [p.id for p in second.parties] == [p.id for p in first.parties]
    assert second.programmes == first.programmes and second.scope == first.scope
    assert first.events[-1].action == "renewed"
    with pytest.raises(OperationError, match="already been renewed"):
        operations.renew(first, actor=admin, signed_on=TODAY, effective_from=TODAY, effective_to=None)


def test_end_before_start_and_missing_parties_are_refused(make):
    with pytest.raises(OperationError, match="before it takes effect"):
        agreement(make, effective_from=date(2026, 5, 1), effective_to=date(2026, 4, 1))
    with pytest.raises(OperationError, match="at least one party"):
        agreement(make, parties=[])


def test_founding_partners_are_seeded(db):
    assert [p.name_zh for p in founders()] == ["东城区委社会工作部", "北京青年政治学院", "东城区职工大学"]


def agreement_form(make, **overrides):
    data = {"title": "东城区社会工作学院合作框架协议", "type": "framework", "number": "DCSW-2026-001",
            "parties": [str(p.id) for p in founders()], "signed_on": "2026-06-01", "effective_from": "2026-06-01",
            "effective_to": "", "scope": "学历提升、能力提升、技能提升、学研实践",
            "programmes": [str(make.programme("QINGYUN").id), str(make.programme("SHENGENG").id)],
            "responsible_staff": "王敏"}
    data.update(overrides)
    return data


def test_admin_records_the_founding_agreement_with_its_document(client, make, login, app):
    login(make.create_admin())
    data = agreement_form(make)
    data["document"] = (io.BytesIO(PDF), "合作框架协议.pdf")
    response = client.post("/admin/agreements/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    item = db.session.scalar(select(Agreement))
    assert len(item.parties) == 3 and item.document.content_type == "application/pdf"
    page = client.get(f"/agreements/{item.id}").get_data(as_text=True)
    assert "北京青年政治学院" in page and "长期" in page and "生效中" in page
    assert client.get(f"/agreements/{item.id}/document").data == PDF


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("协议.docx", b"PK\x03\x04word", "只接受 PDF 文件"),
     ("scan.jpg", b"\xff\xd8\xff\xe0 jpeg", "只接受 PDF 文件"),
     ("huge.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "文件超过 20 MB")],
)
def test_a_wrong_or_too_large_document_is_refused_and_nothing_is_stored(client, make, login, app, name, data,
                                                                         message):
    login(make.create_admin())
    folder = Path(app.config["UPLOAD_DIR"]) / "evidence"
    before = set(folder.glob("*")) if folder.exists() else set()
    form = agreement_form(make)
    form["document"] = (io.BytesIO(data), name)
    response = client.post("/admin/agreements/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Agreement.id))) == 0
    assert db.session.scalar(select(func.count(EvidenceFile.id))) == 0
    assert (set(folder.glob("*")) if folder.exists() else set()) == before


def test_filters_and_csv_export(client, make, login):
    agreement(make, title="即将到期的协议", effective_to=local_today() + timedelta(days=10))
    agreement(make, title="科研合作协议", type=AgreementType.RESEARCH, effective_to=None,
              programmes=[make.programme("XINGHUO")])
    login(make.create_admin())
    page = client.get("/agreements", query_string={"status": "expiring"}).get_data(as_text=True)
    assert "即将到期的协议" in page and "科研合作协议" not in page
    page = client.get("/agreements", query_string={"programme": "xinghuo"}).get_data(as_text=True)
    assert "科研合作协议" in page and "即将到期的协议" not in page
    csv = client.get("/agreements/export.csv", query_string={"type": "research"})
    text = csv.data.decode("utf-8")
    assert text.startswith("\ufeff") and "科研合作协议" in text and "即将到期的协议" not in text


def test_partner_page_shows_agreements_programmes_courses_and_degree_students(client, make, login):
    college = founders()[2]
    agreement(make, parties=[college])
    teacher = make.create_instructor(partner_id=college.id)
    make.create_course(title="职工大学老师的课", instructors=[teacher])
    worker = make.create_worker(name="在读学员")
    from academy.progress.models import ExternalRecord

    db.session.add(ExternalRecord(worker_id=worker.id, kind="degree", title="专升本", institution=college.name_zh,
                                  partner_id=college.id, major="社会工作", level_from="junior_college",
                                  level_to="bachelor", degree_status="studying"))
    db.session.commit()
    public = client.get(f"/partners/{college.id}").get_data(as_text=True)
    assert "东城区职工大学" in public and "合作框架协议" not in public
    login(make.create_admin())
    page = client.get(f"/partners/{college.id}").get_data(as_text=True)
    assert "合作框架协议" in page and "青云计划" in page and "职工大学老师的课" in page and "在读学员" in page


def test_permissions(client, make, login):
    item = agreement(make)
    assert client.get("/partners").status_code == 200
    assert client.get("/agreements").status_code == 302
    login(make.create_worker())
    assert client.get("/agreements").status_code == 403
    assert client.get(f"/agreements/{item.id}/document").status_code == 403
    client.post("/logout")
    login(make.create_instructor())
    assert client.get(f"/admin/agreements/{item.id}/edit").status_code == 403
    assert client.post(f"/admin/agreements/{item.id}/terminate", data={"reason": "x"}).status_code == 403


def test_agreements_and_their_documents_are_for_administrators_only(client, make, login):
    """Finding 12 of the pen test (issue 27): instructors read every agreement and downloaded the signed
    documents. Now only administrators do, an instructor of a party included (docs/security.md says why)."""
    college = founders()[2]
    item = agreement(make, parties=[college], document=("协议.pdf", b"%PDF-1.4\n%%EOF\n"))
    base = PracticeBase(name="协议实训基地", host_partner=college, subdistrict=make.subdistrict(), agreement=item)
    db.session.add(base)
    db.session.commit()
    paths = ("/agreements", "/agreements/export.csv", f"/agreements/{item.id}", f"/agreements/{item.id}/document")
    for instructor in (make.create_instructor(), make.create_instructor(partner_id=college.id)):
        login(instructor)
        assert [client.get(path).status_code for path in paths] == [403] * 4
        for page in (client.get("/teach/courses"), client.get(f"/partners/{college.id}"), client.get("/practice-bases")):
            assert page.status_code == 200
            assert "/agreements" not in page.get_data(as_text=True) and "合作框架协议" not in page.get_data(as_text=True)
        client.post("/logout")
    login(make.create_admin())
    assert [client.get(path).status_code for path in paths] == [200] * 4


def test_practice_base_needs_a_host_and_links_an_agreement(client, make, login):
    item = agreement(make, type=AgreementType.PRACTICE_BASE)
    login(make.create_admin())
    street = make.subdistrict("110101003000")
    refused = client.post("/admin/practice-bases/new", data={"name": "交道口实训基地", "subdistrict": str(street.id)})
    assert "请填写依托单位" in refused.get_data(as_text=True)
    response = client.post("/admin/practice-bases/new", data={
        "name": "交道口实训基地", "subdistrict": str(street.id), "host_partner": str(founders()[1].id),
        "capacity": "30", "agreement": str(item.id)})
    assert response.status_code == 302
    base = db.session.scalar(select(PracticeBase))
    assert base.agreement_id == item.id and base.host_partner.name_zh == "北京青年政治学院"
    assert "交道口实训基地" in client.get("/practice-bases").get_data(as_text=True)


def test_edits_of_partners_and_bases_are_audited_with_what_changed(make):
    from academy.audit.models import AuditEvent

    admin = make.create_admin()
    partner = operations.save_partner(None, actor=admin, name_zh="东城区社会工作协会", kind=founders()[0].kind)
    operations.save_partner(partner, actor=admin, name_zh="东城区社会工作协会", kind=partner.kind, phone="010-12345678")
    base = operations.save_base(None, actor=admin, name="和平里实训基地", subdistrict=make.subdistrict(),
                                host_partner=partner)
    operations.save_base(base, actor=admin, name="和平里实训基地", subdistrict=base.subdistrict, host_partner=partner,
                         capacity=20)
    db.session.commit()
    updates = {event.action: event.detail for event in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["partner.update", "practice_base.update"])))}
    assert updates["partner.update"]["phone"] == [None, "010-12345678"]
    assert updates["practice_base.update"]["capacity"] == [None, 20]
    with pytest.raises(OperationError):
        operations.save_base(None, actor=admin, name="和平里实训基地", subdistrict=base.subdistrict, host_partner=partner)
