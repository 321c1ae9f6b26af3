"""The job page moves its bar as the job's rows are done, without a reload and under the strict CSP (the
page's script is a static file), then shows the outcome: here a failure with its reason and a retry."""
from playwright.sync_api import expect

from academy.auth.models import User
from academy.extensions import db
from academy.jobs import operations as ops
from tests.e2e.conftest import sign_in


def _in_app(live_server, work):
    with live_server["app"].app_context():
        result = work()
        db.session.commit()
        db.session.remove()
        return result


def test_the_progress_bar_moves_without_a_reload_and_the_failure_is_shown(page, live_server):
    accounts = live_server["accounts"]
    sign_in(page, accounts["admin"], accounts["password"])

    def queued():
        admin = db.session.scalar(db.select(User).where(User.phone == accounts["admin"]))
        return ops.create_job(admin, "refresh_standings").id

    job_id = _in_app(live_server, queued)
    page.goto(f"/jobs/{job_id}")
    expect(page.locator("#job-status")).to_have_text("等待中")
    page.evaluate("window.__same_page = true")  # gone if the page reloads

    def running():
        ops.claim(job_id)
        ops.set_progress(db.session, job_id, 5, 10)

    _in_app(live_server, running)
    expect(page.locator("#job-count")).to_have_text("5 / 10")
    expect(page.locator("#job-bar")).to_have_attribute("value", "50")
    assert page.evaluate("window.__same_page === true")

    _in_app(live_server, lambda: ops.fail(job_id, "数据库暂时不可用。"))
    expect(page.get_by_role("alert")).to_have_text("数据库暂时不可用。")
    expect(page.get_by_role("button", name="重试")).to_be_visible()
