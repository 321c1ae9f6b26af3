"""Every main page runs at most six SQL statements, and the same number at two data sizes."""
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

BUDGET = 6


def pages(course_id):
    return {
        None: ["/", "/courses", "/courses?programme=zhuji&available=y&q=社区", f"/courses/{course_id}", "/programmes",
               "/programmes/zhuji", "/partners"],
        "13800000005": ["/courses", f"/courses/{course_id}", "/learning", "/me", "/notifications", "/account/profile"],
        "13800000003": ["/teach/courses", f"/teach/courses/{course_id}", f"/teach/courses/{course_id}/results",
                        "/teach/approvals", f"/teach/courses/{course_id}/roster"],
        "13800000001": ["/admin", "/admin/reports/progress", "/admin/reports/progress?group=subdistrict&then=programme",
                        "/admin/reports/workers", "/admin/users", "/agreements", "/admin/audit"],
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
        make.create_worker()
    db.session.commit()


def test_main_pages_stay_within_the_query_budget_at_two_sizes(client, make):
    load_demo()
    db.session.commit()
    course_id = db.session.scalar(select(Course.id).where(Course.code == "DEMO-ZHUJI-PAST"))
    small = measure(client, course_id)
    grow(make)
    large = measure(client, course_id)
    over = {page: count for page, count in large.items() if count > BUDGET}
    assert over == {}
    assert small == large
