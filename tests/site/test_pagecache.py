"""Anonymous visitors get the public pages from a cache that never shows them something stale or
someone else's token."""
import re

from sqlalchemy import select

from academy.auth import views as auth_views
from academy.core.pagecache import PUBLIC, PageVersion
from academy.enrolment import operations as ops
from academy.core.querycount import count_queries
from academy.extensions import db
from tests.factories import DEFAULT_PASSWORD


def version():
    return db.session.scalar(select(PageVersion.version).where(PageVersion.name == PUBLIC))


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_an_enrolment_elsewhere_shows_at_once_in_the_cached_pages(app, make):
    course = make.create_course(capacity=2, title="社区走访技巧")
    worker = make.create_worker()
    visitor, english = app.test_client(), app.test_client()
    english.post("/language", data={"lang": "en", "next": "/"})
    assert "2 seats left" in english.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "剩余 2 个名额" in visitor.get("/courses").get_data(as_text=True)
    assert "剩余 2 个名额" in visitor.get(f"/courses/{course.id}").get_data(as_text=True)
    ops.enrol(course, worker)  # the seat is taken by a bulk UPDATE, not through the flush
    db.session.commit()
    assert "剩余 1 个名额" in visitor.get("/courses").get_data(as_text=True)
    assert "剩余 1 个名额" in visitor.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "1 seats left" in english.get(f"/courses/{course.id}").get_data(as_text=True)


def test_an_edit_changes_the_version_a_rollback_does_not(make, client):
    course = make.create_course(title="旧标题")
    assert "旧标题" in client.get(f"/courses/{course.id}").get_data(as_text=True)
    before = version()
    course.title = "不会保存的标题"
    db.session.flush()
    db.session.rollback()
    assert version() == before
    db.session.get(type(course), course.id).title = "新标题"
    db.session.commit()
    assert version() == before + 1
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "新标题" in page and "旧标题" not in page


def test_every_visitor_gets_their_own_csrf_token_and_it_works(app, make, csrf_enabled):
    make.create_course()
    first, second = app.test_client(), app.test_client()
    first_page, second_page = first.get("/courses").get_data(as_text=True), second.get("/courses").get_data(as_text=True)
    assert token_of(first_page) != token_of(second_page)
    assert first_page.replace(token_of(first_page), "") == second_page.replace(token_of(second_page), "")
    response = second.post("/language", data={"lang": "en", "next": "/courses", "csrf_token": token_of(second_page)})
    assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]
    assert "Courses" in second.get("/courses").get_data(as_text=True)
    assert "课程" in first.get("/courses").get_data(as_text=True)


def test_signed_in_workers_and_flashed_messages_are_never_served_from_the_cache(app, make, login, client):
    course = make.create_course()
    visitor = app.test_client()
    assert "登录" in visitor.get(f"/courses/{course.id}").get_data(as_text=True)
    worker = make.create_worker()
    login(worker)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert 'action="/courses/%d/enrol"' % course.id in page and worker.name in page
    client.post("/logout")
    signed_out = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert worker.name not in signed_out
    assert "You have signed out." in signed_out or "已退出登录" in signed_out
    assert "已退出登录" not in visitor.get(f"/courses/{course.id}").get_data(as_text=True)


def test_a_commit_bumps_every_family_it_changed_in_one_statement_last(make):
    from academy.core.pagecache import REPORTS, all_versions
    from academy.core.querycount import count_queries

    course, worker = make.create_course(), make.create_worker()
    before = all_versions()
    with count_queries(db.engine) as counter:
        ops.enrol(course, worker)  # a seat (the public pages) and the summary tables (the reports)
        db.session.commit()
    after = all_versions()
    assert (after[PUBLIC], after[REPORTS]) == (before.get(PUBLIC, 0) + 1, before.get(REPORTS, 0) + 1)
    bumps = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE PAGE_VERSIONS")]
    assert len(bumps) == 1 and counter.statements[-1] == bumps[0], counter.statements


def test_a_family_bumped_for_the_first_time_gets_its_row_and_a_rollback_bumps_nothing():
    from academy.core.pagecache import all_versions, bump_version

    bump_version(db.session, "first-time")
    db.session.rollback()
    assert "first-time" not in all_versions()
    bump_version(db.session, "first-time")
    bump_version(db.session, PUBLIC)
    db.session.commit()
    bump_version(db.session, "first-time")
    db.session.commit()
    assert all_versions()["first-time"] == 2


def test_a_renamed_practice_base_shows_at_once_on_the_kept_course_page(make, client):
    """Course pages name their practice base, which administrators rename (PracticeBase declares that
    the public pages show it)."""
    from academy.partners.models import PracticeBase
    from academy.partners.operations import save_base

    admin = make.create_admin()
    base = save_base(None, actor=admin, name="和平里社区实训基地", address="和平里北街", subdistrict=make.subdistrict())
    course = make.create_course(practice_base=base)
    db.session.commit()
    assert "和平里社区实训基地" in client.get(f"/courses/{course.id}").get_data(as_text=True)
    save_base(db.session.get(PracticeBase, base.id), actor=admin, name="和平里街道社工实训基地")
    db.session.commit()
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "和平里街道社工实训基地" in page and "和平里社区实训基地" not in page


def test_the_kept_sign_in_and_registration_forms_work_with_each_visitor_s_own_token(app, make, csrf_enabled,
                                                                                   monkeypatch):
    worker = make.create_worker()
    rendered = []
    render = auth_views.render_template
    monkeypatch.setattr(auth_views, "render_template", lambda *a, **k: rendered.append(a[0]) or render(*a, **k))
    for path in ("/login", "/register", "/login?next=/me"):
        first, second = app.test_client(), app.test_client()
        first_page = first.get(path).get_data(as_text=True)
        with count_queries(db.engine) as kept:
            second_page = second.get(path).get_data(as_text=True)
        assert len(rendered) == 1 and kept.count <= 1, path  # the second visitor's: kept, the public version read
        rendered.clear()
        assert token_of(first_page) != token_of(second_page)
        assert first_page.replace(token_of(first_page), "") == second_page.replace(token_of(second_page), "")
    response = second.post("/login?next=/me", data={"phone": worker.phone, "password": DEFAULT_PASSWORD,
                                                     "csrf_token": token_of(second_page)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/me")
    wrong = first.post("/login", data={"phone": worker.phone, "password": "wrong password 1",
                                       "csrf_token": token_of(first_page)})
    assert wrong.status_code == 200 and "手机号或密码错误" in wrong.get_data(as_text=True)  # the POST is never kept
    assert second.get("/login").status_code == 302  # signed in: sent on, not the kept form
