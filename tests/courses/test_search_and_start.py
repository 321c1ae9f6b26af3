"""Catalogue search by partial words and the district's synonyms; each role's start page after signing in."""
import pytest

from academy.courses.queries import search_terms
from tests.factories import DEFAULT_PASSWORD


def titles(client, q):
    page = client.get("/courses", query_string={"q": q}).get_data(as_text=True)
    return {title for title in ("社会工作伦理与实务", "社工督导入门", "社区养老服务", "儿童保护个案") if title in page}


def test_search_finds_partial_words_synonyms_and_every_word(client, make):
    for title in ("社会工作伦理与实务", "社工督导入门", "社区养老服务", "儿童保护个案"):
        make.create_course(title=title, summary="")
    assert titles(client, "社工") == {"社会工作伦理与实务", "社工督导入门"}
    assert titles(client, "社会工作者") == {"社会工作伦理与实务", "社工督导入门"}
    assert titles(client, "伦理") == {"社会工作伦理与实务"}
    assert titles(client, "为老") == {"社区养老服务"}
    assert titles(client, "社工　督导") == {"社工督导入门"}  # a full-width space separates words too
    assert titles(client, "未成年人 个案") == {"儿童保护个案"}
    assert titles(client, "工作") == {"社会工作伦理与实务"}  # a part of a word is no synonym


def test_search_terms_are_bounded_and_literal():
    assert len(search_terms(" ".join(["词"] * 20))) == 8
    assert search_terms("100%_x") == [("100%_x",)]


@pytest.mark.parametrize("role, start", [("worker", "/learning"), ("instructor", "/teach/courses"),
                                         ("street_admin", "/admin"), ("admin", "/admin")])
def test_each_role_starts_on_its_own_page(client, make, role, start):
    user = {"worker": make.create_worker, "instructor": make.create_instructor,
            "street_admin": make.create_street_admin, "admin": make.create_admin}[role]()
    response = client.post("/login", data={"phone": user.phone, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith(start)
    assert client.get("/login").headers["Location"].endswith(start)  # signed in: the login page sends there too


def test_a_safe_next_page_still_wins(client, make):
    worker = make.create_worker()
    response = client.post("/login?next=/me", data={"phone": worker.phone, "password": DEFAULT_PASSWORD})
    assert response.headers["Location"].endswith("/me")
