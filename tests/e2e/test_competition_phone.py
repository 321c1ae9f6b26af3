"""The judge's score sheet at a phone's 390 px: nothing scrolls sideways, every control is big enough
to tap, points are entered and saved; the standings and the case library fit a phone too. The demo's
running competition has sheets of every state."""
from sqlalchemy import select

from academy.competitions.enums import SheetStatus
from academy.competitions.models import ScoreSheet
from academy.demo import DEMO_PASSWORD
from academy.extensions import db
from tests.e2e.conftest import AXE, PHONE, axe_violations, no_horizontal_scroll, sign_in



def _accessible(page) -> bool:
    return not AXE.exists() or axe_violations(page) == []  # axe-core comes with `npm ci`


def _small_controls(page):
    return page.evaluate("""() => [...document.querySelectorAll('a.btn, button, input, select, textarea')]
        .filter(e => e.offsetParent !== null && e.type !== 'hidden')
        .filter(e => { const r = e.getBoundingClientRect(); return r.height < 32 || r.width < 32; })
        .map(e => (e.name || e.textContent || '').trim()).slice(0, 3)""")


def test_a_judge_scores_on_a_phone(browser, live_server):
    app = live_server["app"]
    with app.app_context():
        sheet = db.session.scalar(select(ScoreSheet).join(ScoreSheet.judge)
                                  .where(ScoreSheet.status == SheetStatus.OPEN).order_by(ScoreSheet.id))
        path, round_id = f"/judging/teams/{sheet.team_id}/modules/{sheet.module_id}", sheet.round_id
        phone = sheet.judge.phone
        db.session.remove()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True, base_url=live_server["url"])
    page = context.new_page()
    sign_in(page, phone, DEMO_PASSWORD)
    for target in ("/judging", f"/judging/rounds/{round_id}", path):
        page.goto(target)
        assert no_horizontal_scroll(page), target
        assert _small_controls(page) == [], target
        assert _accessible(page), target
    first = page.locator("input[name^=points_]").first
    first.fill("12")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert page.locator("input[name^=points_]").first.input_value() == "12.00"
    assert no_horizontal_scroll(page)
    context.close()


def test_the_standings_and_the_case_library_fit_a_phone(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True, base_url=live_server["url"])
    page = context.new_page()
    page.goto("/cases")
    assert no_horizontal_scroll(page) and _accessible(page)
    sign_in(page, live_server["accounts"]["admin"], DEMO_PASSWORD)
    page.goto("/admin/competitions")
    page.get_by_role("link").filter(has_text="职业技能大赛").first.click()
    page.get_by_role("link", name="成绩排名").first.click()
    assert no_horizontal_scroll(page) and _accessible(page)
    context.close()
