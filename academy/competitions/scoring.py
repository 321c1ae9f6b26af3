"""Scores, exactly. Pure: given the submitted judges' totals (and the theory test's member scores) it
computes each module's score, the weighted entry score, the ranking with its tie-breaks and who
advances. Arithmetic is on fractions, so nothing is rounded until a figure is shown (two decimals,
half up); ranks compare the exact values.

- A module's score is the mean of its judges' totals; with `trim_from` judges or more (5 by default)
  the single highest and single lowest totals are dropped first. The theory test's module score is the
  mean of the members' scores.
- The entry's score is the sum over modules of score / maximum × weight (weights in percent, so a
  perfect entry scores 100).
- Ties are broken by the modules' scores in their configured order (tie_rank 1 first), then by the
  case-analysis score; entries equal on all of these share a rank.
- The preliminary sends each subdistrict's top `quota` on; the semi-final the top `advance_count`
  overall. Entries sharing the last place within the limit all advance; an entry still missing
  a module's score does not advance.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from academy.competitions.enums import ModuleKind, Stage

TWO_PLACES = Decimal("0.01")


def shown(value: Fraction | None) -> Decimal | None:
    """An exact value as shown: two decimals, half up."""
    if value is None:
        return None
    with localcontext() as context:
        context.prec = 50
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ModuleSpec:
    id: int
    kind: ModuleKind
    weight: Decimal  # percent
    max_score: Decimal
    tie_rank: int | None = None


@dataclass(frozen=True)
class Mark:
    """One figure behind a module score: a judge's sheet total, or a member's theory score."""
    source_id: int  # the sheet or theory score
    by_id: int  # the judge, or the member
    value: Decimal


@dataclass
class ModuleResult:
    module: ModuleSpec
    marks: list[Mark]
    kept: list[bool]
    score: Fraction | None

    @property
    def trimmed(self) -> bool:
        return not all(self.kept)

    @property
    def weighted(self) -> Fraction | None:
        if self.score is None:
            return None
        return self.score / Fraction(self.module.max_score) * Fraction(self.module.weight)


@dataclass
class EntryResult:
    team_id: int
    subdistrict_id: int
    modules: list[ModuleResult]
    score: Fraction
    complete: bool
    rank: int = 0
    advances: bool = False
    tie_key: tuple = field(default=(), repr=False)

    def module(self, module_id: int) -> ModuleResult | None:
        return next((result for result in self.modules if result.module.id == module_id), None)


def kept_marks(values: list[Decimal], trim_from: int) -> list[bool]:
    """Which values count: all of them, or all but one highest and one lowest from `trim_from` values on."""
    kept = [True] * len(values)
    if len(values) >= trim_from:
        order = sorted(range(len(values)), key=lambda index: (values[index], index))
        kept[order[0]] = kept[order[-1]] = False
    return kept


def module_result(module: ModuleSpec, marks: list[Mark], trim_from: int) -> ModuleResult:
    values = [mark.value for mark in marks]
    kept = kept_marks(values, trim_from) if module.kind != ModuleKind.THEORY else [True] * len(values)
    counted = [Fraction(value) for value, keep in zip(values, kept) if keep]
    score = sum(counted, Fraction(0)) / len(counted) if counted else None
    return ModuleResult(module, marks, kept, score)


def entry_result(team_id: int, subdistrict_id: int, modules: list[ModuleSpec], marks: dict[int, list[Mark]],
                 trim_from: int) -> EntryResult:
    """`marks` maps a module's id to the figures scored so far."""
    results = [module_result(module, marks.get(module.id, []), trim_from) for module in modules]
    score = sum((result.weighted for result in results if result.weighted is not None), Fraction(0))
    complete = all(result.score is not None for result in results)
    entry = EntryResult(team_id, subdistrict_id, results, score, complete)
    entry.tie_key = _tie_key(entry)
    return entry


def _tie_key(entry: EntryResult) -> tuple:
    """Higher is better: the score, the tie modules in order, then the case analysis."""
    by_rank = sorted((r for r in entry.modules if r.module.tie_rank is not None), key=lambda r: r.module.tie_rank)
    case = [r for r in entry.modules if r.module.kind == ModuleKind.CASE_ANALYSIS]
    return (entry.score, *[r.score or Fraction(0) for r in by_rank], *[r.score or Fraction(0) for r in case])


def rank(entries: list[EntryResult]) -> list[EntryResult]:
    """Best first; equal keys share a rank (1, 2, 2, 4). Sets each entry's rank and returns the order."""
    ordered = sorted(entries, key=lambda entry: (tuple(-value for value in entry.tie_key), entry.team_id))
    for position, entry in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        entry.rank = previous.rank if previous is not None and previous.tie_key == entry.tie_key else position
    return ordered


def advance(entries: list[EntryResult], stage: Stage, *, quota: int, advance_count: int | None) -> list[EntryResult]:
    """Rank the entries and mark those who go on; returns them best first."""
    ordered = rank(entries)
    if stage == Stage.PRELIMINARY:
        by_street: dict[int, list[EntryResult]] = {}
        for entry in ordered:
            by_street.setdefault(entry.subdistrict_id, []).append(entry)
        for street_entries in by_street.values():
            for entry in rank(list(street_entries)):
                entry.advances = entry.complete and entry.rank <= quota
        rank(entries)  # restore the overall ranks
    elif stage == Stage.SEMI_FINAL and advance_count:
        for entry in ordered:
            entry.advances = entry.complete and entry.rank <= advance_count
    return ordered
