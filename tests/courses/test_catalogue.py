import re
from datetime import timedelta

import pytest

from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.courses.models import CourseStatus, DeliveryMode
from academy.extensions import db
from academy.core.i18n import local_today

BASE = local_today() + timedelta(days=40)


def titles(client, **query):
    page = client.get("/courses", query_string=query).get_data(as_text=True)
    return set(re.findall(r'<h3 class="h5 card-title"><a href="/courses/\d+">([^<]+)</a>', page))


@pytest.fixture
def spread(make):
    """Courses that differ in one property each."""
    tiantan = make.subdistrict("110101016000")
    return {
        # its window opened yesterday, whatever the hour; the others' open days after today
        "zhuji": make.create_course("ZHUJI", title="社工考试辅导班", starts_on=BASE,
                                    enrol_opens_at=make.local(local_today() - timedelta(days=1))),
        "qingyun": make.create_course("QINGYUN", title="本科学历衔接课程", summary="与北京青年政治学院合作",
                                      starts_on=BASE + timedelta(days=35)),
        "online": make.create_course("YUXIN", title="志愿者线上培训", mode=DeliveryMode.ONLINE,
                                     starts_on=BASE + timedelta(days=3)),
        "tiantan": make.create_course("LINGYAN", title="天坛街道骨干研修", subdistricts=[tiantan],
                                      starts_on=BASE + timedelta(days=5)),
        "full": make.create_course("XINGHUO", title="创新项目工作坊", capacity=10, seats_taken=10,
                                   starts_on=BASE + timedelta(days=8)),
        "draft": make.create_course("ZHUJI", title="草稿课程不可见", status=CourseStatus.DRAFT, starts_on=BASE),
        "closed": make.create_course("ZHUJI", title="已截止课程", status=CourseStatus.CLOSED, starts_on=BASE),
    }


def test_catalogue_shows_published_courses_only_sorted_by_start(client, spread):
    page = client.get("/courses").get_data(as_text=True)
    shown = re.findall(r'<h3 class="h5 card-title"><a href="/courses/\d+">([^<]+)</a>', page)
    assert shown == ["社工考试辅导班", "志愿者线上培训", "天坛街道骨干研修", "创新项目工作坊", "本科学历衔接课程"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"programme": "qingyun"}, {"本科学历衔接课程"}),
        ({"tier": "degree"}, {"本科学历衔接课程"}),
        ({"tier": "research"}, {"创新项目工作坊"}),
        ({"mode": "online"}, {"志愿者线上培训"}),
        # can enrol now: only the first course's window is open today
        ({"available": "y"}, {"社工考试辅导班"}),
        ({"q": "学历"}, {"本科学历衔接课程"}),
        ({"q": "青年政治"}, {"本科学历衔接课程"}),  # the summary is searched too
        ({"q": "100%"}, set()),
    ],
)
def test_each_filter(client, spread, query, expected):
    assert titles(client, **query) == expected


def test_subdistrict_filter_keeps_open_courses_and_that_subdistricts_own(client, make, spread):
    tiantan, donghuamen = make.subdistrict("110101016000"), make.subdistrict("110101001000")
    assert "天坛街道骨干研修" in titles(client, subdistrict=str(tiantan.id))
    assert "天坛街道骨干研修" not in titles(client, subdistrict=str(donghuamen.id))
    assert "社工考试辅导班" in titles(client, subdistrict=str(donghuamen.id))


def test_month_filter(client, spread):
    month = (BASE + timedelta(days=35)).strftime("%Y-%m")
    expected = {course.title for course in spread.values()
                if course.status == CourseStatus.PUBLISHED and course.starts_on.strftime("%Y-%m") == month}
    assert "本科学历衔接课程" in expected
    assert titles(client, month=month) == expected


def test_filters_combine(client, make, spread):
    make.create_course("QINGYUN", title="学历线上先导课", mode=DeliveryMode.ONLINE, starts_on=BASE)
    assert titles(client, programme="qingyun", mode="online") == {"学历线上先导课"}
    assert titles(client, tier="degree", q="衔接") == {"本科学历衔接课程"}
    assert titles(client, programme="zhuji", mode="online") == set()


def test_bad_filter_values_are_ignored_not_errors(client, spread):
    response = client.get("/courses", query_string={"month": "2026-13", "programme": "nope", "subdistrict": "x"})
    assert response.status_code == 200
    assert len(titles(client, month="garbage", tier="none")) == 5


def test_pagination_twenty_a_page_keeping_the_filters(client, make):
    for index in range(23):
        make.create_course("YUYAN", title=f"分页课程{index:02d}", starts_on=BASE + timedelta(days=index))
    first = client.get("/courses", query_string={"programme": "yuyan"}).get_data(as_text=True)
    assert first.count('class="h5 card-title"') == 20
    assert "page=2" in first and "programme=yuyan" in first.split("page=2")[0].rsplit("href=", 1)[1]
    second = titles(client, programme="yuyan", page="2")
    assert second == {"分页课程20", "分页课程21", "分页课程22"}


def test_course_rows_show_programme_dates_hours_mode_and_seats(client, make):
    make.create_course("TOUYAN", title="书记领导力研修", capacity=25, seats_taken=5, sessions=2,
                       mode=DeliveryMode.BLENDED)
    page = client.get("/courses").get_data(as_text=True)
    assert "头雁计划" in page and "混合" in page and "剩余 20 个名额" in page and "学时: 6" in page


def test_drafts_are_invisible_to_the_public_and_to_other_users(client, make, login):
    owner = make.create_instructor()
    draft = make.create_course(status=CourseStatus.DRAFT, instructors=[owner])
    assert client.get(f"/courses/{draft.id}").status_code == 404
    login(make.create_worker())
    assert client.get(f"/courses/{draft.id}").status_code == 404
    client.post("/logout")
    login(owner)
    assert client.get(f"/courses/{draft.id}").status_code == 200


def test_course_page_shows_sessions_instructors_rules_and_seats(client, make):
    teacher = make.create_instructor(name="陈老师")
    prerequisite = make.create_course(code="BASE-101", title="社会工作基础")
    from academy.auth.enums import Qualification

    course = make.create_course(
        title="个案管理进阶", sessions=2, instructors=[teacher], capacity=12, seats_taken=12,
        subdistricts=[make.subdistrict("110101003000")], min_qualification=Qualification.SOCIAL_WORKER,
        prerequisites=[prerequisite],
    )
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    for text in ("陈老师", "第1讲", "第2讲", "面向以下街道的社工：交道口街道", "职业资格：社会工作师及以上",
                 "须先完成：BASE-101 社会工作基础", "已满 · 可候补", "出勤率不低于 80%"):
        assert text in page, text


def test_markdown_is_rendered_and_html_in_it_is_not_executed(client, make):
    course = make.create_course(description=(
        "## 课程目标\n\n**重点**内容\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[链接](javascript:alert(1))"))
    page = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "<h2>课程目标</h2>" in page and "<strong>重点</strong>" in page
    assert "<script>alert" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;" in page


def test_programme_page_lists_its_upcoming_courses_first(client, make):
    make.create_course("SHENGENG", title="已开课的调研", starts_on=local_today() - timedelta(days=3))
    make.create_course("SHENGENG", title="即将开始的调研", starts_on=local_today() + timedelta(days=10))
    page = client.get("/programmes/shengeng").get_data(as_text=True)
    assert page.index("即将开始的调研") < page.index("已开课的调研")


@pytest.mark.parametrize("path", ["/courses", "/courses?programme=zhuji&available=y&q=课程"])
def test_catalogue_runs_the_same_number_of_queries_for_1_and_50_courses(client, make, path):
    make.create_course()
    client.get(path)  # warm the per-process cache of reference names
    clear_page_cache()  # measure the page as rendered, not as served from the page cache
    with count_queries(db.engine) as one:
        assert client.get(path).status_code == 200
    for _ in range(49):
        make.create_course(sessions=2, instructors=[make.create_instructor()])
    with count_queries(db.engine) as fifty:
        assert client.get(path).status_code == 200
    assert one.count == fifty.count <= 3  # the page version, the page of courses, the count
    with count_queries(db.engine) as cached:
        assert client.get(path).status_code == 200
    assert cached.count == 1  # the page version only


def test_course_page_runs_a_fixed_number_of_queries(client, make, login):
    small = make.create_course(sessions=1)
    teachers = [make.create_instructor() for _ in range(5)]
    big = make.create_course(sessions=30, instructors=teachers, prerequisites=[small],
                             subdistricts=[make.subdistrict("110101001000"), make.subdistrict("110101002000")])
    small_page, big_page = f"/courses/{small.id}", f"/courses/{big.id}"  # outside the count: the ids are loaded
    with count_queries(db.engine) as few:
        client.get(small_page)
    with count_queries(db.engine) as many:
        client.get(big_page)
    assert few.count == many.count <= 6


@pytest.mark.parametrize("page", [True, False])
def test_loading_a_course_reads_every_table_by_index(make, page):
    """No association table is scanned whatever the number of courses (nested joins made SQLite
    materialise them whole on every course page and enrol request)."""
    from academy.courses.queries import load_course

    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan checked is SQLite's")
    prerequisite = make.create_course()
    course = make.create_course(instructors=[make.create_instructor(), make.create_instructor()],
                                subdistricts=[make.subdistrict()], prerequisites=[prerequisite])
    db.session.commit()
    db.session.expire_all()
    with count_queries(db.engine) as counter:
        loaded = load_course(course.id, page=page)
    assert len(loaded.subdistricts) == 1 and loaded.prerequisites == [prerequisite]
    assert not page or len(loaded.instructors) == 2
    for sql in counter.statements:
        plan = db.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", (course.id,) * sql.count("?"))
        steps = [row[3] for row in plan]
        assert not [step for step in steps if step.startswith(("SCAN", "MATERIALIZE"))], steps


def test_the_catalogue_says_where_enrolment_stands_and_free_seats_mean_can_enrol_now(client, make):
    from datetime import timedelta

    from academy.core.models import now_utc

    today, now = local_today(), now_utc()
    make.create_course(title="进行中的报名课程")
    make.create_course(title="尚未开放的课程", enrol_opens_at=now + timedelta(days=3),
                       enrol_closes_at=now + timedelta(days=10))
    make.create_course(title="报名截止的课程", enrol_opens_at=now - timedelta(days=10),
                       enrol_closes_at=now - timedelta(days=1))
    make.create_course(title="上个月结束的课程", starts_on=today - timedelta(days=40),
                       enrol_opens_at=now - timedelta(days=60), enrol_closes_at=now - timedelta(days=45))
    db.session.commit()
    page = client.get("/courses").get_data(as_text=True)
    for title, state in (("进行中的报名课程", "报名中"), ("尚未开放的课程", "尚未开放报名"),
                         ("报名截止的课程", "报名已截止"), ("上个月结束的课程", "已结束")):
        card = page.split(title, 1)[1].split("</article>", 1)[0]
        assert state in card, title
        assert ("个名额" in card) == (state in ("报名中", "尚未开放报名")), title  # no seats offered when too late
    available = client.get("/courses", query_string={"available": "y"}).get_data(as_text=True)
    assert "进行中的报名课程" in available
    assert not {"尚未开放的课程", "报名截止的课程", "上个月结束的课程"} & set(re.findall(r">([^<>]+课程)<", available))


def test_a_month_out_of_the_calendar_is_refused_not_a_server_error(client):
    response = client.get("/courses", query_string={"month": "0000-01"})
    assert response.status_code == 200  # the month is ignored as invalid; it was a 500 (year 0) before
