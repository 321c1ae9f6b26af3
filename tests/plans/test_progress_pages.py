"""Progress against the plan on the dashboard and the progress report: each target with its actual, share,
where the year should be and a status; a subdistrict administrator sees their own plans and the district's."""
import re
from datetime import date
from decimal import Decimal

import pytest

from academy.core.pagecache import clear_page_cache
from academy.extensions import db
from academy.plans import operations
from tests.plans.helpers import A, B, YEAR, plan, small_district

MID_YEAR = date(YEAR, 7, 2)  # 183 of 365 days: about half the year due


@pytest.fixture
def frozen(monkeypatch):
    """Today in Beijing, as the reports' pages see it."""
    def freeze(day):
        monkeypatch.setattr("academy.reports.views.local_today", lambda: day)
        clear_page_cache()
    freeze(MID_YEAR)
    return freeze


def _rows(html: str, plan_id: int) -> dict:
    """{target: (planned, actual, reached, due, status)} of one plan's card."""
    card = html.split(f'id="plan-{plan_id}"')[1].split("</table>")[0]
    found = {}
    for target, cells in re.findall(r'<tr data-target="(\w+)">(.*?)</tr>', card, re.S):
        texts = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
        status = re.search(r'data-status="(\w+)"', cells).group(1)
        found[target] = (*texts[:4], status)
    return found


@pytest.fixture
def planned(make):
    district = small_district(make)
    admin = district["admin"]
    return dict(district, whole=plan(make, admin, people_trained=4, enrolments=12, hours=Decimal("36")),
                degrees=plan(make, admin, code="QINGYUN", degrees=2),
                mine=plan(make, admin, street=A, people_trained=1, enrolments=10),
                theirs=plan(make, admin, street=B, enrolments=2))


def test_the_dashboard_shows_each_target_against_its_actual(client, login, planned, frozen):
    login(planned["admin"])
    client.set_cookie("lang", "en")
    html = client.get(f"/admin?year={YEAR}").get_data(as_text=True)
    assert "Progress against the plan" in html
    rows = _rows(html, planned["whole"].id)
    # people trained 2 of 4 (2.0 due): on track; enrolments 4 of 12 (6.0 due): behind; hours 18 of 36: on track
    assert rows == {"people_trained": ("4", "2", "50.0%", "2", "on_track"),
                    "enrolments": ("12", "4", "33.3%", "6", "behind"),
                    "hours": ("36", "18", "50.0%", "18", "on_track")}
    assert _rows(html, planned["degrees"].id) == {"degrees": ("2", "1", "50.0%", "1", "on_track")}
    assert f'id="plan-{planned["theirs"].id}"' not in html  # the dashboard: the district's own plans
    html = client.get(f"/admin/reports/progress?year={YEAR}").get_data(as_text=True)
    assert f'id="plan-{planned["theirs"].id}"' in html and f'id="plan-{planned["mine"].id}"' in html  # the report: all
    html = client.get(f"/admin/reports/progress?year={YEAR}&subdistrict={planned['theirs'].subdistrict_id}").get_data(
        as_text=True)
    assert f'id="plan-{planned["theirs"].id}"' in html and f'id="plan-{planned["mine"].id}"' not in html
    assert "Behind" in html and "On track" in html


def test_where_the_year_should_be_moves_with_today_and_the_month_profile(client, login, planned, frozen):
    login(planned["admin"])
    frozen(date(YEAR, 12, 31))
    html = client.get(f"/admin?year={YEAR}").get_data(as_text=True)
    assert _rows(html, planned["whole"].id)["people_trained"][3:] == ("4", "behind")
    frozen(date(YEAR, 1, 31))
    operations.change_plan(planned["whole"], planned["admin"], figures=planned["whole"].figures(),
                           weights=(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), reason="年底集中培训")
    db.session.commit()
    html = client.get(f"/admin?year={YEAR}").get_data(as_text=True)
    assert _rows(html, planned["whole"].id)["people_trained"][3:] == ("0", "ahead")  # nothing due before December


def test_a_subdistrict_administrator_sees_their_own_targets_and_the_districts(client, login, planned, make, frozen):
    login(make.create_street_admin(street=make.subdistrict(A)))
    for path in (f"/admin?year={YEAR}", f"/admin/reports/progress?year={YEAR}"):
        html = client.get(path).get_data(as_text=True)
        assert f'id="plan-{planned["whole"].id}"' in html and f'id="plan-{planned["mine"].id}"' in html, path
        assert f'id="plan-{planned["theirs"].id}"' not in html, path
    # their own plan counts their own subdistrict's workers: one of them completed, two hold seats
    html = client.get(f"/admin?year={YEAR}").get_data(as_text=True)
    assert _rows(html, planned["mine"].id)["people_trained"][:2] == ("1", "1")
    assert _rows(html, planned["whole"].id)["people_trained"][:2] == ("4", "2")  # the district's actual


def test_the_progress_report_has_the_section_in_both_languages(client, login, planned, frozen):
    login(planned["admin"])
    html = client.get(f"/admin/reports/progress?year={YEAR}").get_data(as_text=True)
    assert "计划完成进度" in html and "落后" in html and "正常" in html
    assert _rows(html, planned["whole"].id)["enrolments"] == ("12", "4", "33.3%", "6", "behind")
    client.set_cookie("lang", "en")
    html = client.get(f"/admin/reports/progress?year={YEAR}&programme=qingyun").get_data(as_text=True)
    assert "Progress against the plan" in html and f'id="plan-{planned["degrees"].id}"' in html
    assert f'id="plan-{planned["whole"].id}"' not in html  # the programme filter applies
    html = client.get("/admin/reports/progress?year=2031").get_data(as_text=True)
    assert "No plan is set for this year." in html


def test_a_changed_plan_shows_at_once(client, login, planned, frozen):
    login(planned["admin"])
    client.get(f"/admin?year={YEAR}")  # kept
    operations.change_plan(planned["whole"], planned["admin"], figures={"enrolments": 4}, reason="调整")
    db.session.commit()
    html = client.get(f"/admin?year={YEAR}").get_data(as_text=True)
    assert _rows(html, planned["whole"].id) == {"enrolments": ("4", "4", "100.0%", "2", "ahead")}
