"""A worker creates an access token on the account page, reads the API's docs in Chromium under the site's
CSP (no CDN, no blocked script), and the token opens their own learning."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, sign_in


def test_a_token_from_the_account_page_opens_the_api_and_the_docs_load(browser, live_server):
    accounts = live_server["accounts"]
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", base_url=live_server["url"])  # the real CSP
    context.set_default_timeout(15000)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    try:
        sign_in(page, accounts["worker"], accounts["password"])
        page.goto("/account")
        page.get_by_role("link", name="访问令牌").click()
        page.get_by_label("令牌用途").fill("小程序")
        page.get_by_label("读取我的报名、学习档案和证书").check()
        page.get_by_role("button", name="创建令牌").click()
        token = page.locator("#new-token code").inner_text().strip()
        assert re.fullmatch(r"dcsa_[A-Za-z0-9_-]{40,}", token)

        answer = page.request.get("/api/v1/me/enrolments", headers={"Authorization": f"Bearer {token}"})
        assert answer.status == 200 and isinstance(answer.json(), list)
        cookie_only = page.request.get("/api/v1/me/enrolments")  # the browser's session cookie opens nothing
        assert cookie_only.status == 401

        page.get_by_role("link", name="接口文档").click()
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("API")
        expect(page.locator(".opblock-summary-path").first).to_be_visible()
        assert refused == []
    finally:
        context.close()
