"""The demo shows the competition in several states: one finished with awards, cases and a talent
pool; one in progress with scores partly entered."""
from sqlalchemy import func, select

from academy.competitions.demo import load_demo_competitions
from academy.competitions.enums import CompetitionStatus, SheetStatus
from academy.competitions.models import Award, Competition, ScoreSheet, TalentFlag
from academy.demo import DEMO_PASSWORD, load_demo
from academy.extensions import db


def test_the_demo_has_a_finished_and_a_running_competition(client):
    accounts = load_demo()
    db.session.commit()
    statuses = dict(db.session.execute(select(Competition.year, Competition.status)).all())
    assert sorted(statuses.values()) == [CompetitionStatus.FINISHED, CompetitionStatus.JUDGING]
    running = db.session.scalar(select(Competition).where(Competition.status == CompetitionStatus.JUDGING))
    states = dict(db.session.execute(select(ScoreSheet.status, func.count())
                                     .where(ScoreSheet.round_id.in_([r.id for r in running.rounds]))
                                     .group_by(ScoreSheet.status)).all())
    assert states.get(SheetStatus.SUBMITTED) and states.get(SheetStatus.OPEN)
    assert db.session.scalar(select(func.count()).select_from(Award)) > 0
    assert db.session.scalar(select(func.count()).select_from(TalentFlag)) > 0
    assert "推荐申报全国示范项目" in client.get("/cases").get_data(as_text=True)
    load_demo_competitions(accounts[0][0], DEMO_PASSWORD)  # again: nothing added
    assert db.session.scalar(select(func.count()).select_from(Competition)) == 2
