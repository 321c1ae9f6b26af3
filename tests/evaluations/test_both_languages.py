"""The classroom's pages speak English when English is chosen, and Chinese by default."""
from academy.core.i18n import local_today
from academy.enrolment import operations as ops
from academy.extensions import db
from academy.materials import operations as mats
from tests.evaluations.test_evaluations import finished_course


def test_the_classroom_pages_in_both_languages(client, login, make):
    course, instructor, (worker,) = finished_course(make)
    mats.add_link(course, actor=instructor, title="视频", url="https://a.example", publish=True)
    today = make.create_course(starts_on=local_today(), instructors=[instructor])
    ops.enrol(today, worker, by_staff=True)
    db.session.commit()
    worker_pages = {"/checkin": ("Check in with a code", "输入签到码签到"),
                    f"/courses/{course.id}/materials": ("Course materials", "课件"),
                    f"/learning/evaluations/{course.id}": ("Send the evaluation", "提交评估"),
                    "/learning": ("Please evaluate it", "请您评估")}
    staff_pages = {f"/teach/courses/{today.id}/sessions/{today.sessions[0].id}/checkin": ("Scan to check in", "扫码签到"),
                   f"/teach/courses/{course.id}/materials": ("Add a file", "添加文件"),
                   f"/teach/courses/{course.id}/evaluation": ("The results appear once", "才显示结果")}
    for user, pages in ((worker, worker_pages), (instructor, staff_pages)):
        login(user)
        for path, (_english, chinese) in pages.items():
            assert chinese in client.get(path).get_data(as_text=True), path
        client.post("/language", data={"lang": "en", "next": "/"})
        for path, (english, _chinese) in pages.items():
            assert english in client.get(path).get_data(as_text=True), path
        client.post("/language", data={"lang": "zh_CN", "next": "/"})
        client.post("/logout")
