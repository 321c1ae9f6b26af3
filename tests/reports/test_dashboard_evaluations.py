"""The dashboard's panel of the year's course evaluations, per programme and per instructor: in the statements
the dashboard already runs, kept with its figures until an answer changes them, and for a subdistrict's
administrator only where a group has at least five answers (the instructors' threshold)."""
import re
from datetime import timedelta

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.core.i18n import local_today
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.extensions import db
from tests.evaluations.test_evaluations import answer


def ended_course(make, programme, workers):
    instructor = make.create_instructor()
    course = make.create_course(programme, starts_on=local_today() - timedelta(days=10), sessions=1,
                                instructors=[instructor])
    enrolments = [ops.enrol(course, worker, by_staff=True) for worker in workers]
    db.session.commit()
    att.save_marks(course.sessions[0], {e.id: Mark.PRESENT for e in enrolments}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    return course, instructor


def panel(client, key):
    html = client.get("/admin").get_data(as_text=True)
    table = re.search(rf'id="evaluations-by-{key}">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<th scope="row">([^<]*)</th><td class="text-end">(\d+)</td><td class="text-end">([\d.]+)</td>',
                      table)


def test_the_dashboard_shows_the_years_evaluations_without_another_statement(client, login, make):
    here = [make.create_worker() for _ in range(5)]  # the street administrator's subdistrict
    elsewhere = [make.create_worker(work_unit=make.create_unit(parent=make.subdistrict("110101002000")))
                 for _ in range(2)]
    zhuji, zhuji_teacher = ended_course(make, "ZHUJI", here)
    yuyan, yuyan_teacher = ended_course(make, "YUYAN", elsewhere)
    admin = login(make.create_admin())
    admin.get("/admin")
    clear_page_cache()
    with count_queries(db.engine) as before:
        admin.get("/admin")
    for index, worker in enumerate(here):
        answer(zhuji, worker, content=str(1 + index % 5))  # content 1..5: the four scores average 3.75
    for worker in elsewhere:
        answer(yuyan, worker)  # 5, 4, 3, 5: 4.25
    db.session.commit()
    assert panel(admin, "programme") == [("筑基计划", "5", "3.75"), ("育雁计划", "2", "4.25")]
    assert panel(admin, "instructor") == [(zhuji_teacher.name, "5", "3.75"), (yuyan_teacher.name, "2", "4.25")]
    clear_page_cache()
    with count_queries(db.engine) as after:
        admin.get("/admin")
    assert after.count == before.count, after.statements

    admin.post("/logout")
    street = login(make.create_street_admin())
    assert panel(street, "programme") == [("筑基计划", "5", "3.75")]  # two answers elsewhere: not their workers
    assert panel(street, "instructor") == [(zhuji_teacher.name, "5", "3.75")]


def test_a_subdistrict_administrator_sees_a_group_from_its_fifth_answer_and_an_answer_moves_the_kept_panel(
        client, login, make):
    workers = [make.create_worker() for _ in range(5)]
    course, _teacher = ended_course(make, "ZHUJI", workers)
    for worker in workers[:4]:
        answer(course, worker)
    db.session.commit()
    street = login(make.create_street_admin())
    assert "本年度尚无可显示的课程评估" in street.get("/admin").get_data(as_text=True)  # four answers: nothing shown
    answer(course, workers[4])
    db.session.commit()
    assert panel(street, "programme") == [("筑基计划", "5", "4.25")]  # the kept dashboard moved with the answer
