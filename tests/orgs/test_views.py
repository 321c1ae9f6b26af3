import pytest
from sqlalchemy import func, select

from academy.audit.models import AuditEvent
from academy.extensions import db
from academy.orgs.models import OrgKind, OrgUnit


def unit_count():
    return db.session.scalar(select(func.count(OrgUnit.id)))


def test_admin_adds_a_community_and_an_agency(client, make, login):
    login(make.create_admin())
    street = make.subdistrict("110101005000")
    for kind, name in (("community", "北新桥测试社区"), ("agency", "北新桥测试社工事务所")):
        response = client.post("/admin/org-units", data={
            "parent": str(street.id), "kind": kind, "name_zh": name, "name_en": ""})
        assert response.status_code == 302
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == street.id)).all()
    assert {(unit.kind, unit.name_zh) for unit in units} >= {
        (OrgKind.COMMUNITY, "北新桥测试社区"), (OrgKind.AGENCY, "北新桥测试社工事务所")}
    page = client.get("/admin/org-units").get_data(as_text=True)
    assert "北新桥测试社区" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "subdistrict"}, "选项无效"),
        ({"kind": "district"}, "选项无效"),
        ({"name_zh": ""}, "请输入中文名称"),
        ({"parent": ""}, "请选择街道"),
        ({"name_zh": "x" * 81}, "80"),
    ],
)
def test_bad_unit_input_writes_nothing(client, make, login, data, message):
    login(make.create_admin())
    street = make.subdistrict()
    before = unit_count()
    form = {"parent": str(street.id), "kind": "community", "name_zh": "新社区", "name_en": "", **data}
    response = client.post("/admin/org-units", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert unit_count() == before


def test_duplicate_name_in_the_same_subdistrict_is_refused(client, make, login):
    login(make.create_admin())
    existing = make.create_unit(name_zh="重名社区")
    before = unit_count()
    response = client.post("/admin/org-units", data={
        "parent": str(existing.parent_id), "kind": "community", "name_zh": "重名社区"})
    assert "该街道下已有同名单位" in response.get_data(as_text=True)
    assert unit_count() == before


def test_rename_is_audited_with_old_and_new_names(client, make, login):
    login(make.create_admin())
    unit = make.create_unit(name_zh="旧名称社区")
    response = client.post(f"/admin/org-units/{unit.id}/edit", data={"name_zh": "新名称社区", "name_en": "New"})
    assert response.status_code == 302
    db.session.refresh(unit)
    assert unit.name_zh == "新名称社区"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "org_unit.rename"))
    assert event.detail["name_zh"] == ["旧名称社区", "新名称社区"]


def test_renaming_a_subdistrict_keeps_its_code(client, make, login):
    login(make.create_admin())
    street = make.subdistrict("110101002000")
    client.post(f"/admin/org-units/{street.id}/edit", data={"name_zh": "景山街道（新）", "name_en": "Jingshan"})
    db.session.refresh(street)
    assert street.code == "110101002000" and street.name_zh == "景山街道（新）"


def test_unit_list_runs_a_fixed_number_of_queries(client, make, login):
    from academy.core.querycount import count_queries

    login(make.create_admin())
    client.get("/admin/org-units")
    with count_queries(db.engine) as few:
        client.get("/admin/org-units")
    for _ in range(20):
        make.create_unit()
    with count_queries(db.engine) as many:
        client.get("/admin/org-units")
    assert many.count == few.count
