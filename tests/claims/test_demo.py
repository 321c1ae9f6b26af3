"""The demo holds a scheme in each state, written through the real operations."""
from sqlalchemy import func, select

from academy.claims.models import Claim, ClaimState, Notice, Objection, Scheme
from academy.demo import load_demo
from academy.extensions import db

S = ClaimState


def test_the_demo_has_a_scheme_in_each_state(app):
    load_demo()
    db.session.flush()
    schemes = db.session.scalars(select(Scheme).order_by(Scheme.exam_year)).all()
    assert len(schemes) == 4
    states = {scheme.exam_year: set(db.session.scalars(select(Claim.state).where(Claim.scheme_id == scheme.id)))
              for scheme in schemes}
    paid, noticed, current, upcoming = (states[scheme.exam_year] for scheme in schemes)
    assert {S.PAID, S.APPROVED, S.REJECTED} <= paid
    assert noticed == {S.IN_NOTICE}
    assert {S.DRAFT, S.FIRST_REVIEW, S.SECOND_REVIEW, S.FINAL_REVIEW, S.RETURNED} <= current
    assert upcoming == set()
    assert db.session.scalar(select(func.count()).select_from(Objection)) == 1
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 2
    load_demo()  # a second run adds nothing
    assert len(db.session.scalars(select(Scheme)).all()) == 4
