"""Course evaluations in the reports: the dashboard's panel of the year's evaluations, per programme and per
instructor, in the statements the dashboard already runs, kept with its figures until an answer changes them;
the progress report's exports with evaluation columns. A subdistrict's administrator sees averages only where
a group has at least five answers (the instructors' threshold)."""
import io
import re
from datetime import timedelta

import openpyxl

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


def export(client, **args):
    data = client.get("/admin/reports/progress", query_string={**args, "format": "xlsx"}).data
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[3]]
    at = header.index("评估答卷数")
    assert header[at + 1] == "评估：课程内容" and len(header) == at + 5
    return {str(row[0] or row[1]): row[at:at + 5] for row in sheet.iter_rows(min_row=4, values_only=True)}


def test_the_progress_exports_carry_evaluation_columns_per_programme_tier_and_year(client, login, make):
    here = [make.create_worker() for _ in range(7)]
    zhuji, _teacher = ended_course(make, "ZHUJI", here[:5])
    yuyan, _other = ended_course(make, "YUYAN", here[5:])
    for index, worker in enumerate(here[:5]):
        answer(zhuji, worker, content=str(1 + index % 5))  # content 1..5 averages 3
    for worker in here[5:]:
        answer(yuyan, worker, usefulness="1")
    db.session.commit()
    admin = login(make.create_admin())
    by_programme = export(admin, group="programme")
    assert by_programme["筑基计划"] == (5, 3, 4, 3, 5)
    assert by_programme["育雁计划"] == (2, 5, 4, 3, 1)
    assert by_programme["合计"] == (7, 3.57, 4, 3, 3.86)
    assert export(admin, group="tier")["能力提升"] == (7, 3.57, 4, 3, 3.86)
    assert export(admin, group="year")[str(zhuji.starts_on.year)] == (7, 3.57, 4, 3, 3.86)

    admin.post("/logout")
    street = login(make.create_street_admin())
    by_programme = export(street, group="programme")
    assert by_programme["筑基计划"] == (5, 3, 4, 3, 5)
    assert by_programme["育雁计划"] == (2, None, None, None, None)  # under five answers: the count only
