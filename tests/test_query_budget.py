"""Every main page runs at most six SQL statements (the dashboard eight, the progress report seven), and the same number at two data sizes."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from academy.core.i18n import local_today
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.courses.models import Course
from academy.demo import DEMO_PASSWORD, load_demo
from academy.enrolment.models import Enrolment, EnrolmentStatus
from academy.extensions import db
from academy.progress.models import ExternalRecord
from academy.auth.enums import Qualification
from academy.qualifications.models import QualificationRecord

BUDGET = 6
# The administrators' dashboard also counts the outside records awaiting their review; the dashboard and
# the progress report read the year's plans with their actuals (one statement, academy/reports/plans_progress.py);
# the dashboard shows the latest exam-subsidy scheme's claims (one statement, academy/claims/ledger.py).
OVER_BUDGET = {("13800000001", "/admin"): 9, ("13800000001", "/admin/reports/progress"): 7,
               ("13800000001", "/admin/reports/progress?group=subdistrict&then=programme"): 7}


def pages(course_id):
    return {
        None: ["/", "/courses", "/courses?programme=zhuji&available=y&q=社区", f"/courses/{course_id}", "/programmes",
               "/programmes/zhuji", "/partners"],
        "13800000005": ["/courses", f"/courses/{course_id}", "/learning", "/me", "/notifications", "/account/profile",
                        "/me/qualifications"],
        "13800000003": ["/teach/courses", f"/teach/courses/{course_id}", f"/teach/courses/{course_id}/results",
                        "/teach/approvals", f"/teach/courses/{course_id}/roster"],
        "13800000001": ["/admin", "/admin/reports/progress", "/admin/reports/progress?group=subdistrict&then=programme",
                        "/admin/reports/workers", "/admin/users", "/agreements", "/admin/audit", "/admin/qualifications",
                        "/admin/qualifications?level=assistant&status=verified&year=2020&page=2",
                        "/admin/qualifications/counts", "/admin/qualifications/ceremony?year=2023"],
        "13800000002": ["/admin/qualifications", "/admin/qualifications/counts"],
    }


def measure(client, course_id):
    counts = {}
    for phone, paths in pages(course_id).items():
        client.post("/logout")
        if phone:
            client.post("/login", data={"phone": phone, "password": DEMO_PASSWORD})
        for path in paths:
            client.get(path)  # warm the per-process reference cache
            clear_page_cache()  # count what rendering the page takes, not what serving it from the cache does
            with count_queries(db.engine) as counter:
                assert client.get(path).status_code == 200, path
            counts[(phone, path)] = counter.count
    return counts


def grow(make):
    """Many more rows of every kind the pages show."""
    workers = db.session.scalars(select(Enrolment.worker_id).distinct()).all()
    for index in range(25):
        course = make.create_course("ZHUJI", sessions=3, starts_on=local_today() - timedelta(days=40 + index))
        for worker_id in workers:
            db.session.add(Enrolment(course=course, worker_id=worker_id, status=EnrolmentStatus.COMPLETED,
                                     credited_hours=Decimal("9")))
            db.session.add(ExternalRecord(worker_id=worker_id, kind="training", title=f"培训{index}",
                                          institution="机构", hours=Decimal("2"), ended_on=local_today(),
                                          review_status="verified"))
        newcomer = make.create_worker(work_unit=make.create_unit(parent=make.subdistrict("110101001000")))
        for level in (Qualification.ASSISTANT, Qualification.SOCIAL_WORKER):
            db.session.add(QualificationRecord(worker_id=newcomer.id, level=level, certificate_no=f"G{newcomer.id}-{level}",
                                               exam_year=2015 + index % 10, issuing_authority="民政部",
                                               status="verified" if index % 3 else "declared"))
    for worker_id in workers:
        db.session.add(QualificationRecord(worker_id=worker_id, level=Qualification.SENIOR, certificate_no=f"S{worker_id}",
                                           exam_year=2025, issuing_authority="民政部", status="declared"))
    db.session.commit()


def test_main_pages_stay_within_the_query_budget_at_two_sizes(client, make):
    load_demo()
    db.session.commit()
    course_id = db.session.scalar(select(Course.id).where(Course.code == "DEMO-ZHUJI-PAST"))
    small = measure(client, course_id)
    grow(make)
    large = measure(client, course_id)
    over = {page: count for page, count in large.items() if count > OVER_BUDGET.get(page, BUDGET)}
    assert over == {}
    assert small == large
