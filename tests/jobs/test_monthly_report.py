"""On the first working day of a month each administrator gets the district's progress report as XLSX and
each subdistrict administrator their subdistrict's, once, ready in My downloads with a notification."""
import io
from datetime import date, datetime, time

import openpyxl
from sqlalchemy import select

from academy.core.i18n import LOCAL_TZ, local_today
from academy.extensions import db
from academy.jobs.models import Job, JobStatus
from academy.jobs.reminders import first_working_day
from academy.jobs.scheduler import tick
from academy.notifications.models import Notification
from tests.reports.test_reports import A, B, district  # noqa: F401  (the fixture)


def test_the_first_working_day_skips_the_weekend():
    assert first_working_day(2026, 11) == date(2026, 11, 2)  # 1 November 2026 is a Sunday
    assert first_working_day(2026, 12) == date(2026, 12, 1)


def test_each_administrator_gets_the_monthly_report_of_their_scope_once(client, make, login, district):  # noqa: F811
    admin = make.create_admin()
    street_a = make.create_street_admin(street=make.subdistrict(A))
    year = district["year"]
    today = local_today()
    monday = datetime.combine(first_working_day(today.year, today.month), time(9), LOCAL_TZ)
    first = tick(monday)["monthly_reports"]
    assert first >= 2 and tick(monday)["monthly_reports"] == 0
    jobs = {job.user_id: job for job in db.session.scalars(select(Job).where(Job.kind == "monthly_report"))}
    assert jobs[street_a.id].params["subdistrict_id"] == make.subdistrict(A).id
    assert jobs[admin.id].params["subdistrict_id"] is None
    assert all(job.status == JobStatus.DONE for job in jobs.values())
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == street_a.id)) == "job_done"
    assert jobs[admin.id].params["year"] == year
    login(street_a)
    data = client.get(f"/jobs/{jobs[street_a.id].id}/download").data
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3, values_only=True))  # below the title and time
    assert {row[1] for row in rows[1:-1]} == {make.subdistrict(A).name_zh}  # their subdistrict only
    admin_rows = list(openpyxl.load_workbook(io.BytesIO(_file(jobs[admin.id]))).active.iter_rows(min_row=3, values_only=True))
    assert {row[1] for row in admin_rows[1:-1]} == {make.subdistrict(A).name_zh, make.subdistrict(B).name_zh}
    assert client.get(f"/jobs/{jobs[admin.id].id}/download").status_code == 404
    client.post("/logout")
    login(make.create_street_admin(street=make.subdistrict(B)))
    assert client.get(f"/jobs/{jobs[street_a.id].id}/download").status_code == 404


def _file(job) -> bytes:
    from academy.jobs.operations import result_path

    return result_path(job).read_bytes()
