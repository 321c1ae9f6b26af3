"""A database connection lost under a request (a server restart, a failover, a proxy's idle timeout) never
reaches the user as a 500: a read runs again once on a fresh connection, unseen; a write is rolled back
whole and answered with the 503 "please try again" page."""
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from academy.courses.models import Course
from academy.enrolment.models import Enrolment
from academy.extensions import db
from tests import factories
from tests.faults.apps import own_app


def lost(statement="SELECT 1"):
    return OperationalError(statement, {}, Exception("the connection is lost"), connection_invalidated=True)


def failing_once(app, endpoint, error, before=None):
    """The view of `endpoint` raises `error` on its first run (after `before()`), then works."""
    original, runs = app.view_functions[endpoint], []

    def view(*args, **kwargs):
        runs.append(1)
        if len(runs) == 1:
            if before:
                before()
            raise error
        return original(*args, **kwargs)

    app.view_functions[endpoint] = view
    return original, runs


def test_a_read_that_loses_its_connection_runs_again_unseen(app, client, make, login):
    worker = make.create_worker()
    course = make.create_course()
    login(worker)
    original, runs = failing_once(app, "enrolment.my_learning", lost())
    try:
        response = client.get("/learning")
    finally:
        app.view_functions["enrolment.my_learning"] = original
    assert response.status_code == 200 and len(runs) == 2
    assert "我的学习" in response.get_data(as_text=True)
    assert course.title not in response.get_data(as_text=True)


def test_a_write_that_loses_its_connection_is_rolled_back_and_answered_503(app, client, make, login):
    worker, course = make.create_worker(), make.create_course()
    db.session.commit()
    login(worker)

    def half_written():  # the request had written before the connection went
        course_row = db.session.get(Course, course.id)
        course_row.seats_taken = 7
        db.session.flush()

    original, runs = failing_once(app, "enrolment.enrol", lost("UPDATE courses"), before=half_written)
    try:
        response = client.post(f"/courses/{course.id}/enrol")
    finally:
        app.view_functions["enrolment.enrol"] = original
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and len(runs) == 1  # a write is never run twice
    assert response.headers["Retry-After"] == "1"
    assert "请重试" in page and "没有保存" in page
    db.session.expire_all()
    assert db.session.get(Course, course.id).seats_taken == 0
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0


def test_the_503_page_is_in_english_too(app, client, make):
    client.post("/language", data={"lang": "en", "next": "/"})
    original, _ = failing_once(app, "auth.login", lost())
    try:
        response = client.post("/login", data={"phone": "13800000000", "password": "x"})
    finally:
        app.view_functions["auth.login"] = original
    assert response.status_code == 503
    assert "Please try again" in response.get_data(as_text=True)


def test_a_database_out_of_reach_answers_the_503_page_after_one_more_try(app, client):
    runs = []

    def unreachable():
        runs.append(1)
        raise OperationalError(None, None, Exception("connection refused"))  # a failed connect has no statement

    original, app.view_functions["site.home"] = app.view_functions["site.home"], unreachable
    try:
        response = client.get("/")
    finally:
        app.view_functions["site.home"] = original
    assert response.status_code == 503 and len(runs) == 2
    assert "请重试" in response.get_data(as_text=True)


def test_other_database_errors_are_not_retried(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    original, runs = failing_once(app, "site.home", OperationalError("SELECT 1", {}, Exception("syntax")))
    try:
        response = client.get("/")
    finally:
        app.view_functions["site.home"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500 and len(runs) == 1


# -- PostgreSQL: the server really ends the connections ---------------------------------------------

def kill_connections(url: str) -> int:
    """What a PostgreSQL restart or a failover does to every connection of the application."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).all())
    finally:
        admin.dispose()


@pytest.mark.own_database
@pytest.mark.postgres
@pytest.mark.parametrize("ping", ["after_idle", "pre_ping"])
def test_killed_postgresql_connections_never_reach_a_user(postgres_url, tmp_path, ping):
    with own_app(postgres_url, tmp_path, DATABASE_PING=ping) as app:
        worker, course = factories.create_worker(), factories.create_course()
        other_course = factories.create_course()
        db.session.commit()
        worker_phone, course_id, other_id, title = worker.phone, course.id, other_course.id, course.title
        db.session.remove()
        client = app.test_client()
        assert client.post("/login", data={"phone": worker_phone, "password": factories.DEFAULT_PASSWORD}
                           ).status_code == 302
        assert client.post(f"/courses/{course_id}/enrol").status_code == 302
        assert title in client.get("/learning").get_data(as_text=True)
        for path in ("/learning", "/courses", f"/courses/{course_id}"):  # pages kept, versions read outside the session
            assert client.get(path).status_code == 200
            assert app.test_client().get("/courses").status_code == 200

        assert kill_connections(postgres_url) >= 1
        learning = client.get("/learning")
        assert learning.status_code == 200 and title in learning.get_data(as_text=True), (ping, learning.get_data(as_text=True).split("<main")[-1][:1500])
        assert kill_connections(postgres_url) >= 1
        assert app.test_client().get("/courses").status_code == 200  # anonymous: the cached page's own read
        assert kill_connections(postgres_url) >= 1
        assert client.get(f"/courses/{course_id}").status_code == 200

        kill_connections(postgres_url)
        write = client.post(f"/courses/{other_id}/enrol")
        if ping == "after_idle":  # a connection used moments ago is trusted: the write meets the loss
            assert write.status_code == 503
            db.session.remove()
            assert db.session.get(Course, other_id).seats_taken == 0
            assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.course_id == other_id)) == 0
            write = client.post(f"/courses/{other_id}/enrol")  # "please try again" works
        assert write.status_code == 302
        db.session.remove()
        assert db.session.get(Course, other_id).seats_taken == 1



@pytest.mark.own_database
def test_a_connection_lost_while_the_request_ends_leaves_the_answer_as_it_was(tmp_path, monkeypatch):
    """The soak's finding: the server ended the connection after the page was made, and the ROLLBACK that
    ends the session was refused; the page must still be answered, the next request work, and any other
    error at the end of a request still be seen."""
    with own_app(f"sqlite:///{tmp_path / 'ending.db'}", tmp_path) as app:
        worker = factories.create_worker()
        db.session.commit()
        phone, name = worker.phone, worker.name
        client = app.test_client()
        assert client.post("/login", data={"phone": phone, "password": factories.DEFAULT_PASSWORD}).status_code == 302
        armed, close = [], Session.close

        def refused_once(self):
            if armed:
                raise armed.pop()
            return close(self)

        monkeypatch.setattr(Session, "close", refused_once)
        original = app.view_functions["auth.account"]
        app.view_functions["auth.account"] = lambda: armed.append(lost("ROLLBACK")) or original()
        response = client.get("/account")
        assert response.status_code == 200 and name in response.get_data(as_text=True) and not armed
        app.view_functions["auth.account"] = original
        assert client.get("/account").status_code == 200  # a fresh session for the next request
        app.view_functions["auth.account"] = lambda: armed.append(RuntimeError("not a lost connection")) or original()
        with pytest.raises(RuntimeError):
            client.get("/account")
