"""Long lists (accounts, the audit trail, a report's workers) turn their pages by seeking from the rows
at hand: the same pages as counting through an offset, with no offset to skip."""
import re

import pytest
from sqlalchemy import select

from academy.audit.models import AuditEvent
from academy.audit.operations import record
from academy.auth.models import User
from academy.core.pagination import SeekSelectPagination
from academy.core.querycount import count_queries
from academy.extensions import db


def _link(page: str, label: str) -> str | None:
    found = re.search(rf'href="([^"]*)"[^>]*>{label}<', page)
    return found.group(1).replace("&amp;", "&") if found else None


def _accounts(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'href="/admin/users/(\d+)">', page)]


@pytest.mark.parametrize("descending", [False, True])
def test_seeking_gives_the_pages_an_offset_gives(make, descending):
    admin = make.create_admin()
    for number in range(23):
        record("test.event", actor=admin, number=number)
    db.session.commit()
    query = select(AuditEvent).where(AuditEvent.action == "test.event")
    every = sorted(db.session.scalars(query.with_only_columns(AuditEvent.id)), reverse=descending)

    def page(seek=None, number=1):
        return SeekSelectPagination(select=query, session=db.session, key=AuditEvent.id, descending=descending,
                                    seek=seek, page=number, per_page=5, error_out=False)

    by_number = [event.id for number in range(1, 6) for event in page(number=number).items]
    forward, current = [], page()
    while current.items:
        forward += [event.id for event in current.items]
        current = page(("after", current.items[-1].id))
    last = page(("last", None))
    assert (last.page, last.pages, len(last.items), last.total) == (5, 5, 3, 23)
    backward, current = [], last
    while current.items:
        backward = [event.id for event in current.items] + backward
        current = page(("before", current.items[0].id))
    assert by_number == forward == backward == every


def test_the_account_list_pages_on_without_an_offset(client, make, login):
    login(make.create_admin())
    for _ in range(65):
        make.create_worker()
    newest_first = list(db.session.scalars(select(User.id).order_by(User.id.desc())))
    first = client.get("/admin/users").get_data(as_text=True)
    assert "第 1 页，共 3 页" in first and _accounts(first) == newest_first[:30]
    seen, page = _accounts(first), first
    while _link(page, "下一页"):
        with count_queries(db.engine) as counter:
            page = client.get(_link(page, "下一页")).get_data(as_text=True)
        assert any("users.id < " in statement for statement in counter.statements)
        seen += _accounts(page)
    assert seen == newest_first and "第 3 页，共 3 页" in page
    last = client.get(_link(first, "末页")).get_data(as_text=True)
    assert _accounts(last) == newest_first[60:] and "第 3 页，共 3 页" in last and not _link(last, "下一页")
    before = client.get(_link(last, "上一页")).get_data(as_text=True)
    assert _accounts(before) == newest_first[30:60] and "第 2 页，共 3 页" in before
    assert _accounts(client.get(_link(before, "首页")).get_data(as_text=True)) == newest_first[:30]


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit", "/admin/reports/workers"])
def test_a_malformed_place_in_a_list_is_refused(client, make, login, path):
    login(make.create_admin())
    for bad in ({"after": "x"}, {"before": "1.5"}, {"after": "-"}):
        assert client.get(path, query_string=bad).status_code == 400
    assert client.get(path, query_string={"last": "1"}).status_code == 200
