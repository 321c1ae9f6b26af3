from sqlalchemy import func, select

from academy.core.querycount import count_queries
from academy.extensions import db
from academy.programmes.models import Programme


def test_home_presents_three_tiers_and_eight_programmes_in_chinese(client):
    page = client.get("/").get_data(as_text=True)
    assert "东城区社会工作学院" in page
    for tier in ("学历教育", "能力提升", "科研实践"):
        assert tier in page
    for name in ("青云计划", "筑基计划", "育雁计划", "领雁计划", "头雁计划", "育新计划", "深耕计划", "星火计划"):
        assert name in page
    assert page.index("青云计划") < page.index("筑基计划") < page.index("深耕计划")


def test_home_runs_a_fixed_number_of_queries(client):
    with count_queries(db.engine) as counter:
        assert client.get("/").status_code == 200
    with count_queries(db.engine) as kept:
        assert client.get("/").status_code == 200
    assert counter.count <= 2, counter.statements  # the public version, the programmes
    assert kept.count == 1, kept.statements  # the version the kept page is served under


def test_healthz_answers_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_server_error_page_rolls_back_what_the_request_wrote(app, client, make):
    unit = make.create_unit(name_zh="回滚前")
    db.session.commit()

    def failing_view():
        unit.name_zh = "不应保存"
        db.session.flush()
        raise RuntimeError("boom")

    original = app.view_functions["site.home"]
    app.view_functions["site.home"] = failing_view
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/")
    finally:
        app.view_functions["site.home"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "出错了" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(unit), unit.id).name_zh == "回滚前"


def test_reference_programmes_are_eight(db):
    assert db.session.scalar(select(func.count(Programme.id))) == 8


def test_the_main_menu_is_rendered_once_per_role_language_and_page(app, client, make, login):
    from flask import template_rendered

    from tests.factories import DEFAULT_PASSWORD

    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    admin, worker = make.create_admin(), make.create_worker()
    db.session.commit()
    with template_rendered.connected_to(note, app):
        anonymous = [client.get("/courses").get_data(as_text=True) for _ in range(2)]
        login(admin)
        admin_pages = [client.get("/programmes").get_data(as_text=True) for _ in range(2)]
        other = app.test_client()
        assert other.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD}).status_code == 302
        worker_page = other.get("/programmes").get_data(as_text=True)
        other.post("/language", data={"lang": "en", "next": "/programmes"})
        english = other.get("/programmes").get_data(as_text=True)
    assert rendered.count("_nav_menu.html") == 4  # anonymous, admin, worker, worker in English: once each
    assert 'aria-current="page" href="/courses"' in anonymous[1]
    assert "审计日志" in admin_pages[1] and 'aria-current="page" href="/programmes"' in admin_pages[1]
    assert "审计日志" not in worker_page and "我的学习" in worker_page
    assert "My learning" in english and "我的学习" not in english
