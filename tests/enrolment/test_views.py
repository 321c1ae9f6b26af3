from datetime import timedelta

from sqlalchemy import func, select, text

from academy.auth.enums import Qualification
from academy.core.i18n import local_today
from academy.core.querycount import count_queries
from academy.core.models import now_utc
from academy.enrolment import operations as ops
from academy.enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus as S
from academy.extensions import db


def enrolment_of(course, worker):
    return db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                     Enrolment.worker_id == worker.id))


def test_worker_enrols_sees_the_status_and_the_notification_then_withdraws(client, make, login):
    course = make.create_course(title="社区矛盾调解实务", capacity=3)
    worker = make.create_worker()
    login(worker)
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "立即报名" in page and "报名后立即获得名额" in page
    response = client.post(f"/courses/{course.id}/enrol", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "报名成功" in page and "已报名" in page
    assert 'id="unread-count">1' in page
    notes = client.get("/notifications").get_data(as_text=True)
    assert "您已成功报名《社区矛盾调解实务》" in notes
    learning = client.get("/learning").get_data(as_text=True)
    assert "社区矛盾调解实务" in learning and "退出" in learning
    enrolment = enrolment_of(course, worker)
    assert client.post(f"/enrolments/{enrolment.id}/withdraw", data={"reason": ""}).status_code == 302
    db.session.refresh(enrolment)
    assert enrolment.status == S.WITHDRAWN
    assert "已退出" in client.get("/learning").get_data(as_text=True)
    client.post("/notifications/read")
    assert 'id="unread-count"' not in client.get("/learning").get_data(as_text=True)


def test_the_button_says_request_or_waitlist_and_why_not(client, make, login):
    worker = make.create_worker(qualification=Qualification.ASSISTANT)
    login(worker)
    approval = make.create_course(approval_required=True)
    assert "申请报名" in client.get(f"/courses/{approval.id}").get_data(as_text=True)
    full = make.create_course(capacity=1, seats_taken=1)
    assert "加入候补" in client.get(f"/courses/{full.id}").get_data(as_text=True)
    strict = make.create_course(min_qualification=Qualification.SENIOR,
                                enrol_closes_at=now_utc() - timedelta(hours=1))
    page = client.get(f"/courses/{strict.id}").get_data(as_text=True)
    assert "报名已截止" in page and "本课程要求高级社会工作师及以上职业资格" in page
    refused = client.post(f"/courses/{strict.id}/enrol", follow_redirects=True)
    assert "报名已截止" in refused.get_data(as_text=True)
    assert enrolment_of(strict, worker) is None


def test_anonymous_visitor_is_told_to_sign_in(client, make):
    course = make.create_course()
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "请以学员身份登录后报名" in page
    assert client.post(f"/courses/{course.id}/enrol").status_code == 302


def test_waitlisted_worker_sees_their_position(client, make, login):
    course = make.create_course(capacity=1)
    ops.enrol(course, make.create_worker())
    ops.enrol(course, make.create_worker())
    db.session.commit()
    worker = make.create_worker()
    login(worker)
    client.post(f"/courses/{course.id}/enrol")
    assert "您在候补名单中排第 2 位" in client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "您在候补名单中排第 2 位" in client.get("/learning").get_data(as_text=True)


def test_staff_do_not_get_an_enrol_button_and_cannot_enrol(client, make, login):
    course = make.create_course()
    login(make.create_instructor())
    assert "立即报名" not in client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert client.post(f"/courses/{course.id}/enrol").status_code == 403


def test_a_worker_cannot_touch_another_workers_enrolment(client, make, login):
    course = make.create_course()
    other = ops.enrol(course, make.create_worker())
    db.session.commit()
    login(make.create_worker())
    assert client.get(f"/enrolments/{other.id}/withdraw").status_code == 404
    assert client.post(f"/enrolments/{other.id}/withdraw", data={"reason": "x"}).status_code == 404
    db.session.refresh(other)
    assert other.status == S.ENROLLED


def test_approval_queue_approves_several_at_once_and_rejects_with_a_reason(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course("TOUYAN", approval_required=True, capacity=5, instructors=[instructor])
    elsewhere = make.create_course("TOUYAN", approval_required=True)
    workers = [make.create_worker() for _ in range(3)]
    requests = [ops.enrol(course, worker) for worker in workers]
    foreign = ops.enrol(elsewhere, make.create_worker())
    db.session.commit()
    login(instructor)
    queue = client.get("/teach/approvals").get_data(as_text=True)
    assert f"/teach/approvals/courses/{course.id}" in queue and f"/teach/approvals/courses/{elsewhere.id}" not in queue
    page = client.get(f"/teach/approvals/courses/{course.id}").get_data(as_text=True)
    assert all(worker.name in page for worker in workers) and foreign.worker.name not in page
    client.post(f"/teach/approvals/courses/{course.id}", data={"enrolments": [requests[0].id, requests[1].id]})
    empty = client.post(f"/teach/enrolments/{requests[2].id}/reject", data={"reason": ""})
    assert "请填写原因" in empty.get_data(as_text=True)
    refused = client.post(f"/teach/enrolments/{requests[2].id}/reject", data={"reason": "名额优先给社区书记"})
    assert refused.headers["Location"].endswith(f"/teach/approvals/courses/{course.id}")
    db.session.expire_all()
    assert [r.status for r in requests] == [S.ENROLLED, S.ENROLLED, S.REJECTED]
    assert course.seats_taken == 2
    assert client.get(f"/teach/enrolments/{foreign.id}/reject").status_code == 403


def test_roster_is_for_the_courses_staff_and_admin_withdraws_with_a_reason(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course(capacity=1, instructors=[instructor])
    seated = ops.enrol(course, make.create_worker(phone="13912340000"))
    waiting = ops.enrol(course, make.create_worker())
    db.session.commit()
    login(make.create_instructor())
    assert client.get(f"/teach/courses/{course.id}/roster").status_code == 403
    client.post("/logout")
    login(instructor)
    page = client.get(f"/teach/courses/{course.id}/roster").get_data(as_text=True)
    assert "139****0000" in page and "13912340000" not in page and "#1" in page
    assert client.post(f"/enrolments/{seated.id}/withdraw", data={"reason": "x"}).status_code == 403
    client.post("/logout")
    login(make.create_admin())
    refused = client.post(f"/enrolments/{seated.id}/withdraw", data={"reason": ""})
    assert "请填写原因" in refused.get_data(as_text=True)
    client.post(f"/enrolments/{seated.id}/withdraw", data={"reason": "工作调动离开东城区"})
    db.session.expire_all()
    assert (seated.status, waiting.status) == (S.WITHDRAWN, S.ENROLLED)
    assert seated.events[-1].reason == "工作调动离开东城区"


def test_notifications_are_private(client, make, login):
    course = make.create_course(title="仅本人可见的通知")
    ops.enrol(course, make.create_worker())
    db.session.commit()
    login(make.create_worker())
    assert "仅本人可见的通知" not in client.get("/notifications").get_data(as_text=True)


def test_my_learning_offers_withdrawal_only_before_the_first_session(client, make, login):
    worker = make.create_worker()
    upcoming = make.create_course(title="即将开始的课程")
    started = make.create_course(title="已经开始的课程", starts_on=local_today() - timedelta(days=1), sessions=3)
    future, running = ops.enrol(upcoming, worker), ops.enrol(started, worker, by_staff=True)
    db.session.commit()
    login(worker)
    page = client.get("/learning").get_data(as_text=True)
    assert f"/enrolments/{future.id}/withdraw" in page
    assert f"/enrolments/{running.id}/withdraw" not in page and "已经开始的课程" in page


def test_a_re_enrolment_another_tab_made_first_is_refused_and_writes_nothing(client, make, login, monkeypatch):
    course = make.create_course(capacity=3)
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker)
    ops.withdraw(enrolment, actor=worker)
    db.session.commit()
    events = db.session.scalar(select(func.count()).select_from(EnrolmentEvent))
    login(worker)
    take_seat = ops.take_seat

    def other_tab_first(course):  # the other tab's re-enrolment lands between this request's read and its write
        db.session.execute(text("UPDATE enrolments SET status = 'enrolled' WHERE id = :id"), {"id": enrolment.id})
        return take_seat(course)

    monkeypatch.setattr(ops, "take_seat", other_tab_first)
    page = client.post(f"/courses/{course.id}/enrol", follow_redirects=True).get_data(as_text=True)

    assert "其他人在同一时间修改了这条记录" in page
    db.session.expire_all()
    assert enrolment_of(course, worker).status == S.WITHDRAWN  # this request's transaction was undone whole
    assert course.seats_taken == 0
    assert db.session.scalar(select(func.count()).select_from(EnrolmentEvent)) == events


def test_a_change_made_meanwhile_outside_a_form_gets_a_409_page(app):
    from sqlalchemy.orm.exc import StaleDataError

    with app.test_request_context("/", method="POST"):
        body, status = app.handle_user_exception(StaleDataError("UPDATE matched 0 rows"))
    assert status == 409 and "已被他人修改" in body and "请刷新页面" in body


def test_the_signed_in_worker_is_loaded_once_also_when_the_answer_comes_after_the_commit(client, make, login):
    """The enrol message is translated after the commit, in the worker's language: committed objects keep
    their state, so that costs no second load of the account (and on SQLite no second write lock)."""
    course = make.create_course(capacity=3)
    worker = make.create_worker()
    login(worker)
    with count_queries(db.engine) as queries:
        assert client.post(f"/courses/{course.id}/enrol").status_code == 302
    assert sum("users.password_hash" in statement for statement in queries.statements) == 1
    assert enrolment_of(course, worker).status == S.ENROLLED
