"""Where a plan should stand by a day, and the words for how far it is: one pure function each, used by
every page and document that shows progress against a plan."""
import calendar
import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

MONTHS = 12
TOLERANCE = Decimal("0.10")  # within 10% of where the year should be: on track
HUNDRED = Decimal("100")

# The targets a plan may set, in display order: (column, label). Counts are whole numbers; hours one
# decimal; the continuing-education compliance rate a percentage.
TARGETS = (
    ("people_trained", _l("People trained")),
    ("enrolments", _l("Enrolments")),
    ("hours", _l("Hours delivered")),
    ("certificates", _l("Certificates")),
    ("degrees", _l("Degrees earned")),
    ("projects", _l("Research-practice projects completed")),
    ("ce_rate", _l("Continuing-education compliance rate")),
)
TARGET_NAMES = tuple(name for name, _label in TARGETS)
TARGET_LABELS = dict(TARGETS)
RATES = frozenset({"ce_rate"})  # compared as they stand, never spread over the year


class PlanStatus(enum.StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"

    @property
    def label(self):
        return {PlanStatus.AHEAD: _l("Ahead"), PlanStatus.ON_TRACK: _l("On track"),
                PlanStatus.BEHIND: _l("Behind")}[self]

    @property
    def badge(self) -> str:
        return {"ahead": "success", "on_track": "primary", "behind": "danger"}[self.value]


def parse_weights(text: str | None) -> tuple[int, ...] | None:
    """Twelve whole numbers, not negative, not all zero, separated by commas or spaces; None for an
    empty text (linear). ValueError with the reason otherwise."""
    if not text or not text.strip():
        return None
    parts = text.replace("，", ",").replace(",", " ").split()
    if len(parts) != MONTHS:
        raise ValueError(_l("Give twelve weights, one a month (%(count)d given).", count=len(parts)))
    if not all(part.isdigit() for part in parts):
        raise ValueError(_l("Each weight is a whole number, zero or more."))
    weights = tuple(int(part) for part in parts)
    if any(weight > 1000 for weight in weights):
        raise ValueError(_l("Each weight is at most 1000."))
    if not any(weights):
        raise ValueError(_l("At least one month needs a weight above zero."))
    return weights


def expected_share(year: int, today: date, weights: tuple[int, ...] | None = None) -> Decimal:
    """The share of the year's target that should be reached by the end of `today`: by days elapsed
    (linear), or by the month weights, the current month counted by its days elapsed."""
    if today.year < year:
        return Decimal("0")
    if today.year > year:
        return Decimal("1")
    if weights is None:
        days = 366 if calendar.isleap(year) else 365
        return Decimal(today.timetuple().tm_yday) / days
    month_days = calendar.monthrange(year, today.month)[1]
    done = sum(weights[:today.month - 1]) + Decimal(weights[today.month - 1]) * today.day / month_days
    return done / sum(weights)


@dataclass(frozen=True)
class Progress:
    """One target of a plan against its actual."""

    name: str
    target: Decimal
    actual: Decimal
    expected: Decimal  # where the figure should be by today (a rate: the target itself)
    status: PlanStatus

    @property
    def label(self):
        return TARGET_LABELS[self.name]

    @property
    def rate(self) -> bool:
        return self.name in RATES

    @property
    def share(self) -> Decimal | None:
        """The share of the target reached, in per cent."""
        return (self.actual * HUNDRED / self.target).quantize(Decimal("0.1")) if self.target else None


def progress(name: str, target, actual, share_due: Decimal, rate: bool = False) -> Progress:
    """A target, its actual and the share of the year due: ahead above 110% of where the year should
    be, behind under 90%, else on track. A rate is compared with its target as it stands."""
    target, actual = Decimal(target), Decimal(actual or 0)
    expected = target if rate else (target * share_due).quantize(Decimal("0.1"))
    if expected == 0:
        status = PlanStatus.AHEAD if actual > 0 else PlanStatus.ON_TRACK
    elif actual > expected * (1 + TOLERANCE):
        status = PlanStatus.AHEAD
    elif actual < expected * (1 - TOLERANCE):
        status = PlanStatus.BEHIND
    else:
        status = PlanStatus.ON_TRACK
    return Progress(name=name, target=target, actual=actual, expected=expected, status=status)
