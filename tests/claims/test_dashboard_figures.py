"""The dashboard shows the latest scheme's claims (applicants, approved with their amount, rejected, the
change on the scheme before), a subdistrict administrator their subdistrict's, current after every change."""
import re

from academy.claims import operations as ops
from academy.claims.ledger import dashboard_figures
from academy.claims.models import ClaimState as S
from academy.extensions import db
from tests.claims.helpers import bring_to, draft, scheme

HOME, ELSEWHERE = "110101001000", "110101016000"


def worker_in(make, code):
    return make.create_worker(work_unit=make.create_unit(parent=make.subdistrict(code)))


def figure(page: str, key: str) -> str:
    return re.search(rf'id="{key}">([^<]*)<', page).group(1)


def test_the_latest_scheme_with_its_change_on_the_one_before(client, make, login):
    before = scheme(make, exam_year=2024)
    for _ in range(2):
        bring_to(make, draft(make, before, worker=worker_in(make, HOME)), S.FIRST_REVIEW)
    latest = scheme(make, exam_year=2025)
    approved = draft(make, latest, worker=worker_in(make, HOME))
    bring_to(make, approved, S.APPROVED)
    refused = draft(make, latest, worker=worker_in(make, ELSEWHERE))
    people = bring_to(make, refused, S.FIRST_REVIEW)
    bring_to(make, draft(make, latest, worker=worker_in(make, ELSEWHERE)), S.SECOND_REVIEW)
    draft(make, latest)  # a draft is no applicant
    figures = dashboard_figures(db.session)
    assert (figures.exam_year, figures.tally.applicants, figures.tally.approved) == (2025, 3, 1)
    assert figures.change == "+50.0%" and figures.tally.amount == approved.amount

    admin = make.create_admin()
    login(admin)
    page = client.get("/admin").get_data(as_text=True)
    assert figure(page, "claims-applicants") == "3" and figure(page, "claims-change") == "+50.0%"
    assert f"/admin/claim-schemes/{latest.id}/statistics" in page
    ops.reject(refused, actor=people[S.FIRST_REVIEW], reason="证书年度不符")
    db.session.commit()
    assert "未通过 1 人" in client.get("/admin").get_data(as_text=True)  # the kept board follows the claims

    client.post("/logout")
    login(make.create_street_admin(street=make.subdistrict(HOME)))
    mine = client.get("/admin").get_data(as_text=True)
    assert figure(mine, "claims-applicants") == "1" and "/statistics" not in mine


def test_no_scheme_no_card(client, make, login):
    login(make.create_admin())
    assert 'id="claims-figures"' not in client.get("/admin").get_data(as_text=True)
