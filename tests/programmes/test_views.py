import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.core.querycount import count_queries
from academy.extensions import db
from academy.programmes.models import Programme


def test_programme_list_groups_the_eight_by_tier(client):
    page = client.get("/programmes").get_data(as_text=True)
    degree, capability, research = (page.index(tier) for tier in ("学历教育", "能力提升", "科研实践"))
    assert degree < page.index("青云计划") < capability
    for name in ("筑基计划", "育雁计划", "领雁计划", "头雁计划", "育新计划"):
        assert capability < page.index(name) < research
    assert research < page.index("深耕计划") and research < page.index("星火计划")


@pytest.mark.parametrize("slug", ["qingyun", "zhuji", "yuyan", "lingyan", "touyan", "yuxin", "shengeng", "xinghuo"])
def test_each_programme_has_its_page(client, slug):
    programme = db.session.scalar(select(Programme).where(Programme.code == slug.upper()))
    page = client.get(f"/programmes/{slug}").get_data(as_text=True)
    assert programme.full_name_zh in page
    assert programme.description_zh[:20] in page
    assert programme.name_en in page  # the other-language name is given too


def test_uppercase_code_redirects_and_unknown_is_404(client):
    assert client.get("/programmes/QINGYUN").headers["Location"] == "/programmes/qingyun"
    assert client.get("/programmes/nonesuch").status_code == 404


def test_programme_pages_run_a_fixed_number_of_queries(client):
    with count_queries(db.engine) as listing:
        client.get("/programmes")
    with count_queries(db.engine) as detail:
        client.get("/programmes/touyan")
    # the public version the page is kept under, the programmes (or the programme, then its upcoming courses)
    assert listing.count == 2 and detail.count == 3
    with count_queries(db.engine) as kept:
        client.get("/programmes/touyan")
    assert kept.count == 1


def test_admin_edits_texts_and_the_change_is_audited(client, make, login):
    login(make.create_admin())
    programme = db.session.scalar(select(Programme).where(Programme.code == "LINGYAN"))
    form = {name: getattr(programme, name) for name in (
        "tagline_zh", "name_zh", "name_en", "summary_zh", "summary_en", "description_zh", "description_en",
        "audience_zh", "audience_en")}
    form["summary_zh"] = "新的领雁计划简介"
    response = client.post("/admin/programmes/lingyan/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(programme)
    assert programme.summary_zh == "新的领雁计划简介"
    assert programme.code == "LINGYAN"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "programme.update"))
    assert event.detail["summary_zh"][1] == "新的领雁计划简介"
    assert set(event.detail) == {"summary_zh"}  # unchanged fields are not recorded


def test_code_tier_and_direction_cannot_be_changed_through_the_form(client, make, login):
    login(make.create_admin())
    programme = db.session.scalar(select(Programme).where(Programme.code == "YUXIN"))
    form = {name: getattr(programme, name) for name in (
        "tagline_zh", "name_zh", "name_en", "summary_zh", "summary_en", "description_zh", "description_en")}
    client.post("/admin/programmes/yuxin/edit", data={**form, "code": "HACKED", "tier": "degree"})
    db.session.refresh(programme)
    assert programme.code == "YUXIN" and programme.tier == "capability"


def test_empty_required_text_is_refused(client, make, login):
    login(make.create_admin())
    programme = db.session.scalar(select(Programme).where(Programme.code == "XINGHUO"))
    response = client.post("/admin/programmes/xinghuo/edit", data={"name_zh": "", "name_en": ""})
    assert response.status_code == 200
    assert "此项不能为空" in response.get_data(as_text=True)
    db.session.refresh(programme)
    assert programme.name_zh == "星火计划"
