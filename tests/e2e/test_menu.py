"""The menu fits every role in both languages from 1024 px up: nothing is pushed off-screen, and the
sign-out and language buttons stay visible and usable (at narrower widths the menu folds behind a toggle)."""
import pytest

from tests.e2e.conftest import sign_in

ROLES = {"admin": "13800000001", "street_admin": "13800000002", "instructor": "13800000003", "worker": "13800000005",
         "district_reviewer": "13800000008", "judge": "13800020001"}


def _fits(page, folded: bool) -> list[str]:
    """What lies outside the window, or (unfolded) wraps the bar onto a second line."""
    return page.evaluate("""(folded) => {
        const problems = [];
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > width) problems.push('page scrolls sideways');
        const bar = document.querySelector('nav.navbar');
        if (!folded && bar.getBoundingClientRect().height > 80) problems.push('the bar wraps: ' + bar.getBoundingClientRect().height);
        for (const el of bar.querySelectorAll('a.nav-link, button')) {
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > width + 1 || box.left < 0)) problems.push((el.textContent || '').trim());
        }
        return problems;
    }""", folded)


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("role", list(ROLES))
def test_the_menu_fits_every_role(browser, live_server, role, language, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server["url"])
    page = context.new_page()
    try:
        sign_in(page, ROLES[role], live_server["accounts"]["password"])
        context.add_cookies([{"name": "lang", "value": language, "url": live_server["url"]}])
        page.goto("/")
        toggler = page.locator(".navbar-toggler")
        folded = toggler.is_visible()
        if folded:
            assert width < 1200  # folded only where the whole menu cannot fit in one line
            toggler.click()
            page.locator("#main-nav.show").wait_for()
        assert _fits(page, folded) == []
        sign_out = page.get_by_role("button", name="Sign out" if language == "en" else "退出登录")
        assert sign_out.is_visible()
    finally:
        context.close()
