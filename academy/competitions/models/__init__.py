"""The competition's tables: set-up and teams, judging, awards."""
from academy.competitions.models.awards import Award, AwardTier, TalentFlag  # noqa: F401
from academy.competitions.models.judging import (  # noqa: F401
    ConflictDeclaration, JudgeAssignment, ScoreLine, ScoreSheet, SheetEvent, TheoryScore,
)
from academy.competitions.models.setup import (  # noqa: F401
    Competition, CompetitionEvent, Criterion, Module, Round, RoundEntry, RoundResult, Team, TeamMember,
)
