"""A worker's own pages come back from a cache that never shows them something stale, nor to anyone else."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from academy.attendance import operations as attendance
from academy.attendance.models import Mark
from academy.auth.enums import Qualification
from academy.core.i18n import local_today
from academy.core.personalcache import DISTRICT, PersonalVersion
from academy.core.pagecache import PageVersion, clear_page_cache
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.notifications.operations import notify
from academy.progress import operations as progress
from academy.progress.models import ContinuingEducationRule, RecordKind
from tests.factories import DEFAULT_PASSWORD


def version_of(worker) -> int:
    return db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == worker.id)) or 0


def district_version() -> int:
    return db.session.scalar(select(PageVersion.version).where(PageVersion.name == DISTRICT))


def without_token(page: str) -> str:
    """The page without its CSRF tokens (every form's, in whatever attribute order), which carry the
    second they were signed in."""
    return re.sub(r'(<input[^>]*name="csrf_token"[^>]*value=")[^"]+"', r'\1"', page)


@pytest.fixture
def worker(make, login):
    person = make.create_worker(qualification=Qualification.SOCIAL_WORKER, registration_date=date(2025, 1, 1))
    login(person)
    return person


@pytest.mark.parametrize("path", ["/learning", "/me"])
def test_a_kept_page_costs_one_query_and_equals_the_rendered_one(client, make, worker, path):
    ops.enrol(make.create_course(title="个案管理进阶"), worker)
    db.session.commit()
    rendered = client.get(path).get_data(as_text=True)
    with count_queries(db.engine) as counter:
        kept = client.get(path)
    assert counter.count == 1, counter.statements  # the account and the versions, in one statement
    assert kept.status_code == 200 and kept.mimetype == "text/html"
    assert without_token(kept.get_data(as_text=True)) == without_token(rendered)
    assert worker.name in rendered


def sign_in(client, user, password):
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"phone": user.phone, "password": password, "csrf_token": token_of(page)})


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def session_secret_of(token: str) -> str:
    """The signed part of a CSRF token: the session's own secret. The rest is the time of signing, which
    moves on between two requests that straddle a second, so only this part can be compared."""
    return token.split(".")[0]


def test_each_worker_gets_their_own_page_and_token(app, make, csrf_enabled):
    first_worker, second_worker = make.create_worker(), make.create_worker()
    ops.enrol(make.create_course(title="只属于第一位学员的课程"), first_worker)
    db.session.commit()
    first_client, second_client = app.test_client(), app.test_client()
    sign_in(first_client, first_worker, make.DEFAULT_PASSWORD)
    sign_in(second_client, second_worker, make.DEFAULT_PASSWORD)
    first, first_again = (first_client.get("/learning").get_data(as_text=True) for _ in range(2))
    second = second_client.get("/learning").get_data(as_text=True)
    assert "只属于第一位学员的课程" in first_again and "只属于第一位学员的课程" not in second
    assert second_worker.name in second and first_worker.name not in second
    first_secret, again_secret, second_secret = (session_secret_of(token_of(page)) for page in (first, first_again, second))
    assert first_secret == again_secret != second_secret
    response = first_client.post("/language", data={"lang": "en", "next": "/learning",
                                                    "csrf_token": token_of(first_again)})
    assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]  # the session's own token


def test_changes_to_the_workers_own_rows_show_at_once(client, make, worker):
    course = make.create_course(title="旧的课程名称")
    assert "旧的课程名称" not in client.get("/learning").get_data(as_text=True)
    ops.enrol(course, worker)
    db.session.commit()
    assert "旧的课程名称" in client.get("/learning").get_data(as_text=True)
    course.title = "新的课程名称"  # the public pages' version
    db.session.commit()
    assert "新的课程名称" in client.get("/learning").get_data(as_text=True)

    assert "社区心理援助研修" not in client.get("/me").get_data(as_text=True)
    progress.add_record(worker, RecordKind.TRAINING, title="社区心理援助研修", institution="东城区社工协会",
                        hours=Decimal("6"), started_on=date(2025, 6, 1), ended_on=date(2025, 6, 1))
    db.session.commit()
    assert "社区心理援助研修" in client.get("/me").get_data(as_text=True)


def test_a_place_moving_on_the_waitlist_shows_to_everyone_behind(client, make, worker):
    course = make.create_course(capacity=1)
    ops.enrol(course, make.create_worker())
    ahead = ops.enrol(course, make.create_worker())
    ops.enrol(course, worker)
    db.session.commit()
    assert "您在候补名单中排第 2 位" in client.get("/learning").get_data(as_text=True)
    ops.withdraw(ahead, actor=ahead.worker)  # another worker's row: the waitlist moves
    db.session.commit()
    assert "您在候补名单中排第 1 位" in client.get("/learning").get_data(as_text=True)


def test_a_rule_no_single_worker_owns_changes_every_workers_pages(client, make, worker):
    rule = db.session.scalar(select(ContinuingEducationRule).where(
        ContinuingEducationRule.qualification == Qualification.SOCIAL_WORKER))
    client.get("/me")
    before = district_version()
    progress.update_rule(rule, actor=make.create_admin(), required_hours=Decimal("77"))
    db.session.commit()
    assert district_version() == before + 1
    assert "77" in client.get("/me").get_data(as_text=True)


def test_the_unread_count_in_the_header_follows_new_notifications(client, worker):
    assert 'id="unread-count"' not in client.get("/learning").get_data(as_text=True)
    notify(worker.id, "enrolled", course="某课程")
    db.session.commit()
    assert 'id="unread-count">1' in client.get("/learning").get_data(as_text=True)


def test_versions_move_for_the_workers_concerned_only_and_not_on_rollback(make, worker):
    course = make.create_course(sessions=1, starts_on=local_today() - timedelta(days=1))
    bystander = make.create_worker()
    enrolment = Enrolment(course=course, worker=worker, status=EnrolmentStatus.ENROLLED)
    db.session.add(enrolment)
    db.session.commit()
    mine, theirs, everyone = version_of(worker), version_of(bystander), district_version()
    attendance.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=make.create_instructor())
    db.session.commit()  # a mark names an enrolment, the worker is found through it
    assert version_of(worker) == mine + 1
    progress.add_record(worker, RecordKind.TRAINING, title="不会保存", institution="x", hours=Decimal("1"),
                        started_on=date(2025, 6, 1), ended_on=date(2025, 6, 1))
    db.session.rollback()
    assert (version_of(worker), version_of(bystander), district_version()) == (mine + 1, theirs, everyone)


def test_the_cache_never_answers_for_a_signed_out_deactivated_or_other_account(app, client, make, worker, login):
    assert client.get("/me").status_code == 200
    assert client.get("/learning").status_code == 200
    admin_client = app.test_client()
    admin = make.create_admin()
    admin_client.post("/login", data={"phone": admin.phone, "password": make.DEFAULT_PASSWORD})
    assert admin_client.get("/learning").status_code == 403
    # Written past the ORM, so that no version moves: the account itself is still checked.
    db.session.connection().execute(text("UPDATE users SET active = false WHERE id = :id"), {"id": worker.id})
    db.session.commit()
    assert client.get("/learning").status_code == 302
    db.session.connection().execute(text(
        "UPDATE users SET active = true, session_version = session_version + 1 WHERE id = :id"), {"id": worker.id})
    db.session.commit()  # "sign out everywhere": this cookie names the old session version
    assert client.get("/me").status_code == 302
    login(worker)
    client.post("/logout")
    response = client.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_flashed_message_is_shown_not_a_kept_page(client, make, worker):
    enrolment = ops.enrol(make.create_course(title="将要退出的课程"), worker)
    db.session.commit()
    client.get("/learning")
    response = client.post(f"/enrolments/{enrolment.id}/withdraw", data={"reason": ""}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已退出，记录已保存。" in page  # the message, which no kept page holds
    assert f"/enrolments/{enrolment.id}/withdraw" not in page  # and the page as it is now, not as it was kept


def test_the_language_chosen_is_the_language_served(client, worker):
    assert "我的学习" in client.get("/learning").get_data(as_text=True)
    versions = (db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == worker.id)),
                db.session.scalars(select(PageVersion.version).order_by(PageVersion.name)).all())
    client.set_cookie("lang", "en")  # the language alone: no version moves, so only the key tells them apart
    page = client.get("/learning").get_data(as_text=True)
    assert "My learning" in page and "我的学习" not in page
    assert versions == (db.session.scalar(select(PersonalVersion.version).where(PersonalVersion.user_id == worker.id)),
                        db.session.scalars(select(PageVersion.version).order_by(PageVersion.name)).all())
    assert db.session.scalar(select(Enrolment.id).where(Enrolment.worker_id == worker.id)) is None


def _kept_equals_rendered(client, path) -> str:
    """The page as kept, checked against the page rendered afresh: the same but for the CSRF tokens."""
    with count_queries(db.engine) as counter:
        kept = client.get(path)
    assert kept.status_code == 200
    clear_page_cache()
    rendered = client.get(path).get_data(as_text=True)
    assert without_token(kept.get_data(as_text=True)) == without_token(rendered)
    return rendered, counter.count


def test_the_catalogue_and_a_course_page_are_kept_for_a_worker_and_follow_every_change(client, make, worker):
    course = make.create_course(title="热门课程", capacity=2, min_qualification=Qualification.SENIOR)
    paths = ("/courses", f"/courses/{course.id}")
    for path in paths:
        client.get(path)
        with count_queries(db.engine) as counter:
            client.get(path)
        assert counter.count == 1, counter.statements  # the account and the versions
    refused = client.get(paths[1]).get_data(as_text=True)
    worker.profile.qualification = Qualification.SENIOR  # the worker's own row: the rule is met now
    db.session.commit()
    eligible, _count = _kept_equals_rendered(client, paths[1])
    assert eligible != refused
    ops.enrol(course, make.create_worker(qualification=Qualification.SENIOR))  # another's: a seat fewer
    db.session.commit()
    fewer_seats, _count = _kept_equals_rendered(client, paths[1])
    assert fewer_seats != eligible
    ops.enrol(course, worker)  # their own enrolment: the enrol box says so
    db.session.commit()
    enrolled, _count = _kept_equals_rendered(client, paths[1])
    assert enrolled != fewer_seats
    assert without_token(_kept_equals_rendered(client, paths[0])[0]) != ""


def test_a_course_page_is_kept_for_workers_only(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor])
    login(instructor)
    client.get(f"/courses/{course.id}")
    with count_queries(db.engine) as counter:
        page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert counter.count > 1 and f"/teach/courses/{course.id}" in page  # rendered: their own links


@pytest.mark.parametrize("role", ["instructor", "street_admin", "admin", "district_reviewer", "judge"])
def test_the_catalogue_is_kept_for_everyone_signed_in_under_their_own_header(client, make, login, role):
    person = getattr(make, f"create_{role}")()
    course = make.create_course(title="督导实务")
    login(person)
    client.get("/courses")
    page, count = _kept_equals_rendered(client, "/courses")
    assert count == 1  # the account and the versions, in one statement
    assert "督导实务" in page and person.name in page
    course.title = "督导实务进阶"  # a course renamed: in the next answer
    db.session.commit()
    assert "督导实务进阶" in _kept_equals_rendered(client, "/courses")[0]
    person.name = "改名后的名字"  # their own row: the header follows
    db.session.commit()
    assert "改名后的名字" in _kept_equals_rendered(client, "/courses")[0]
    notify(person.id, "enrolled", course="某课程")  # the unread count in the header
    db.session.commit()
    assert 'id="unread-count">1' in _kept_equals_rendered(client, "/courses")[0]


def test_a_kept_catalogue_is_never_another_person_s(app, client, make, login):
    make.create_course(title="督导实务")
    admin, instructor = make.create_admin(name="管理员甲"), make.create_instructor(name="讲师乙")
    login(admin)
    client.get("/courses")
    assert "管理员甲" in client.get("/courses").get_data(as_text=True)
    other = app.test_client()
    other.post("/login", data={"phone": instructor.phone, "password": DEFAULT_PASSWORD})
    page = other.get("/courses").get_data(as_text=True)
    assert "讲师乙" in page and "管理员甲" not in page


def _public_paths():
    from academy.programmes.models import Programme

    slug = db.session.scalar(select(Programme).order_by(Programme.id)).slug
    return ["/", "/programmes", f"/programmes/{slug}", "/partners", "/courses"]


@pytest.mark.parametrize("role", ["worker", "instructor", "admin"])
def test_the_public_pages_are_kept_for_everyone_signed_in_with_their_role_s_own_buttons(client, make, login, role):
    login(getattr(make, f"create_{role}")())
    for path in _public_paths():
        client.get(path)
        page, count = _kept_equals_rendered(client, path)
        assert count == 1, path  # the account and the versions, in one statement
    programme_page = _kept_equals_rendered(client, _public_paths()[2])[0]
    assert ("/edit" in programme_page) == (role == "admin")  # the administrators' own button, by role
    assert ('href="/admin/partners/new"' in _kept_equals_rendered(client, "/partners")[0]) == (role == "admin")
