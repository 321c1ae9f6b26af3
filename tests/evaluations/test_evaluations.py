"""Course evaluations: asked of those who attended after the last session, one answer each, versioned
questionnaire, anonymous to instructors below five answers and without names above, results in SQL."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.certificates.models import Certificate
from academy.core.errors import OperationError
from academy.core.i18n import local_today
from academy.core.models import now_utc
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.evaluations import operations as evals
from academy.evaluations import queries
from academy.evaluations.models import EvaluationAnswer, EvaluationInvitation, EvaluationTemplate
from academy.extensions import db
from academy.notifications.models import Notification

SCORES = {"content": "5", "instructor": "4", "organisation": "3", "usefulness": "5"}


def finished_course(make, attendees=1, absentees=0, **overrides):
    """A course that ended last week: `attendees` present at every session, `absentees` at none; finalised."""
    instructor = make.create_instructor()
    course = make.create_course(starts_on=local_today() - timedelta(days=10), sessions=2, instructors=[instructor],
                                **overrides)
    enrolments = [ops.enrol(course, make.create_worker(), by_staff=True) for _ in range(attendees + absentees)]
    db.session.commit()
    for session in course.sessions:
        att.save_marks(session, {e.id: Mark.PRESENT if index < attendees else Mark.ABSENT
                                 for index, e in enumerate(enrolments)}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    return course, instructor, [e.worker for e in enrolments]


def answer(course, worker, comment=None, **scores):
    evals.answer(course, worker, scores={name: int(value) for name, value in {**SCORES, **scores}.items()},
                 comment=comment)


def test_finalising_asks_everyone_who_attended_once(make):
    course, _, (present, absent) = finished_course(make, attendees=1, absentees=1)
    invited = db.session.scalars(select(Notification.user_id).where(Notification.kind == "evaluation_invited")).all()
    assert invited == [present.id]
    assert evals.invite_due() == 0 and evals.invite(course) == 0  # never twice
    assert db.session.scalar(select(func.count()).select_from(EvaluationInvitation)) == 1


def test_the_banner_and_the_form_wait_for_the_last_session(client, login, make):
    instructor = make.create_instructor()
    course = make.create_course(starts_on=local_today() - timedelta(days=1), sessions=3, instructors=[instructor])
    worker = make.create_worker()
    enrolment = ops.enrol(course, worker, by_staff=True)
    db.session.commit()
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    db.session.commit()
    assert evals.invite(course) == 0
    login(worker)
    assert f"/learning/evaluations/{course.id}" not in client.get("/learning").get_data(as_text=True)
    response = client.post(f"/learning/evaluations/{course.id}", data=SCORES)
    assert "最后一次课结束后开放评估" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 0
    assert queries.pending_for(worker.id, now=course.sessions[-1].ends_at) == [(course.id, course.title)]


def test_a_worker_who_attended_answers_once(client, login, make):
    course, _, (worker,) = finished_course(make)
    login(worker)
    assert f"/learning/evaluations/{course.id}" in client.get("/learning").get_data(as_text=True)
    page = client.get(f"/learning/evaluations/{course.id}").get_data(as_text=True)
    assert "课程内容是否充实" in page
    response = client.post(f"/learning/evaluations/{course.id}", data={**SCORES, "comment": "案例很实用"})
    assert response.status_code == 302
    saved = db.session.scalar(select(EvaluationAnswer))
    assert (saved.content, saved.instructor, saved.organisation, saved.usefulness, saved.comment) == (
        5, 4, 3, 5, "案例很实用")
    assert saved.template.version == 1
    assert f"/learning/evaluations/{course.id}" not in client.get("/learning").get_data(as_text=True)
    again = client.post(f"/learning/evaluations/{course.id}", data={**SCORES, "content": "1"})
    assert "您已评估过本课程" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 1


def test_the_schema_keeps_one_answer_per_worker_and_course(make):
    course, _, (worker,) = finished_course(make)
    answer(course, worker)
    db.session.add(EvaluationAnswer(course_id=course.id, worker_id=worker.id, template_id=db.session.scalar(
        select(EvaluationTemplate.id)), content=1, instructor=1, organisation=1, usefulness=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("data", [
    {**SCORES, "content": "6"}, {**SCORES, "usefulness": "0"}, {k: v for k, v in SCORES.items() if k != "instructor"},
])
def test_a_score_outside_1_to_5_writes_nothing(client, login, make, data):
    course, _, (worker,) = finished_course(make)
    login(worker)
    assert client.post(f"/learning/evaluations/{course.id}", data=data).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 0


def test_only_those_who_attended_may_answer(client, login, make):
    course, _, (_present, absent) = finished_course(make, attendees=1, absentees=1)
    stranger = make.create_worker()
    for worker in (absent, stranger):
        with pytest.raises(OperationError):
            answer(course, worker)
        client.post("/logout")
        login(worker)
        client.post(f"/learning/evaluations/{course.id}", data=SCORES)
    assert db.session.scalar(select(func.count()).select_from(EvaluationAnswer)) == 0


def test_a_new_version_never_changes_past_answers(client, login, make):
    course, _, workers = finished_course(make, attendees=2)
    answer(course, workers[0])
    db.session.commit()
    login(make.create_admin())
    wording = {"intro": "新说明", "q_content": "内容新问法？", "q_instructor": "讲师？", "q_organisation": "组织？",
               "q_usefulness": "有用？", "comment_prompt": "建议", "names_to_admins": "y"}
    assert client.post("/admin/evaluations/questionnaire", data=wording).status_code == 302
    answer(course, workers[1])
    db.session.commit()
    versions = db.session.execute(select(EvaluationAnswer.worker_id, EvaluationTemplate.version, EvaluationTemplate.q_content)
                                  .join(EvaluationTemplate).order_by(EvaluationAnswer.id)).all()
    assert [(v, q) for _, v, q in versions] == [(1, "课程内容是否充实、准确？"), (2, "内容新问法？")]
    bad = client.post("/admin/evaluations/questionnaire", data={**wording, "q_content": ""})
    assert bad.status_code == 200 and db.session.scalar(select(func.max(EvaluationTemplate.version))) == 2


def test_instructors_see_aggregates_from_the_fifth_answer_and_never_names(client, login, make):
    course, instructor, workers = finished_course(make, attendees=6)
    for index, worker in enumerate(workers[:4]):
        answer(course, worker, comment=f"意见{index}", content=str(index % 5 + 1))
    db.session.commit()
    login(instructor)
    url = f"/teach/courses/{course.id}/evaluation"
    hidden = client.get(url).get_data(as_text=True)
    assert "至少 5 名学员作答后才显示结果" in hidden and "意见0" not in hidden
    answer(course, workers[4], comment="意见4", content="5")
    db.session.commit()
    shown = client.get(url).get_data(as_text=True)
    assert "意见0" in shown and "意见4" in shown and "3.00" in shown  # content: 1+2+3+4+5 over 5
    assert not any(worker.name in shown for worker in workers)
    client.post("/logout")
    login(make.create_instructor())
    assert client.get(url).status_code == 403


def test_administrators_see_names_only_where_the_version_says_so(client, login, make):
    course, _, workers = finished_course(make, attendees=2)
    answer(course, workers[0], comment="匿名意见")
    evals.new_version(actor=make.create_admin(), names_to_admins=True,
                      **{key: "问" for key in ("intro", "q_content", "q_instructor", "q_organisation",
                                              "q_usefulness", "comment_prompt")})
    answer(course, workers[1], comment="署名意见")
    db.session.commit()
    login(make.create_admin())
    page = client.get(f"/teach/courses/{course.id}/evaluation").get_data(as_text=True)
    assert workers[1].name in page and workers[0].name not in page


def test_the_summary_counts_in_sql(make):
    course, _, workers = finished_course(make, attendees=3)
    for worker, score in zip(workers, ("1", "5", "5")):
        answer(course, worker, usefulness=score)
    summary = queries.course_summary(course.id)
    assert summary.answers == 3
    assert summary.distribution["usefulness"] == [1, 0, 0, 0, 2]
    assert summary.averages["usefulness"] == pytest.approx(3.67)
    assert summary.averages["organisation"] == 3.0


def test_the_report_groups_by_instructor_and_programme_over_a_period(client, login, make):
    course, instructor, workers = finished_course(make, attendees=2)
    answer(course, workers[0], content="2")
    answer(course, workers[1], content="4")
    late = db.session.scalars(select(EvaluationAnswer)).all()[1]
    late.answered_at = now_utc() - timedelta(days=400)
    db.session.commit()
    login(make.create_admin())
    by_instructor = client.get("/admin/evaluations?group=instructor").get_data(as_text=True)
    assert instructor.name in by_instructor
    assert '<td class="text-end">1</td><td class="text-end">2.00</td>' in by_instructor  # the old answer is outside
    wide = (local_today() - timedelta(days=500)).isoformat()
    by_programme = client.get(f"/admin/evaluations?group=programme&starts={wide}").get_data(as_text=True)
    assert '<td class="text-end">2</td><td class="text-end">3.00</td>' in by_programme and "筑基" in by_programme


def test_the_certificate_waits_for_the_evaluation_when_the_course_says_so(client, login, make):
    course, _, (worker,) = finished_course(make, evaluation_before_certificate=True)
    certificate = db.session.scalar(select(Certificate).where(Certificate.worker_id == worker.id))
    login(worker)
    held = client.get(f"/certificates/{certificate.id}.pdf")
    assert held.status_code == 302 and held.headers["Location"].endswith(f"/learning/evaluations/{course.id}")
    client.post(f"/learning/evaluations/{course.id}", data=SCORES)
    released = client.get(f"/certificates/{certificate.id}.pdf")
    assert released.status_code == 200 and released.mimetype == "application/pdf"


def test_without_the_course_setting_the_certificate_is_not_held(client, login, make):
    _, _, (worker,) = finished_course(make)
    certificate = db.session.scalar(select(Certificate).where(Certificate.worker_id == worker.id))
    login(worker)
    assert client.get(f"/certificates/{certificate.id}.pdf").status_code == 200


def test_the_results_page_runs_a_fixed_number_of_statements(client, login, make):
    course, instructor, workers = finished_course(make, attendees=12)
    login(instructor)

    def measure():
        client.get(f"/teach/courses/{course.id}/evaluation")
        with count_queries(db.engine) as counter:
            client.get(f"/teach/courses/{course.id}/evaluation")
        return counter.count

    for worker in workers[:5]:
        answer(course, worker, comment="好")
    db.session.commit()
    small = measure()
    for worker in workers[5:]:
        answer(course, worker, comment="好")
    db.session.commit()
    assert measure() == small <= 6


def test_the_invitation_reads_in_the_notifications_and_leads_to_the_form(client, login, make):
    course, _, (worker,) = finished_course(make)
    login(worker)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"请评估 {course.title}" in page and f"/learning/evaluations/{course.id}" in page


def test_the_scheduler_command_asks_the_attendees_of_courses_just_ended(app, make):
    instructor = make.create_instructor()
    course = make.create_course(starts_on=local_today() - timedelta(days=3), sessions=1, instructors=[instructor])
    enrolment = ops.enrol(course, make.create_worker(), by_staff=True)
    db.session.commit()
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    db.session.commit()  # attendance kept, results not finalised: only the command asks
    result = app.test_cli_runner().invoke(args=["academy", "invite-evaluations"])
    assert result.exit_code == 0 and "1 workers" in result.output
    assert app.test_cli_runner().invoke(args=["academy", "invite-evaluations"]).output.startswith("0 workers")


def test_the_scheduler_tick_asks_them_too(app, make):
    from academy.jobs.scheduler import tick

    instructor = make.create_instructor()
    course = make.create_course(starts_on=local_today() - timedelta(days=3), sessions=1, instructors=[instructor])
    enrolment = ops.enrol(course, make.create_worker(), by_staff=True)
    db.session.commit()
    att.save_marks(course.sessions[0], {enrolment.id: Mark.PRESENT}, actor=instructor)
    db.session.commit()
    assert tick()["evaluations_invited"] == 1
    assert tick()["evaluations_invited"] == 0
    assert db.session.scalar(select(func.count()).select_from(EvaluationInvitation)) == 1


def test_an_instructor_sees_their_courses_averages_from_the_fifth_answer(client, login, make):
    small, instructor, few = finished_course(make, attendees=2)
    for worker in few:
        answer(small, worker, content="1")
    big, other_instructor, many = finished_course(make, attendees=5)
    for worker in many:
        answer(big, worker, content="2")
    big.instructors.append(instructor)
    db.session.commit()
    login(instructor)
    page = client.get("/teach/evaluations").get_data(as_text=True)
    assert small.title in page and big.title in page
    assert "1.00" not in page  # two answers: no averages
    assert '<td class="text-end">5</td><td class="text-end">2.00</td>' in page
    client.post("/logout")
    login(other_instructor)
    assert small.title not in client.get("/teach/evaluations").get_data(as_text=True)


def test_the_report_exports_every_row_of_the_period(client, login, make):
    import io

    import openpyxl

    course, instructor, workers = finished_course(make, attendees=2)
    answer(course, workers[0], content="2")
    answer(course, workers[1], content="4")
    db.session.commit()
    login(make.create_admin())
    csv_text = client.get("/admin/evaluations?group=instructor&format=csv").get_data(as_text=True)
    assert instructor.name in csv_text and "3.0" in csv_text
    book = openpyxl.load_workbook(io.BytesIO(client.get("/admin/evaluations?group=programme&format=xlsx").data))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))  # below the title and the time of export
    assert book.active["A1"].value.startswith("课程评估") and rows[0][:2] == ("培养计划", "答卷数") and rows[1][1] == 2 and rows[1][2] == 3.0
