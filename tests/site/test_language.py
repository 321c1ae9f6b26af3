import re

from academy.extensions import db


def test_chinese_is_the_default_language(client):
    page = client.get("/programmes").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "培养计划" in page


def test_switching_to_english_is_remembered_and_back_again(client):
    response = client.post("/language", data={"lang": "en", "next": "/programmes"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/programmes"
    page = client.get("/programmes").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Qingyun Degree Advancement Programme" in page
    assert "Capability improvement" in page
    assert "Dongcheng District" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "zh_CN", "next": "/"})
    assert "学历教育" in client.get("/").get_data(as_text=True)


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.post("/language", data={"lang": "fr", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "lang=" not in response.headers.get("Set-Cookie", "")


def test_language_switch_needs_post(client):
    assert client.get("/language").status_code == 405


def test_signed_in_users_language_follows_them_to_a_new_device(app, client, make, login):
    worker = make.create_worker()
    login(worker)
    client.post("/language", data={"lang": "en", "next": "/"})
    db.session.refresh(worker)
    assert worker.locale == "en"
    other_device = app.test_client()
    from tests.factories import DEFAULT_PASSWORD

    other_device.post("/login", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert "My account" in other_device.get("/account").get_data(as_text=True)


def test_every_page_offers_the_language_switch(client):
    for path in ("/", "/programmes", "/login", "/register", "/no-such-page"):
        page = client.get(path).get_data(as_text=True)
        assert 'action="/language"' in page, path
        assert 'value="en"' in page and 'value="zh_CN"' not in page  # the switch offers the other language
    client.set_cookie("lang", "en")
    english = client.get("/").get_data(as_text=True)
    assert 'value="zh_CN"' in english and 'value="en"' not in english


def test_course_cards_speak_the_language_of_each_request(app, client, make):
    """Macro modules are cached between requests; their labels must still follow each request's language."""
    make.create_course("ZHUJI", title="社工考试辅导班", capacity=10, seats_taken=10, waitlist_enabled=False)
    chinese = client.get("/courses").get_data(as_text=True)
    assert "日期:" in chinese and "学时:" in chinese
    english_client = app.test_client()
    english_client.post("/language", data={"lang": "en", "next": "/"})
    english = english_client.get("/courses").get_data(as_text=True)
    assert "Dates:" in english and "Credit hours:" in english and ">Full<" in english
    assert "日期" not in english and "学时" not in english


def test_the_switch_written_in_the_layout_works_with_csrf_on(client, csrf_enabled):
    """The layout writes the switch's hidden inputs itself: its token is the session's, its `next` escaped."""
    page = client.get("/privacy?x=<b>").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/language".*?</form>', page, re.S).group(0)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    assert 'name="next" type="hidden" value="/privacy?x=&lt;b&gt;"' in form
    refused = client.post("/language", data={"lang": "en", "next": "/privacy"})
    assert refused.status_code == 400 and "lang=en" not in refused.headers.get("Set-Cookie", "")
    switched = client.post("/language", data={"csrf_token": token, "lang": "en", "next": "/privacy"})
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/privacy")
    assert "lang=en" in switched.headers["Set-Cookie"]
