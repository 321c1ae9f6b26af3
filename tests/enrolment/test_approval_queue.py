"""The approval queue: courses with requests waiting, grouped with counts and filtered; each course's
requests paged, approved by ticking and refused with a reason; the pages' statements stay fixed."""
import re
from datetime import timedelta

from sqlalchemy import select

from academy.core.models import now_utc
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.enrolment import operations as ops
from academy.enrolment.approval_views import REQUESTS_PER_PAGE
from academy.enrolment.models import EnrolmentEvent
from academy.enrolment.models import EnrolmentStatus as S
from academy.extensions import db


def _requests(make, course, count, **worker):
    return [ops.enrol(course, make.create_worker(**worker)) for _ in range(count)]


def _statements(client, path):
    client.get(path)
    clear_page_cache()
    with count_queries(db.engine) as counter:
        assert client.get(path).status_code == 200, path
    return counter.count


def test_the_queue_groups_requests_by_course_with_counts_and_waiting_since(client, make, login):
    instructor = make.create_instructor()
    mine = make.create_course("TOUYAN", approval_required=True, capacity=50, instructors=[instructor])
    other = make.create_course("TOUYAN", approval_required=True, capacity=50, instructors=[instructor])
    foreign = make.create_course("TOUYAN", approval_required=True, title="别人的课程")
    requests = _requests(make, mine, 3) + _requests(make, other, 1)
    stranger = _requests(make, foreign, 2)
    requests[0].updated_at = now_utc() - timedelta(days=10)
    db.session.commit()
    login(instructor)
    page = client.get("/teach/approvals").get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td><span[^>]*>([^<]+)</span>.*?<td class=\"text-end\">(\d+)</td>", page, re.S)
    assert rows == [(mine.code, "3"), (other.code, "1")]  # the longest waiting first
    assert foreign.title not in page and stranger[0].worker.name not in page
    assert requests[1].worker.name not in page  # names are on the course's own page
    assert client.get(f"/teach/approvals/courses/{foreign.id}").status_code == 403


def test_the_queue_filters_by_course_subdistrict_and_waiting_time(client, make, login):
    admin = make.create_admin()
    there = make.create_unit(parent=make.subdistrict("110101002000"))
    course = make.create_course("TOUYAN", approval_required=True, capacity=50, title="危机干预实务")
    second = make.create_course("TOUYAN", approval_required=True, capacity=50, title="社区营造")
    near = _requests(make, course, 2)
    far = _requests(make, course, 1, work_unit=there)
    old = _requests(make, second, 1)[0]
    old.updated_at = now_utc() - timedelta(days=8)
    db.session.commit()
    login(admin)

    def listed(query):
        page = client.get(f"/teach/approvals?{query}").get_data(as_text=True)
        return [title for title in (course.title, second.title) if title in page]

    assert listed("") == [course.title, second.title]
    assert listed("course=危机") == [course.title]
    assert listed(f"course={second.code}") == [second.title]
    assert listed(f"subdistrict={there.subdistrict_id}") == [course.title]
    assert listed("waiting=7") == [second.title] and listed("waiting=30") == []
    assert listed("waiting=5%25&subdistrict=x") == [course.title, second.title]  # a bad filter is dropped
    page = client.get(f"/teach/approvals/courses/{course.id}?subdistrict={there.subdistrict_id}").get_data(as_text=True)
    assert far[0].worker.name in page and all(r.worker.name not in page for r in near)


def test_a_courses_requests_are_paged_and_approved_there_with_their_events(client, make, login):
    admin = make.create_admin()
    course = make.create_course("TOUYAN", approval_required=True, capacity=100)
    requests = _requests(make, course, REQUESTS_PER_PAGE + 3)
    db.session.commit()
    login(admin)
    first = client.get(f"/teach/approvals/courses/{course.id}").get_data(as_text=True)
    second = client.get(f"/teach/approvals/courses/{course.id}?page=2").get_data(as_text=True)
    assert first.count('name="enrolments"') == REQUESTS_PER_PAGE and second.count('name="enrolments"') == 3
    assert f'value="{requests[-1].id}"' in second and f'value="{requests[-1].id}"' not in first
    assert f"/teach/approvals/courses/{course.id}?page=2" in first
    nothing = client.post(f"/teach/approvals/courses/{course.id}", data={})
    assert "请至少勾选一个申请" in nothing.get_data(as_text=True)
    done = client.post(f"/teach/approvals/courses/{course.id}?page=2",
                       data={"enrolments": [requests[0].id, requests[-1].id]})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/teach/approvals/courses/{course.id}")
    db.session.expire_all()
    assert [requests[0].status, requests[1].status, requests[-1].status] == [S.ENROLLED, S.PENDING, S.ENROLLED]
    event = db.session.scalar(select(EnrolmentEvent).where(EnrolmentEvent.enrolment_id == requests[0].id,
                                                           EnrolmentEvent.to_status == S.ENROLLED))
    assert event.actor_id == admin.id and event.from_status == S.PENDING
    again = client.post(f"/teach/approvals/courses/{course.id}", data={"enrolments": [requests[0].id]})
    assert again.status_code == 200  # already decided: refused as not a valid choice, nothing written
    db.session.expire_all()
    assert course.seats_taken == 2


def test_approving_takes_only_requests_of_the_course_on_the_page(client, make, login):
    instructor = make.create_instructor()
    course = make.create_course("TOUYAN", approval_required=True, capacity=5, instructors=[instructor])
    elsewhere = make.create_course("TOUYAN", approval_required=True, capacity=5, instructors=[instructor])
    here, there = _requests(make, course, 1)[0], _requests(make, elsewhere, 1)[0]
    db.session.commit()
    login(instructor)
    client.post(f"/teach/approvals/courses/{course.id}", data={"enrolments": [here.id, there.id]})
    db.session.expire_all()
    assert (here.status, there.status) == (S.PENDING, S.PENDING)


def test_the_queue_pages_run_a_fixed_number_of_statements_whatever_the_data(client, make, login):
    instructor = make.create_instructor()
    courses = [make.create_course("TOUYAN", approval_required=True, capacity=200, instructors=[instructor])
               for _ in range(3)]
    for course in courses:
        _requests(make, course, 2)
    db.session.commit()
    login(instructor)
    paths = ["/teach/approvals", "/teach/approvals?page=2", f"/teach/approvals/courses/{courses[0].id}",
             f"/teach/approvals/courses/{courses[0].id}?page=2", f"/teach/courses/{courses[0].id}/roster",
             f"/teach/courses/{courses[0].id}/roster?page=2"]
    small = {path: _statements(client, path) for path in paths}
    courses += [make.create_course("TOUYAN", approval_required=True, capacity=200, instructors=[instructor])
                for _ in range(52)]
    for course in courses[:2]:
        _requests(make, course, 60)
    for course in courses[2:]:
        _requests(make, course, 1)
    db.session.commit()
    large = {path: _statements(client, path) for path in paths}
    assert large == small and max(large.values()) <= 6
    assert client.get("/teach/approvals?page=2").get_data(as_text=True).count("<tr>") == 55 - 50 + 1
