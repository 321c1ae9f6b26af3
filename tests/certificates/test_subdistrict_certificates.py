"""A subdistrict administrator lists and downloads the certificates of their own subdistrict's workers,
and no one else's; the list shows each certificate's status apart from what can be done with it."""
from datetime import timedelta

from sqlalchemy import select

from academy.attendance import operations as att
from academy.attendance.models import Mark
from academy.certificates import operations as certs
from academy.certificates.models import Certificate
from academy.core.i18n import local_today
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.extensions import db

HOME, ELSEWHERE = "110101001000", "110101016000"


def two_subdistricts(make):
    instructor = make.create_instructor()
    course = make.create_course(instructors=[instructor], starts_on=local_today() - timedelta(days=20))
    ours = make.create_worker(name="本街道学员", work_unit=make.create_unit(parent=make.subdistrict(HOME)))
    theirs = make.create_worker(name="外街道学员", work_unit=make.create_unit(parent=make.subdistrict(ELSEWHERE)))
    enrolments = [ops.enrol(course, worker, by_staff=True) for worker in (ours, theirs)]
    for session in course.sessions:
        att.save_marks(session, {e.id: Mark.PRESENT for e in enrolments}, actor=instructor)
    att.finalise(course, actor=instructor)
    db.session.commit()
    by_worker = {c.worker_id: c for c in db.session.scalars(select(Certificate))}
    return by_worker[ours.id], by_worker[theirs.id]


def test_a_subdistrict_administrator_lists_and_downloads_only_their_workers_certificates(client, make, login):
    ours, theirs = two_subdistricts(make)
    login(make.create_street_admin(street=make.subdistrict(HOME)))
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "本街道学员" in page and "外街道学员" not in page
    assert f"/admin/certificates/{ours.id}/revoke" not in page  # revoking stays an administrator's
    assert client.get(f"/certificates/{ours.id}.pdf").status_code == 200
    assert client.get(f"/certificates/{theirs.id}.pdf").status_code == 404
    assert "外街道学员" not in client.get("/admin/certificates", query_string={"q": "外街道"}).get_data(as_text=True)


def test_the_list_shows_status_and_actions_in_their_own_columns(client, make, login):
    ours, theirs = two_subdistricts(make)
    admin = make.create_admin()
    certs.revoke(theirs, actor=admin, reason="重复发放")
    db.session.commit()
    login(admin)
    page = client.get("/admin/certificates").get_data(as_text=True)
    assert "<th scope=\"col\">状态</th><th scope=\"col\">操作</th>" in page
    assert page.count("badge text-bg-success") == 1 and page.count("badge text-bg-danger") == 1
    assert f"/admin/certificates/{ours.id}/revoke" in page and f"/admin/certificates/{theirs.id}/revoke" not in page


def test_the_list_runs_the_same_queries_for_one_certificate_or_many(client, make, login):
    two_subdistricts(make)
    login(make.create_street_admin(street=make.subdistrict(HOME)))
    with count_queries(db.engine) as few:
        client.get("/admin/certificates")
    for _ in range(3):
        two_subdistricts(make)
    with count_queries(db.engine) as more:
        client.get("/admin/certificates")
    assert more.count == few.count
