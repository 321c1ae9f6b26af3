"""The pages kept for anonymous visitors (every view under `public_page`) read only tables whose
models declare that they show publicly, so a change to any row such a page shows moves the public
version: found by reading the statements each page runs, not from a hand-kept list."""
import re

from sqlalchemy import select

from academy.core.feeds import feeds_of
from academy.core.pagecache import PageVersion, clear_page_cache
from academy.core.querycount import count_queries
from academy.extensions import db
from academy.partners.models import Partner
from academy.programmes.models import Programme
from tests.security.test_route_walk import rules, url
from tests.security.world import build_world

CACHED = {"site.home", "programmes.programme_list", "programmes.programme_detail", "partners.partner_list",
          "courses.catalogue", "courses.course_detail", "auth.login", "auth.register"}


def kept_endpoints(app) -> set:
    return {endpoint for endpoint, view in app.view_functions.items() if getattr(view, "public_page", False)}


def public_tables() -> set:
    """Tables of models that declare they show publicly, and the link tables of their relationships."""
    tables = {PageVersion.__table__.name}  # the version the page is kept under
    for mapper in db.Model.registry.mappers:
        if not feeds_of(mapper.class_).public:
            continue
        tables.update(table.name for table in mapper.tables)
        tables.update(rel.secondary.name for rel in mapper.relationships if rel.secondary is not None)
    return tables


def tables_read(statements) -> set:
    names = db.metadata.tables.keys()
    found = set()
    for statement in statements:
        for name in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', statement, re.I):
            if name in names:
                found.add(name)
    return found


def test_the_kept_pages_are_the_anonymous_pages_people_land_on(app):
    assert kept_endpoints(app) == CACHED


def test_every_table_a_kept_page_reads_is_declared_public(app, make):
    world = build_world(make)
    client = app.test_client()
    undeclared = {}
    for rule in rules(app):
        if rule.endpoint not in CACHED:
            continue
        address = url(app, rule, world)
        clear_page_cache(names=True)
        with count_queries(db.engine) as counter:
            assert client.get(address).status_code == 200, address
        missing = tables_read(counter.statements) - public_tables()
        if missing:
            undeclared[rule.endpoint] = missing
        with count_queries(db.engine) as again:
            assert client.get(address).status_code == 200
        assert again.count <= 1, address  # served from the cache: the versions, at most
    assert undeclared == {}


def test_a_partner_or_programme_edit_shows_at_once_on_the_kept_pages(client, make):
    partner = db.session.scalar(select(Partner).order_by(Partner.id))
    programme = db.session.scalar(select(Programme).order_by(Programme.sort_order))
    pages = ["/", "/programmes", f"/programmes/{programme.slug}", "/partners"]
    before = [client.get(page).get_data(as_text=True) for page in pages]
    assert partner.name_zh in before[3]
    partner.name_zh, programme.name_zh = "新的合作机构名称", "改过名的计划"
    db.session.commit()
    after = [client.get(page).get_data(as_text=True) for page in pages]
    assert "新的合作机构名称" in after[3]
    assert all("改过名的计划" in page for page in after[:3])
