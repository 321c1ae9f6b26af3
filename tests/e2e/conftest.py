"""End-to-end fixtures: the real app served on 127.0.0.1 from its own SQLite file with demo data,
and Debian's Chromium driven by Playwright (never a downloaded browser)."""
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from academy import create_app
from academy.config import TestConfig
from tests.e2e.seed import seed_e2e

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.own_database)
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(f"REQUIRE_E2E=1 but Chromium is not at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}: end-to-end tests skipped (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server():
    folder = Path(tempfile.mkdtemp(prefix="academy-e2e-"))
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'e2e.db'}", UPLOAD_DIR=str(folder / "uploads"),
                  WTF_CSRF_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute")
    app = create_app(config)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        accounts = seed_e2e()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{port}", "app": app, "accounts": accounts, "folder": folder}
    server.shutdown()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=["desktop"])
def viewport(request):
    return DESKTOP if request.param == "desktop" else PHONE


@pytest.fixture
def page(browser, live_server, viewport):
    # bypass_csp lets the tests inject axe-core; the app's own pages run under the strict CSP.
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True, bypass_csp=True,
                                  base_url=live_server["url"])
    context.set_default_timeout(10000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, phone, password):
    page.goto("/login")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def axe_violations(page, impacts=("serious", "critical")):
    if not AXE.exists():
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail("axe-core is missing: run `npm ci` (make test does)")
        pytest.skip("axe-core is not installed (npm ci): accessibility checks skipped")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in impacts]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
