"""Every page names the academy's icon, and /favicon.ico serves it."""


def test_pages_link_the_icon_and_favicon_ico_serves_it(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and icon.data.startswith(b"<svg")
    assert client.get("/static/favicon.svg").status_code == 200
