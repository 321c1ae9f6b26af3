"""The partners page and the practice bases are paged, and each page runs the same statements
however many partners and bases there are."""
from academy.core.pagecache import clear_page_cache
from academy.core.querycount import count_queries
from academy.extensions import db
from academy.partners.models import Partner, PartnerKind, PracticeBase
from academy.partners.views import BASES_PER_PAGE, PARTNERS_PER_PAGE


def _statements(client, path):
    client.get(path)
    clear_page_cache()
    with count_queries(db.engine) as counter:
        assert client.get(path).status_code == 200, path
    return counter.count


def _grow(make, index_from, count):
    for index in range(index_from, index_from + count):
        partner = Partner(name_zh=f"合作机构{index}", kind=PartnerKind.AGENCY)
        db.session.add(partner)
        db.session.add(PracticeBase(name=f"实训基地{index:03d}", host_partner=partner, subdistrict=make.subdistrict(),
                                    host_unit=make.create_unit(parent=make.subdistrict())))
    db.session.commit()


def test_partners_and_practice_bases_are_paged_at_a_fixed_cost(client, make, login):
    _grow(make, 0, 2)
    paths = ["/partners", "/partners?page=2", "/practice-bases", "/practice-bases?page=2"]
    login(make.create_admin())
    small = {path: _statements(client, path) for path in paths}
    _grow(make, 2, max(PARTNERS_PER_PAGE, BASES_PER_PAGE) + 5)
    large = {path: _statements(client, path) for path in paths}
    assert large == small and max(large.values()) <= 6
    bases = client.get("/practice-bases").get_data(as_text=True)
    assert bases.count("实训基地0") == BASES_PER_PAGE and "?page=2" in bases
    assert "实训基地036" in client.get("/practice-bases?page=2").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/partners").get_data(as_text=True).count('class="card h-100"') == PARTNERS_PER_PAGE
