"""Journeys as people make them, clicking and typing in Chromium."""
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from academy.core.i18n import local_today
from tests.e2e.conftest import DESKTOP, sign_in

# Every journey runs at desktop width and once more at a phone's 390 px.
pytestmark = pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)


def size_of(viewport) -> str:
    return "desktop" if viewport == DESKTOP else "phone"


def test_a_new_worker_registers_finds_a_course_enrols_and_withdraws(page, live_server, viewport):
    phone = "1370000000" + ("1" if viewport == DESKTOP else "2")
    page.goto("/register")
    page.get_by_label("姓名").fill("王小新")
    page.get_by_label("手机号").fill(phone)
    page.get_by_label("工作单位").select_option(label="多福巷社区")
    page.get_by_label("密码", exact=True).fill("lanterns-over-the-hutong")
    page.get_by_label("确认密码").fill("lanterns-over-the-hutong")
    page.get_by_label(re.compile("我已阅读《个人信息保护说明》")).check()
    page.get_by_role("button", name="注册账号").click()
    expect(page.get_by_role("heading", name="个人资料")).to_be_visible()

    page.goto("/courses")
    page.get_by_label("培养计划").select_option(label="筑基计划")
    page.get_by_role("button", name="查看课程").click()
    expect(page).to_have_url(re.compile(r"programme=zhuji"))
    course_link = page.get_by_role("link", name="社会工作者职业水平考试（初级）冲刺班")
    course_link.click()
    page.get_by_role("button", name="立即报名").click()
    expect(page.get_by_text("报名成功。")).to_be_visible()
    expect(page.locator("#enrol").get_by_text("已报名")).to_be_visible()
    expect(page.locator("#unread-count")).to_have_text(re.compile("1"))

    page.goto("/notifications")
    expect(page.get_by_text("您已成功报名《社会工作者职业水平考试（初级）冲刺班》。")).to_be_visible()
    page.goto("/learning")
    page.get_by_role("link", name="退课", exact=True).first.click()
    page.get_by_role("button", name="退课", exact=True).click()
    expect(page.get_by_text("已退出，记录已保存。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("已退出"))).to_be_visible()


def test_the_enrol_flow_works_with_the_keyboard_alone(page, live_server, viewport):
    accounts = live_server["accounts"]
    phone = accounts["keyboard_workers"][0 if viewport == DESKTOP else 1]
    page.goto("/login")
    page.keyboard.press("Tab")
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "phone":
            break
        page.keyboard.press("Tab")
    page.keyboard.type(phone)
    page.keyboard.press("Tab")
    page.keyboard.type(accounts["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/courses")
    page.get_by_role("link", name="新就业群体参与社区治理").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/courses/\d+$"))
    for _ in range(80):
        if page.evaluate("document.activeElement.textContent.trim()") == "立即报名":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the enrol button cannot be reached with the Tab key")
    page.keyboard.press("Enter")
    expect(page.get_by_text("报名成功。")).to_be_visible()


def test_an_instructor_posts_a_course_keeps_attendance_and_finalises(page, live_server, viewport):
    accounts = live_server["accounts"]
    size = size_of(viewport)
    sign_in(page, accounts["instructor"], accounts["password"])
    start = local_today() + timedelta(days=40)
    page.goto("/teach/courses/new")
    page.get_by_label("培养计划", exact=True).select_option(label="新苗成长“育雁计划”")
    page.get_by_label("课程代码", exact=True).fill(f"YUYAN-E2E-{size.upper()}")
    page.get_by_label("课程名称", exact=True).fill(f"社区走访技巧（{size}）")
    page.get_by_label("授课方式", exact=True).select_option(label="线下")
    page.get_by_label("开课日期", exact=True).fill(start.isoformat())
    page.get_by_label("结课日期", exact=True).fill((start + timedelta(days=1)).isoformat())
    page.get_by_label("报名开始（北京时间）", exact=True).fill(f"{(start - timedelta(days=30)).isoformat()}T09:00")
    page.get_by_label("报名截止（北京时间）", exact=True).fill(f"{(start - timedelta(days=2)).isoformat()}T18:00")
    page.get_by_label("容量", exact=True).fill("25")
    page.get_by_role("button", name="保存课程").click()
    expect(page.get_by_text("课程已保存为草稿")).to_be_visible()
    for offset, topic in ((0, "走访前的准备"), (1, "走访后的记录")):
        page.get_by_role("link", name="添加课次").click()
        page.get_by_label("日期", exact=True).fill((start + timedelta(days=offset)).isoformat())
        page.get_by_label("开始时间", exact=True).fill("09:00")
        page.get_by_label("结束时间", exact=True).fill("11:30")
        page.get_by_label("主题", exact=True).fill(topic)
        page.get_by_role("button", name="保存课次").click()
        expect(page.get_by_text("课次已保存。")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("课程已发布到课程目录。")).to_be_visible()
    page.goto("/courses?q=社区走访")
    expect(page.get_by_role("link", name=f"社区走访技巧（{size}）")).to_be_visible()

    page.goto(f"/teach/courses/{accounts['finished_courses'][size]}/results")
    for _ in range(2):
        page.get_by_role("link", name="考勤", exact=True).first.click()
        page.get_by_label("缺勤", exact=True).first.check()
        page.get_by_role("button", name="保存考勤").click()
        expect(page.get_by_text("考勤已保存。")).to_be_visible()
    expect(page.get_by_text("将结业").first).to_be_visible()
    page.get_by_role("button", name="确认结业结果").click()
    expect(page.get_by_text(re.compile("确认后结业结果即定"))).to_be_visible()  # it asks first
    page.get_by_role("button", name="确认，生成结业结果").click()
    expect(page.get_by_text(re.compile("结业结果已确认："))).to_be_visible()
    expect(page.get_by_text(re.compile("结业结果已于"))).to_be_visible()
    expect(page.get_by_text("已结业").first).to_be_visible()


def test_an_administrator_approves_reads_the_dashboard_and_exports_the_report(page, live_server):
    accounts = live_server["accounts"]
    sign_in(page, accounts["admin"], accounts["password"])
    page.goto("/teach/approvals")
    page.get_by_role("link", name=re.compile("^审核")).first.click()
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="批准勾选的申请").click()
    expect(page.get_by_text("已批准 1 个申请。")).to_be_visible()

    page.goto("/admin")
    expect(page.locator("svg.chart-svg")).to_have_count(4)
    expect(page.locator("#chart-programme-title")).to_have_text("各培养计划报名人次")
    expect(page.get_by_role("table", name="各培养计划报名人次")).to_be_visible()

    page.goto("/admin/reports/progress")
    total = page.locator("#progress-table tfoot td").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    last = [row for row in sheet.iter_rows(values_only=True) if row[0] or any(row)][-1]
    assert last[0] == "合计" and str(last[1]) == total


def test_a_certificate_is_downloaded_and_its_verification_page_opened(page, live_server):
    accounts = live_server["accounts"]
    sign_in(page, accounts["worker"], accounts["password"])
    page.goto("/me")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").first.click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    url = re.search(r"Verify: (\S+)", text).group(1)
    assert "张伟" in text
    page.goto(url)
    expect(page.locator("#verify-outcome")).to_contain_text("有效")
    expect(page.get_by_text("张*")).to_be_visible()


def open_menu(page):
    """On a phone the navigation folds behind the menu button."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        # Wait for Bootstrap's collapse animation to end ("collapsing" -> "collapse show"): while it runs,
        # the menu's lower buttons are clipped and a click can land on the page behind them.
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))


def test_the_language_switches_and_stays_switched(page, live_server):
    page.goto("/")
    open_menu(page)
    expect(page.get_by_role("heading", name="东城区社会工作学院", exact=True)).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Dongcheng District Social Work Academy", exact=True)).to_be_visible()
    page.goto("/courses")
    expect(page.get_by_role("heading", name="Courses", exact=True)).to_be_visible()
    open_menu(page)
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="课程", exact=True)).to_be_visible()

