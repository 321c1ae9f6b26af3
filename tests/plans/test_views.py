"""The administrators' plan pages: set a plan, change it with a reason (history kept and shown), the
list paged in a fixed number of statements; bad input writes nothing."""
from sqlalchemy import func, select

from academy.core.querycount import count_queries
from academy.extensions import db
from academy.plans.models import Plan, PlanVersion
from tests.plans.helpers import A, plan


def _counts():
    return db.session.scalar(select(func.count(Plan.id))), db.session.scalar(select(func.count(PlanVersion.id)))


def test_an_administrator_sets_a_plan_for_a_subdistrict(client, login, make):
    login(make.create_admin())
    street = make.subdistrict(A)
    response = client.post("/admin/plans/new", data={
        "year": "2026", "programme": str(make.programme("ZHUJI").id), "subdistrict": str(street.id),
        "people_trained": "40", "enrolments": "60", "hours": "180.5", "ce_rate": "85",
        "month_weights": "1,0,1,1,1,1,1,1,1,1,1,1"})
    assert response.status_code == 302
    made = db.session.scalar(select(Plan))
    assert (made.year, made.subdistrict_id, made.people_trained, str(made.hours), made.weights[:2]) == \
        (2026, street.id, 40, "180.5", (1, 0))
    assert response.headers["Location"].endswith(f"/admin/plans/{made.id}")


def test_bad_input_writes_nothing_and_says_why(client, login, make):
    login(make.create_admin())
    programme = make.programme("ZHUJI").id
    for data, message in (
            ({"year": "2026", "programme": str(programme), "month_weights": "1,2,3", "enrolments": "5"},
             "Give twelve weights"),
            ({"year": "2026", "programme": str(programme), "degrees": "5"}, "only for programmes of the tier"),
            ({"year": "2026", "programme": str(programme), "ce_rate": "120"}, "100"),
            ({"year": "1999", "programme": str(programme), "enrolments": "5"}, "2000")):
        client.set_cookie("lang", "en")
        response = client.post("/admin/plans/new", data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True), data
    assert _counts() == (0, 0)


def test_a_change_asks_why_and_the_history_shows_every_version(client, login, make):
    admin = make.create_admin(name="李管理")
    made = plan(make, admin, enrolments=100)
    login(admin)
    response = client.post(f"/admin/plans/{made.id}", data={"enrolments": "120", "reason": ""})
    assert response.status_code == 200 and _counts() == (1, 1)
    response = client.post(f"/admin/plans/{made.id}", data={"enrolments": "120", "reason": "区委追加"})
    assert response.status_code == 302
    html = client.get(f"/admin/plans/{made.id}").get_data(as_text=True)
    history = html.split('id="plan-history"')[1]
    assert history.index('data-version="2"') < history.index('data-version="1"')
    assert "区委追加" in history and "李管理" in history and "120" in history and "100" in history
    assert 'value="120"' in html  # the form holds the current figures


def test_the_list_runs_a_fixed_number_of_statements(client, login, make):
    admin = make.create_admin()
    login(admin)
    plan(make, admin, enrolments=1)
    client.get("/admin/plans")
    with count_queries(db.engine) as few:
        assert client.get("/admin/plans").status_code == 200
    for code in ("QINGYUN", "YUXIN", "LINGYAN"):
        for street in (None, A):
            plan(make, admin, code=code, street=street, enrolments=3)
    with count_queries(db.engine) as many:
        html = client.get("/admin/plans?year=2025").get_data(as_text=True)
    assert many.count == few.count and html.count("/admin/plans/") >= 7


def test_a_street_administrator_may_not_set_plans(client, login, make):
    login(make.create_street_admin(street=make.subdistrict(A)))
    response = client.post("/admin/plans/new", data={"year": "2026", "programme": str(make.programme("ZHUJI").id),
                                                     "enrolments": "5"})
    assert response.status_code == 403 and _counts() == (0, 0)
