"""axe-core on every main page (no serious or critical violation) and every main page usable at 390 px."""
import os
from pathlib import Path

import pytest

from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, no_horizontal_scroll, sign_in
from tests.e2e.pages import main_pages


def visit_all(browser, live_server, viewport, check):
    accounts = live_server["accounts"]
    problems = []
    for phone, paths in main_pages(accounts).items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True, base_url=live_server["url"])
        page = context.new_page()
        if phone:
            sign_in(page, phone, accounts["password"])
        for path in paths:
            page.goto(path)
            problems.extend(f"{path}: {problem}" for problem in check(page))
        context.close()
    return problems


def test_no_serious_or_critical_accessibility_violations(browser, live_server):
    problems = visit_all(browser, live_server, DESKTOP, axe_violations)
    assert problems == [], "\n".join(problems)


def test_every_main_page_fits_a_phone(browser, live_server):
    def check(page):
        problems = [] if no_horizontal_scroll(page) else ["scrolls sideways at 390 px"]
        small = page.evaluate("""() => [...document.querySelectorAll('a.btn, button, input[type=submit], select')]
            .filter(e => e.offsetParent !== null)
            .filter(e => { const r = e.getBoundingClientRect(); return r.height < 32 || r.width < 32; })
            .map(e => (e.textContent || e.value || e.name).trim()).slice(0, 3)""")
        return problems + [f"control too small to tap: {name}" for name in small]

    assert visit_all(browser, live_server, PHONE, check) == []


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS_DIR"), reason="run by `make screenshots`")
def test_screenshots(browser, live_server):
    folder = Path(os.environ["SCREENSHOTS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)

    def shoot(size):
        def check(page):
            name = page.url.split(live_server["url"], 1)[1].strip("/").replace("/", "-") or "home"
            page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=size == "phone")
            return []
        return check

    visit_all(browser, live_server, DESKTOP, shoot("desktop"))
    visit_all(browser, live_server, PHONE, shoot("phone"))
