"""Claims still in the first review after the scheme's deadline remind their subdistrict's reviewers,
once per claim, and not once the claim has moved on."""
from datetime import date, datetime

from sqlalchemy import func, select

from academy.claims import operations as ops
from academy.claims.models import ClaimState as S
from academy.core.i18n import LOCAL_TZ
from academy.extensions import db
from academy.jobs.reminders import run_reminders
from academy.notifications.models import Notification
from tests.claims.helpers import TICKS, bring_to, draft, scheme

KIND = "claims_first_review_overdue"


def notes(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.kind == f"reminder_{KIND}"))


def test_an_overdue_first_review_reminds_the_subdistricts_reviewer_once(make):
    the_scheme = scheme(make)  # first review due by 2026-07-15
    claim = draft(make, the_scheme)
    people = bring_to(make, claim, S.FIRST_REVIEW)
    reviewer = people[S.FIRST_REVIEW]
    elsewhere = make.create_street_admin(street=make.subdistrict("110101016000"))
    before = datetime(2026, 7, 15, 9, 0, tzinfo=LOCAL_TZ)
    after = datetime(2026, 7, 16, 9, 0, tzinfo=LOCAL_TZ)
    assert run_reminders(before)[KIND] == 0  # not yet due
    assert run_reminders(after)[KIND] == 1 and notes(reviewer) == 1 and notes(elsewhere) == 0
    assert run_reminders(after)[KIND] == 0  # once
    note = db.session.scalar(select(Notification).where(Notification.kind == f"reminder_{KIND}"))
    assert note.link == f"/review/claims/{claim.id}" and note.params["deadline"] == date(2026, 7, 15).isoformat()


def test_a_claim_past_its_first_review_is_not_reminded(make):
    the_scheme = scheme(make)
    claim = draft(make, the_scheme)
    people = bring_to(make, claim, S.FIRST_REVIEW)
    ops.forward(claim, actor=people[S.FIRST_REVIEW], checklist=TICKS)
    db.session.commit()
    assert run_reminders(datetime(2026, 8, 1, 9, 0, tzinfo=LOCAL_TZ))[KIND] == 0
