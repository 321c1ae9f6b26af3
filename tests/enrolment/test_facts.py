"""A worker's own enrolment and withdrawal read their course and enrolment as facts (one statement
each) rather than ORM objects; through the one write path they must leave exactly what it leaves when
given ORM objects — statuses, events, notices, seats, summary tables, page versions."""
import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from academy.core.errors import OperationError
from academy.core.pagecache import PUBLIC, PageVersion
from academy.core.personalcache import PersonalVersion
from academy.courses.models import Course, CourseStatus
from academy.enrolment import operations as ops
from academy.enrolment import facts, rules
from academy.enrolment.models import Enrolment, EnrolmentEvent
from academy.enrolment.models import EnrolmentStatus as S
from academy.extensions import db
from academy.notifications.models import Notification
from tests.reports.test_tallies import assert_current


def _enrolment(course, worker) -> Enrolment:
    return db.session.scalar(select(Enrolment).where(Enrolment.course_id == course.id,
                                                     Enrolment.worker_id == worker.id))


def _version(table, key_column, key) -> int:
    return db.session.scalar(select(table.version).where(key_column == key)) or 0


class OrmPath:
    @staticmethod
    def enrol(course, worker):
        return ops.enrol(course, worker).status

    @staticmethod
    def withdraw(course, worker):
        ops.withdraw(_enrolment(course, worker), actor=worker)


class FactsPath:
    @staticmethod
    def enrol(course, worker):
        return ops.place(facts.course_facts(course.id), worker)[1]

    @staticmethod
    def withdraw(course, worker):
        _withdraw_read(facts.own_enrolment(_enrolment(course, worker).id, worker.id), worker)


def _withdraw_read(mine, worker):
    ops.withdraw(mine, actor=worker, starts={mine.course_id: rules.course_start(mine.course, mine.first_session)})


# (action, worker index): two seats, a waitlist, a seat passed on, a re-enrolment, leaving the waitlist
SCENARIO = [("enrol", 0), ("enrol", 1), ("enrol", 2), ("enrol", 3), ("withdraw", 0), ("enrol", 0),
            ("withdraw", 3), ("withdraw", 1)]


def _play(path, make, **course_settings) -> dict:
    """Run the scenario through one path; what it left, in terms that do not name the course or the workers."""
    course = make.create_course(capacity=2, waitlist_enabled=True, **course_settings)
    workers = [make.create_worker() for _ in range(4)]
    index = {worker.id: number for number, worker in enumerate(workers)}
    steps = []
    for action, number in SCENARIO:
        worker = workers[number]
        public = _version(PageVersion, PageVersion.name, PUBLIC)
        personal = [_version(PersonalVersion, PersonalVersion.user_id, w.id) for w in workers]
        try:
            result = getattr(path, action)(course, worker)
            db.session.commit()
        except OperationError as refused:
            db.session.rollback()
            result = str(refused)
        assert_current()
        steps.append((action, number, result,
                      _version(PageVersion, PageVersion.name, PUBLIC) > public,
                      [_version(PersonalVersion, PersonalVersion.user_id, w.id) - before
                       for w, before in zip(workers, personal)]))
    db.session.expire_all()
    enrolments = db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id)).all()
    events = db.session.execute(
        select(Enrolment.worker_id, EnrolmentEvent.actor_id, EnrolmentEvent.from_status, EnrolmentEvent.to_status,
               EnrolmentEvent.reason)
        .join(Enrolment, Enrolment.id == EnrolmentEvent.enrolment_id)
        .where(Enrolment.course_id == course.id).order_by(EnrolmentEvent.id)).all()
    notes = db.session.execute(select(Notification.user_id, Notification.kind, Notification.params, Notification.link)
                               .where(Notification.user_id.in_(index)).order_by(Notification.id)).all()
    return {
        "steps": steps,
        "statuses": sorted((index[e.worker_id], e.status, e.queued_at is not None) for e in enrolments),
        "events": [(index[w], index.get(actor), *rest) for w, actor, *rest in events],
        "notices": [(index[user], kind, {k: v for k, v in params.items() if k != "course"},
                     link == f"/courses/{course.id}") for user, kind, params, link in notes],
        "seats": db.session.get(Course, course.id).seats_taken,
    }


@pytest.mark.parametrize("settings", [{}, {"approval_required": True}], ids=["open", "approval"])
def test_facts_leave_what_orm_objects_leave(app, make, settings):
    with app.test_request_context():  # the notices link to the course page
        orm, core = _play(OrmPath, make, **settings), _play(FactsPath, make, **settings)
    for key in orm:
        assert core[key] == orm[key], key
    if not settings:  # the scenario did what it says
        assert [step[2] for step in orm["steps"][:4]] == [S.ENROLLED, S.ENROLLED, S.WAITLISTED, S.WAITLISTED]
        assert orm["statuses"] == [(0, S.ENROLLED, False), (1, S.WITHDRAWN, False), (2, S.ENROLLED, False),
                                   (3, S.WITHDRAWN, False)]
        assert ("promoted" in [kind for _, kind, _, _ in orm["notices"]]) and orm["seats"] == 2
        # joining or leaving the waitlist refreshes the pages of everyone on it
        assert orm["steps"][6][4] == [1, 0, 0, 1]


def test_the_rules_refuse_in_the_same_words(make):
    prerequisite = make.create_course()
    course = make.create_course(subdistricts=[make.subdistrict("110101016000")], prerequisites=[prerequisite])
    worker = make.create_worker()
    with pytest.raises(OperationError) as orm:
        ops.enrol(course, worker)
    db.session.rollback()
    with pytest.raises(OperationError) as core:
        FactsPath.enrol(course, worker)
    db.session.rollback()
    assert str(core.value) == str(orm.value) and "110101016000" not in str(core.value)
    assert _enrolment(course, worker) is None and db.session.get(Course, course.id).seats_taken == 0


def test_an_enrolment_made_meanwhile_by_another_request_is_not_made_twice(make, monkeypatch):
    course, worker = make.create_course(capacity=5), make.create_worker()
    FactsPath.enrol(course, worker)
    db.session.commit()
    # this request read no enrolment of the worker: another request made one right after
    monkeypatch.setattr(ops, "mine_and_completed", lambda *args, **kwargs: (None, set()))
    with pytest.raises(OperationError, match=str(ops.ALREADY_ENROLLED)):
        FactsPath.enrol(course, worker)
    assert db.session.get(Course, course.id).seats_taken == 1  # the seat it took is given back
    db.session.rollback()
    assert db.session.scalar(select(Enrolment.status).where(Enrolment.course_id == course.id)) == S.ENROLLED


def test_a_withdrawal_read_before_another_change_is_refused(make):
    course, worker = make.create_course(), make.create_worker()
    FactsPath.enrol(course, worker)
    db.session.commit()
    read = facts.own_enrolment(_enrolment(course, worker).id, worker.id)
    OrmPath.withdraw(course, worker)  # another tab withdrew meanwhile
    db.session.commit()
    events = db.session.query(EnrolmentEvent).count()
    with pytest.raises(StaleDataError):
        _withdraw_read(read, worker)
    db.session.rollback()
    assert db.session.query(EnrolmentEvent).count() == events
    assert db.session.get(Course, course.id).seats_taken == 0


def test_drafts_and_other_workers_enrolments_are_not_found(make):
    assert facts.course_facts(make.create_course(status=CourseStatus.DRAFT).id) is None
    assert facts.course_facts(10**9) is None
    course, worker, other = make.create_course(), make.create_worker(), make.create_worker()
    FactsPath.enrol(course, worker)
    db.session.commit()
    assert facts.own_enrolment(_enrolment(course, worker).id, other.id) is None


def test_the_view_says_when_the_enrolment_changed_meanwhile(client, make, login, monkeypatch):
    course, worker = make.create_course(), make.create_worker()
    login(worker)
    client.post(f"/courses/{course.id}/enrol")
    enrolment = _enrolment(course, worker)
    stale = facts.own_enrolment(enrolment.id, worker.id)
    monkeypatch.setattr(facts, "own_enrolment", lambda *args: stale)
    client.post(f"/enrolments/{enrolment.id}/withdraw", data={"reason": ""})  # withdrawn now
    page = client.post(f"/enrolments/{enrolment.id}/withdraw", data={"reason": ""}, follow_redirects=True)
    assert "其他人在同一时间修改了这条记录" in page.get_data(as_text=True)
    assert [e.to_status for e in db.session.scalars(select(EnrolmentEvent).where(
        EnrolmentEvent.enrolment_id == enrolment.id))] == [S.ENROLLED, S.WITHDRAWN]


def test_the_sessions_own_objects_follow_the_core_writes(make):
    course, worker = make.create_course(capacity=3), make.create_worker()
    assert course.seats_taken == 0
    FactsPath.enrol(course, worker)
    db.session.commit()
    enrolment = _enrolment(course, worker)  # now held by the session, as the course is
    assert (enrolment.status, course.seats_taken) == (S.ENROLLED, 1)
    FactsPath.withdraw(course, worker)
    db.session.commit()
    assert (enrolment.status, course.seats_taken) == (S.WITHDRAWN, 0)
