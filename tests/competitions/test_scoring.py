"""Scoring against hand-computed examples: trimming, weights, exactness, ties and advancement."""
from decimal import Decimal
from fractions import Fraction

from academy.competitions.enums import ModuleKind, Stage
from academy.competitions.scoring import (
    Mark, ModuleSpec, advance, entry_result, kept_marks, module_result, rank, shown,
)

D = Decimal
THEORY = ModuleSpec(1, ModuleKind.THEORY, D("20"), D("100"))
CASE = ModuleSpec(2, ModuleKind.CASE_ANALYSIS, D("30"), D("100"))
PROJECT = ModuleSpec(3, ModuleKind.PROJECT, D("50"), D("50"))
MODULES = [THEORY, CASE, PROJECT]


def marks(*values):
    return [Mark(index, 100 + index, D(str(value))) for index, value in enumerate(values, start=1)]


def test_five_judges_drop_the_highest_and_the_lowest():
    result = module_result(CASE, marks(80, 85, 90, 70, 95), trim_from=5)
    assert result.score == 85  # (80 + 85 + 90) / 3
    assert result.kept == [True, True, True, False, False]
    assert result.trimmed


def test_four_judges_keep_every_total():
    result = module_result(CASE, marks(80, 85, 90, 70), trim_from=5)
    assert result.score == Fraction("81.25") and not result.trimmed


def test_the_trimming_threshold_is_configurable():
    assert module_result(CASE, marks(80, 85, 90, 70, 95), trim_from=6).score == 84
    assert module_result(CASE, marks(80, 85, 90, 70), trim_from=4).score == Fraction("82.5")  # 80, 85 kept


def test_equal_extremes_drop_only_one_of_each():
    assert kept_marks([D(80), D(80), D(90), D(90), D(85)], 5) == [False, True, True, False, True]
    assert module_result(CASE, marks(80, 80, 90, 90, 85), trim_from=5).score == 85


def test_the_theory_module_is_the_members_mean_never_trimmed():
    assert module_result(THEORY, marks(60, 70, 80, 90, 100), trim_from=5).score == 80


def test_means_stay_exact_and_are_shown_half_up():
    result = module_result(CASE, marks(80, D("85.5"), 86), trim_from=5)
    assert result.score == Fraction(503, 6)  # 251.5 / 3 = 83.8333...
    assert shown(result.score) == D("83.83")
    assert shown(Fraction(1, 200)) == D("0.01")  # half up


def test_the_entry_is_the_weighted_sum_of_module_scores_over_their_maxima():
    entry = entry_result(7, 1, MODULES, {1: marks(90, 80), 2: marks(80, 85, 90), 3: marks(40, 45)}, 5)
    # 85 × 20% + 85 × 30% + 42.5 / 50 × 50 = 17 + 25.5 + 42.5
    assert entry.score == 85 and entry.complete
    assert [shown(m.weighted) for m in entry.modules] == [D("17.00"), D("25.50"), D("42.50")]


def test_an_entry_missing_a_module_is_incomplete_and_counts_what_is_there():
    entry = entry_result(7, 1, MODULES, {2: marks(80)}, 5)
    assert entry.score == 24 and not entry.complete


def _pair(tie_rank=None):
    project = ModuleSpec(3, ModuleKind.PROJECT, D("50"), D("50"), tie_rank)
    modules = [THEORY, CASE, project]
    a = entry_result(1, 1, modules, {1: marks(90, 80), 2: marks(80, 85, 90), 3: marks(40, 45)}, 5)
    b = entry_result(2, 1, modules, {1: marks(95), 2: marks(90), 3: marks(39)}, 5)
    return a, b


def test_ties_are_broken_by_the_configured_module_order_first():
    a, b = _pair(tie_rank=1)
    assert a.score == b.score == 85  # b: 19 + 27 + 39 / 50 × 50 = 85
    assert [e.team_id for e in rank([b, a])] == [1, 2]  # project 42.5 beats 39
    assert (a.rank, b.rank) == (1, 2)


def test_without_a_tie_order_the_case_analysis_decides():
    a, b = _pair()
    assert [e.team_id for e in rank([a, b])] == [2, 1]  # case analysis 90 beats 85


def test_entries_equal_on_everything_share_a_rank():
    a = entry_result(1, 1, MODULES, {2: marks(80)}, 5)
    b = entry_result(2, 1, MODULES, {2: marks(80)}, 5)
    c = entry_result(3, 1, MODULES, {2: marks(70)}, 5)
    rank([c, b, a])
    assert (a.rank, b.rank, c.rank) == (1, 1, 3)


def test_ranks_compare_exact_values_not_the_shown_ones():
    whole = ModuleSpec(2, ModuleKind.CASE_ANALYSIS, D("100"), D("100"))
    x = entry_result(1, 1, [whole], {2: marks(80, 85, 86)}, 5)  # 251/3 = 83.666...
    y = entry_result(2, 1, [whole], {2: marks(D("83.67"))}, 5)
    assert shown(x.score) == shown(y.score) == D("83.67")
    assert [e.team_id for e in rank([x, y])] == [2, 1]


def _street_entries(street, scores):
    return [entry_result(street * 100 + i, street, [CASE], {2: marks(score)}, 5) for i, score in enumerate(scores)]


def test_the_preliminary_sends_each_subdistricts_top_three():
    entries = _street_entries(1, [90, 80, 70, 60, 50]) + _street_entries(2, [40, 30])
    advance(entries, Stage.PRELIMINARY, quota=3, advance_count=None)
    assert sorted(e.team_id for e in entries if e.advances) == [100, 101, 102, 200, 201]
    assert [e.rank for e in entries if e.subdistrict_id == 2] == [6, 7]  # overall ranks kept


def test_a_tie_on_the_last_place_of_a_quota_sends_both():
    entries = _street_entries(1, [90, 80, 70, 70, 50])
    advance(entries, Stage.PRELIMINARY, quota=3, advance_count=None)
    assert sorted(e.team_id for e in entries if e.advances) == [100, 101, 102, 103]


def test_the_semi_final_sends_the_top_n_overall_whatever_the_subdistrict():
    entries = _street_entries(1, [90, 80, 70]) + _street_entries(2, [85, 30])
    advance(entries, Stage.SEMI_FINAL, quota=3, advance_count=2)
    assert sorted(e.team_id for e in entries if e.advances) == [100, 200]


def test_an_incomplete_entry_does_not_advance():
    complete = entry_result(1, 1, [CASE], {2: marks(50)}, 5)
    missing = entry_result(2, 1, [CASE, PROJECT], {2: marks(90)}, 5)
    advance([complete, missing], Stage.PRELIMINARY, quota=3, advance_count=None)
    assert complete.advances and not missing.advances


def test_the_final_sends_no_one_on():
    entries = _street_entries(1, [90])
    advance(entries, Stage.FINAL, quota=3, advance_count=3)
    assert not entries[0].advances
