"""Two reviewers decide on the same claim at the same moment, through two real requests on their own
connections: one wins, the other is told and writes nothing. On SQLite here, and on PostgreSQL when
one is reachable (the lead's run)."""
import threading

import pytest
from flask_migrate import upgrade

from academy import create_app
from academy.claims.models import Claim, ClaimEvent, ClaimState
from academy.config import TestConfig
from academy.extensions import db
from academy.orgs.reference import seed_org_units
from academy.programmes.reference import seed_programmes
from academy.progress.reference import seed_rules
from tests import factories
from tests.claims.helpers import TICKS, bring_to, draft, scheme
from tests.factories import DEFAULT_PASSWORD

S = ClaimState
TOLD = "其他人刚刚处理了这份申请"


def race(url, tmp_path):
    config = {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()}
    config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(tmp_path / "uploads"))
    app = create_app(config)
    with app.app_context():
        upgrade()
        seed_org_units(), seed_programmes(), seed_rules()
        claim = draft(factories, scheme(factories))
        people = bring_to(factories, claim, S.FIRST_REVIEW)
        street = claim.worker.profile.subdistrict
        phones = [people[S.FIRST_REVIEW].phone, factories.create_street_admin(street=street).phone]
        claim_id = claim.id
        db.session.remove()
    clients = []
    for phone in phones:
        client = app.test_client()
        assert client.post("/login", data={"phone": phone, "password": DEFAULT_PASSWORD}).status_code == 302
        clients.append(client)
    start, pages = threading.Barrier(2), {}
    decisions = [{"state": "first_review", "forward": "1", **{key: "y" for key in TICKS}},
                 {"state": "first_review", "reject": "1", "note": "材料不全"}]

    def decide(index):
        start.wait()
        pages[index] = clients[index].post(f"/review/claims/{claim_id}/decide", data=decisions[index],
                                           follow_redirects=True).get_data(as_text=True)

    threads = [threading.Thread(target=decide, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        decided = db.session.scalars(db.select(ClaimEvent).where(ClaimEvent.claim_id == claim_id,
                                                                 ClaimEvent.from_state == S.FIRST_REVIEW)).all()
        state = claim.state
        db.session.remove()
        db.engine.dispose()
    assert len(decided) == 1 and state == decided[0].to_state in (S.SECOND_REVIEW, S.REJECTED)
    told = [index for index in range(2) if TOLD in pages[index]]
    assert len(told) == 1
    winner = 1 - told[0]
    assert decided[0].to_state == (S.SECOND_REVIEW if winner == 0 else S.REJECTED)


@pytest.mark.own_database
def test_two_reviewers_at_once_on_sqlite(tmp_path):
    race(f"sqlite:///{tmp_path / 'race.db'}", tmp_path)


@pytest.mark.own_database
@pytest.mark.postgres
def test_two_reviewers_at_once_on_postgresql(postgres_url, tmp_path):
    race(postgres_url, tmp_path)
