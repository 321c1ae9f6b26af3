"""The job pages: progress (polled JSON, a static script), the file for who may open the page that started
it, retry with the reason shown, my downloads, every job for administrators; long exports and certificate
ZIPs handed to jobs while small ones answer at once."""
import csv
import html
import io
import re
import zipfile

import openpyxl
from sqlalchemy import func, select

from academy.certificates.models import Certificate
from academy.core.querycount import count_queries
from academy.extensions import db
from academy.jobs import operations as ops
from academy.jobs.models import Job, JobStatus
from academy.jobs.runner import run_job
from tests.certificates.test_certificates import finished_course, needs_font
from tests.enrolment.test_import import CSV_TEXT, scene, upload  # noqa: F401  (the fixture)
from tests.reports.test_reports import A, B, district  # noqa: F401  (the fixture)


def _done_job(owner, **params):
    job = ops.create_job(owner, "probe", params)
    db.session.commit()
    run_job(job.id)
    return job


def test_the_progress_page_polls_a_json_status_with_a_static_script(client, make, login, probe_kind):
    user = make.create_admin()
    job = ops.create_job(user, "probe", {"rows": 5})
    db.session.commit()
    login(user)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f'data-status-url="/jobs/{job.id}/status"' in page and "<progress" in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []  # no inline script
    assert '/static/js/jobs.js' in page
    assert client.get(f"/jobs/{job.id}/status").get_json()["status"] == "queued"
    run_job(job.id)
    state = client.get(f"/jobs/{job.id}/status").get_json()
    assert state["status"] == "done" and state["percent"] == 100 and (state["done"], state["total"]) == (5, 5)
    assert state["download"] == f"/jobs/{job.id}/download"
    response = client.get(state["download"])
    assert response.data.decode().count("row") == 5 and "probe.csv" in response.headers["Content-Disposition"]


def test_a_job_and_its_file_are_for_its_owner_and_the_administrators(client, make, login, probe_kind):
    owner = make.create_street_admin()
    job = _done_job(owner)
    for stranger in (make.create_worker(), make.create_street_admin()):
        login(stranger)
        for path in (f"/jobs/{job.id}", f"/jobs/{job.id}/status", f"/jobs/{job.id}/download"):
            assert client.get(path).status_code == 404, path
        client.post("/logout")
    login(make.create_admin())
    assert client.get(f"/jobs/{job.id}/download").status_code == 200


def test_the_file_follows_the_starting_pages_permission(client, make, login, probe_kind):
    """The probe kind refuses instructors: an owner whose role no longer opens the page loses the file."""
    owner = make.create_admin()
    job = _done_job(owner)
    owner.role = "instructor"
    db.session.commit()
    login(owner)
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_a_failed_job_shows_why_and_is_tried_again(client, make, login, probe_kind):
    owner = make.create_admin()
    job = _done_job(owner, mode="refuse")
    login(owner)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "The course has no certificates yet." in page and f"/jobs/{job.id}/retry" in page
    job.params = {"rows": 2}
    db.session.commit()
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302
    assert db.session.get(Job, job.id).status == JobStatus.DONE and probe_kind == [job.id, job.id]
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302  # done: refused, nothing changes
    assert db.session.get(Job, job.id).attempts == 2


def test_my_downloads_lists_my_jobs_only_and_administrators_see_every_job(client, make, login, probe_kind):
    mine, other = make.create_admin(name="我自己"), make.create_worker(name="别人")
    first, second = _done_job(mine), _done_job(other)
    login(mine)
    listing = client.get("/jobs/mine").get_data(as_text=True)
    assert f"/jobs/{first.id}" in listing and f"/jobs/{second.id}" not in listing
    with count_queries(db.engine) as few:
        client.get("/jobs")
    for _ in range(5):
        _done_job(other)
    with count_queries(db.engine) as many:
        everything = client.get("/jobs").get_data(as_text=True)
    assert f"/jobs/{second.id}" in everything and "别人" in everything
    assert few.count == many.count
    client.post("/logout")
    login(other)
    assert client.get("/jobs").status_code == 403


def test_administrators_queue_the_maintenance_work(client, make, login):
    login(make.create_admin())
    response = client.post("/jobs/maintenance/refresh_standings")
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert job.kind == "refresh_standings" and job.status == JobStatus.DONE
    assert client.post("/jobs/maintenance/drop_everything").status_code == 404


def _csv(data: bytes) -> list:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_large_enrolment_export_is_a_job_with_the_same_rows(app, client, make, login, district, monkeypatch):  # noqa: F811
    login(make.create_street_admin(street=make.subdistrict(A)))
    args = {"year": district["year"]}
    inline = _csv(client.get("/admin/reports/enrolments", query_string=args).data)
    monkeypatch.setitem(app.config, "EXPORT_JOB_ROWS", 2)
    before = db.session.scalar(select(func.count(Job.id)))
    offer = client.get("/admin/reports/enrolments", query_string=args)
    assert offer.status_code == 200 and db.session.scalar(select(func.count(Job.id))) == before  # GET: nothing
    action = re.search(r'action="([^"]*/admin/reports/enrolments/job[^"]*)"', offer.get_data(as_text=True)).group(1)
    response = client.post(html.unescape(action))
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.status_code == 302 and response.headers["Location"] == f"/jobs/{job.id}"
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3)
    assert _csv(client.get(f"/jobs/{job.id}/download").data) == inline
    xlsx = client.post("/admin/reports/enrolments/job", query_string={**args, "format": "xlsx"})
    data = client.get(xlsx.headers["Location"] + "/download").data
    rows = [["" if v is None else str(v) for v in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3, values_only=True)]
    assert [row[:8] for row in rows] == [row[:8] for row in inline]
    client.post("/logout")
    login(make.create_street_admin(street=make.subdistrict(B)))  # another subdistrict's administrator
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_the_annual_return_is_prepared_in_the_background(client, make, login, district):  # noqa: F811
    login(make.create_admin())
    response = client.post("/admin/reports/annual/job", query_string={"year": district["year"]})
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.status == JobStatus.DONE
    data = client.get(f"/jobs/{job.id}/download").data
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == f"{district['year']}年度统计"


@needs_font
def test_a_large_certificate_zip_is_a_job(app, client, make, login, monkeypatch):
    course, instructor, enrolments = finished_course(make, workers=2)
    monkeypatch.setitem(app.config, "CERT_ZIP_JOB_COUNT", 1)
    login(instructor)
    assert "/certificates/job" in client.get(f"/teach/courses/{course.id}/certificates.zip").get_data(as_text=True)
    response = client.post(f"/teach/courses/{course.id}/certificates/job")
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.status == JobStatus.DONE, job.error
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/jobs/{job.id}/download").data)).namelist()
    certs = db.session.scalars(select(Certificate).where(Certificate.course_id == course.id)).all()
    assert sorted(names) == sorted(f"{c.serial}-{c.holder_name}.pdf" for c in certs)
    client.post("/logout")
    login(make.create_instructor())  # not this course's
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_a_large_class_list_is_written_by_a_job_after_its_preview(app, client, make, login, monkeypatch, scene):  # noqa: F811
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 2)
    login(make.create_admin())
    page = upload(client, CSV_TEXT.encode("gb18030")).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/enrolments/import/confirm", data={"token": token})
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.kind == "enrolment_import"
    assert job.status == JobStatus.DONE, job.error
    assert (job.done, job.total) == (3, 11)  # three written of eleven rows, as the inline confirm says
    again = client.post("/admin/enrolments/import/confirm", data={"token": token}, follow_redirects=True)
    assert "此预览已过期或已使用" in again.get_data(as_text=True)  # the kept file is forgotten


def test_a_large_results_list_is_written_by_a_job_after_its_preview(app, client, make, login, monkeypatch):
    from academy.qualifications.models import QualificationRecord, RecordStatus
    from tests.qualifications.test_import import ROWS, csv_bytes
    from tests.qualifications.test_import import scene as results_scene
    from tests.qualifications.test_import import upload as upload_results

    results_scene(make)
    monkeypatch.setitem(app.config, "IMPORT_JOB_ROWS", 2)
    login(make.create_admin())
    page = upload_results(client, csv_bytes(ROWS)).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/qualifications/import/confirm", data={"token": token})
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert response.headers["Location"] == f"/jobs/{job.id}" and job.kind == "results_import"
    assert job.status == JobStatus.DONE and (job.done, job.total) == (4, 11), job.error
    written = db.session.scalar(select(QualificationRecord).where(QualificationRecord.certificate_no == "A2025-0001"))
    assert written.status == RecordStatus.VERIFIED
    assert client.get(f"/jobs/{job.id}").status_code == 200


def test_my_downloads_runs_a_fixed_number_of_queries_and_speaks_both_languages(client, make, login, probe_kind):
    owner = make.create_admin()
    _done_job(owner)
    login(owner)
    with count_queries(db.engine) as few:
        page = client.get("/jobs/mine").get_data(as_text=True)
    for _ in range(4):
        _done_job(owner, mode="refuse")
    with count_queries(db.engine) as many:
        client.get("/jobs/mine")
    assert few.count == many.count and "我的下载" in page and "已完成" in page
    client.post("/language", data={"lang": "en", "next": "/jobs/mine"})
    english = client.get("/jobs/mine").get_data(as_text=True)
    assert "My downloads" in english and "Ready" in english and "Failed" in english
