"""Who sees and decides what: a subdistrict sees its own workers' claims only; each level decides only
at its own step; a refused decision through the page writes nothing."""
from sqlalchemy import func, select

from academy.claims.models import Claim, ClaimEvent, ClaimState
from academy.extensions import db
from tests.claims.helpers import TICKS, TODAY, bring_to, draft, freeze, scheme

S = ClaimState
CHECKS = {key: "y" for key in TICKS}


def events():
    return db.session.scalar(select(func.count()).select_from(ClaimEvent))


def test_a_subdistrict_sees_only_its_own_workers_claims(client, make, login):
    claim = draft(make, scheme(make))
    bring_to(make, claim, S.FIRST_REVIEW)
    elsewhere = make.create_street_admin(street=make.subdistrict("110101016000"))
    login(elsewhere)
    assert claim.worker.name not in client.get("/review/claims").get_data(as_text=True)
    assert client.get(f"/review/claims/{claim.id}").status_code == 404
    assert client.get(f"/claims/files/{claim.uploads[0].id}").status_code == 404
    before = events()
    assert client.post(f"/review/claims/{claim.id}/decide", data={"state": "first_review", "forward": "1",
                                                                 **CHECKS}).status_code == 404
    assert events() == before


def test_a_later_level_cannot_decide_an_earlier_step_through_the_page(client, make, login):
    claim = draft(make, scheme(make))
    bring_to(make, claim, S.FIRST_REVIEW)
    login(make.create_district_reviewer())
    page = client.get(f"/review/claims/{claim.id}").get_data(as_text=True)
    assert "该审核环节由其他审核人负责" in page and 'name="forward"' not in page
    before = events()
    refused = client.post(f"/review/claims/{claim.id}/decide", data={"state": "first_review", "forward": "1",
                                                                     **CHECKS}, follow_redirects=True)
    assert "该审核环节由其他审核人负责" in refused.get_data(as_text=True)
    assert events() == before and db.session.get(Claim, claim.id).state == S.FIRST_REVIEW


def test_forwarding_without_the_ticks_through_the_page_writes_nothing(client, make, login):
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    login(people[S.FIRST_REVIEW])
    before = events()
    page = client.post(f"/review/claims/{claim.id}/decide", data={"state": "first_review", "forward": "1",
                                                                 "certificate_no": "y"}, follow_redirects=True)
    assert "转呈前请勾选全部核对项" in page.get_data(as_text=True)
    assert events() == before


def test_returned_claims_are_edited_and_resubmitted_by_the_worker(client, make, login, monkeypatch):
    from academy.claims import operations as ops

    freeze(monkeypatch, TODAY)
    claim = draft(make, scheme(make))
    people = bring_to(make, claim, S.FIRST_REVIEW)
    ops.send_back(claim, actor=people[S.FIRST_REVIEW], note="请补充身份证明")
    db.session.commit()
    login(claim.worker)
    page = client.get(f"/me/claims/{claim.id}").get_data(as_text=True)
    assert "请补充身份证明" in page and 'name="bank_account"' in page
    client.post(f"/me/claims/{claim.id}/submit")
    db.session.refresh(claim)
    assert claim.state == S.FIRST_REVIEW and claim.events[-1].reason == "补正后重新提交"
