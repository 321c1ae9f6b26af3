"""The theory test's scores from a spreadsheet (name, mobile number, score): every row judged against
the competition's teams before anything is written; confirmed rows are entered as each member's score.
Reading and the preview/confirm steps are academy.core.imports'."""
import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from academy.audit.operations import record as audit
from academy.auth.models import User
from academy.competitions.judging import enter_theory_score
from academy.competitions.models import Module, TeamMember, TheoryScore
from academy.core.imports import data_rows
from academy.extensions import db


class Outcome(enum.StrEnum):
    WILL_WRITE = "will_write"
    WILL_REPLACE = "will_replace"
    SAME = "same"
    UNKNOWN_PERSON = "unknown_person"
    NAME_MISMATCH = "name_mismatch"
    NOT_IN_TEAM = "not_in_team"
    DUPLICATE = "duplicate"
    INVALID = "invalid"

    @property
    def label(self):
        return {
            Outcome.WILL_WRITE: _l("Will be recorded"),
            Outcome.WILL_REPLACE: _l("Will replace the earlier score"),
            Outcome.SAME: _l("Already recorded"),
            Outcome.UNKNOWN_PERSON: _l("Unknown person"),
            Outcome.NAME_MISMATCH: _l("Name does not match"),
            Outcome.NOT_IN_TEAM: _l("In no team of this competition"),
            Outcome.DUPLICATE: _l("Duplicate"),
            Outcome.INVALID: _l("Invalid row"),
        }[self]

    @property
    def is_good(self) -> bool:
        return self in (Outcome.WILL_WRITE, Outcome.WILL_REPLACE)


@dataclass
class ScoreRow:
    line: int
    name: str
    phone: str
    score: Decimal | None
    outcome: Outcome | None = None
    detail: list = field(default_factory=list)
    worker_id: int | None = None


def parse_rows(table: list[list[str]], module: Module) -> list[ScoreRow]:
    rows = []
    for line, (name, phone, score) in data_rows(table, key_column=1, width=3):
        row = ScoreRow(line, re.sub(r"\s+", "", name), re.sub(r"\D", "", phone), None)
        try:
            row.score = Decimal(score.strip())
        except InvalidOperation:
            pass
        if not row.name or len(row.phone) != 11 or row.score is None or not row.score.is_finite():
            row.outcome = Outcome.INVALID
            row.detail.append(_l("Give a name, an 11-digit mobile number and the score."))
        elif row.score < 0 or row.score > module.max_score or row.score != row.score.quantize(Decimal("0.01")):
            row.outcome = Outcome.INVALID
            row.detail.append(_l("The score is from 0 to %(max)s, at most two decimals.", max=module.max_score))
        rows.append(row)
    return rows


def judge(rows: list[ScoreRow], module: Module) -> list[ScoreRow]:
    """Decide every row's outcome against the competition as it is now. Writes nothing."""
    pending = [row for row in rows if row.outcome is None]
    phones = {row.phone for row in pending}
    users = {u.phone: u for u in db.session.scalars(select(User).where(User.phone.in_(phones)))} if phones else {}
    members = set(db.session.scalars(select(TeamMember.worker_id).where(
        TeamMember.competition_id == module.round.competition_id)))
    existing = dict(db.session.execute(select(TheoryScore.worker_id, TheoryScore.score).where(
        TheoryScore.module_id == module.id)).all())
    seen = set()
    for row in pending:
        user = users.get(row.phone)
        if row.phone in seen:
            row.outcome = Outcome.DUPLICATE
            row.detail.append(_l("Already in the file above."))
            continue
        seen.add(row.phone)
        if user is None:
            row.outcome = Outcome.UNKNOWN_PERSON
            row.detail.append(_l("No account has this mobile number."))
        elif re.sub(r"\s+", "", user.name) != row.name:
            row.outcome = Outcome.NAME_MISMATCH
            row.detail.append(_l("The number belongs to %(name)s.", name=user.name))
        elif user.id not in members:
            row.outcome = Outcome.NOT_IN_TEAM
        else:
            row.worker_id = user.id
            before = existing.get(user.id)
            if before is None:
                row.outcome = Outcome.WILL_WRITE
            elif before == row.score:
                row.outcome = Outcome.SAME
            else:
                row.outcome = Outcome.WILL_REPLACE
                row.detail.append(_l("Earlier: %(score)s", score=before))
    return rows


def apply(rows: list[ScoreRow], module: Module, *, actor) -> int:
    good = [row for row in rows if row.outcome.is_good]
    for row in good:
        enter_theory_score(module, actor, worker_id=row.worker_id, score=row.score, source="imported")
    audit("competition.theory_import", module, actor=actor, rows=len(rows), written=len(good))
    return len(good)
