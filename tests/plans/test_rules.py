"""Where the year should stand by a day, and the status words."""
from datetime import date
from decimal import Decimal

import pytest

from academy.plans.rules import PlanStatus, expected_share, parse_weights, progress

NO_FEBRUARY = (1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)


def test_linear_by_days():
    assert expected_share(2025, date(2025, 1, 1)) == Decimal(1) / 365
    assert expected_share(2025, date(2025, 7, 2)) == Decimal(183) / 365
    assert expected_share(2024, date(2024, 12, 31)) == 1  # a leap year: 366 of 366
    assert expected_share(2025, date(2024, 12, 31)) == 0  # a year not begun
    assert expected_share(2025, date(2026, 1, 1)) == 1    # a year over


def test_a_month_profile_with_nothing_in_february():
    assert expected_share(2025, date(2025, 1, 31), NO_FEBRUARY) == Decimal(1) / 11
    assert expected_share(2025, date(2025, 2, 14), NO_FEBRUARY) == Decimal(1) / 11  # February adds nothing
    assert expected_share(2025, date(2025, 3, 31), NO_FEBRUARY) == Decimal(2) / 11
    assert expected_share(2025, date(2025, 4, 15), NO_FEBRUARY) == (2 + Decimal(15) / 30) / 11
    assert expected_share(2025, date(2025, 12, 31), NO_FEBRUARY) == 1


@pytest.mark.parametrize("actual,status", [(111, PlanStatus.AHEAD), (110, PlanStatus.ON_TRACK),
                                           (90, PlanStatus.ON_TRACK), (89, PlanStatus.BEHIND)])
def test_status_within_ten_per_cent_of_where_the_year_should_be(actual, status):
    row = progress("enrolments", 200, actual, Decimal("0.5"))
    assert (row.expected, row.status, row.share) == (100, status, Decimal(actual * 100) / 200)


def test_a_rate_is_compared_as_it_stands():
    row = progress("ce_rate", Decimal("80"), Decimal("70"), Decimal("0.1"), rate=True)
    assert (row.expected, row.status) == (80, PlanStatus.BEHIND)


def test_nothing_due_yet():
    assert progress("enrolments", 100, 0, Decimal("0")).status == PlanStatus.ON_TRACK
    assert progress("enrolments", 100, 3, Decimal("0")).status == PlanStatus.AHEAD
    assert progress("enrolments", 0, 0, Decimal("0.5")).share is None


def test_the_status_words_and_colours():
    assert [(s.value, s.badge) for s in PlanStatus] == [("ahead", "success"), ("on_track", "primary"),
                                                        ("behind", "danger")]


@pytest.mark.parametrize("text", ["1,2,3", "1,1,1,1,1,1,1,1,1,1,1,-1", "0,0,0,0,0,0,0,0,0,0,0,0",
                                  "a,1,1,1,1,1,1,1,1,1,1,1", "1,1,1,1,1,1,1,1,1,1,1,1001"])
def test_bad_profiles_are_refused(text):
    with pytest.raises(ValueError):
        parse_weights(text)


def test_profiles_read_with_commas_or_spaces():
    assert parse_weights("1，0 1,1,1,1,1,1,1,1,1,1") == NO_FEBRUARY
    assert parse_weights("  ") is None
