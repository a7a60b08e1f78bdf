"""Figures read from text: spans exact, values normalised, conflicts flagged."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.figures import (
    DATE,
    MONEY,
    NUMBER,
    PERCENT,
    QUANTITY,
    YEAR,
    conflicting_figures,
    extract,
)


def one(text: str):
    (figure,) = extract(text)
    assert text[figure.start:figure.end] == figure.text
    return figure


@pytest.mark.parametrize("text", ["lost $589 billion", "lost USD 589 billion",
                                  "lost 589bn dollars", "lost US$589bn", "lost 589 bn USD",
                                  "lost 589 billion dollars", "потеряла 589 млрд долларов",
                                  "lost USD 589,000,000,000", "lost $589.0 billion"])
def test_the_same_amount_written_many_ways_is_one_value(text: str) -> None:
    figure = one(text)
    assert (figure.kind, figure.unit, figure.value) == (MONEY, "USD", 589e9)
    assert not figure.approx


@pytest.mark.parametrize(("text", "value", "unit", "span"), [
    ("spent around $6 million.", 6e6, "USD", "$6 million"),
    ("10 million yuan", 1e7, "CNY", "10 million yuan"),
    ("CNY 60 billion", 6e10, "CNY", "CNY 60 billion"),
    ("€5,5 млн", 5.5e6, "EUR", "€5,5 млн"),
    ("5,6 млн рублей", 5.6e6, "RUB", "5,6 млн рублей"),
    ("1 000 000 руб", 1e6, "RUB", "1 000 000 руб"),
    ("5.6亿元", 5.6e8, "CNY", "5.6亿元"),
    ("投资１００亿美元", 1e10, "USD", "１００亿美元"),
    ("£2.5m", 2.5e6, "GBP", "£2.5m"),
    ("¥300 billion", 3e11, "CNY", "¥300 billion"),
    ("300 billion yen", 3e11, "JPY", "300 billion yen"),
    ("EUR 1.000.000", 1e6, "EUR", "EUR 1.000.000"),
])
def test_money(text: str, value: float, unit: str, span: str) -> None:
    figure = one(text)
    assert figure.kind == MONEY
    assert figure.value == pytest.approx(value)
    assert figure.unit == unit
    assert figure.text == span


@pytest.mark.parametrize(("text", "value"), [
    ("lost approximately 3.15%", 3.15), ("fell 3 per cent", 3.0), ("17 percent", 17.0),
    ("упал на 3,5 процента", 3.5), ("上涨了 12％", 12.0), ("12 % 👇", 12.0)])
def test_percent(text: str, value: float) -> None:
    figure = one(text)
    assert (figure.kind, figure.unit) == (PERCENT, "%")
    assert figure.value == pytest.approx(value)


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("about 2,000 Nvidia H800 chips", 2000, "chips"),
    ("using 2,000 integrated circuits", 2000, "chips"),
    ("10,000 GPUs", 10000, "chips"),
    ("671 billion parameters", 671e9, "parameters"),
    ("1400万人", 1.4e7, "people"),
    ("over 100,000 job opportunities", 100000, "jobs"),
    ("140 Chinese companies", 140, "companies"),
])
def test_counted_things(text: str, value: float, unit: str) -> None:
    figure = one(text)
    assert (figure.kind, figure.value, figure.unit) == (QUANTITY, value, unit)


@pytest.mark.parametrize(("text", "approx"), [
    ("about $6 million", True), ("around $6 million", True), ("roughly $6 million", True),
    ("~$6 million", True), ("no more than $6 million", True), ("около 6 млн рублей", True),
    ("约600亿元", True), ("成本约600亿元", True), ("$6 million", False),
    ("spent $6 million", False)])
def test_approximations(text: str, approx: bool) -> None:
    assert one(text).approx is approx


@pytest.mark.parametrize(("text", "day", "unit"), [
    ("on 2025-01-27.", date(2025, 1, 27), "day"),
    ("on January 27, 2025.", date(2025, 1, 27), "day"),
    ("on Jan. 27 2025", date(2025, 1, 27), "day"),
    ("on 27 Jan 2025", date(2025, 1, 27), "day"),
    ("26 января, 2025 по", date(2025, 1, 26), "day"),
    ("2025年1月27日", date(2025, 1, 27), "day"),
    ("in January 2025", date(2025, 1, 1), "month"),
])
def test_dates(text: str, day: date, unit: str) -> None:
    figure = one(text)
    assert (figure.kind, figure.unit) == (DATE, unit)
    assert date.fromordinal(int(figure.value)) == day


def test_numbers_in_words_with_what_makes_them_figures() -> None:
    assert [(f.text, f.kind, f.value) for f in extract(
        "The Nasdaq plummeted three percent Monday; ten million dollars; twenty-five chips; "
        "one of the best; two people; in one day, for two years")] == [
        ("three percent", PERCENT, 3.0), ("ten million dollars", MONEY, 1e7),
        ("twenty-five chips", QUANTITY, 25.0), ("two people", QUANTITY, 2.0)]


def test_years_identifiers_and_plain_numbers() -> None:
    assert [f.kind for f in extract("burst in 2000, and in 2024 alone")] == [YEAR, YEAR]
    assert extract("the H800, R1, o1, COVID-19 and 5G") == []
    assert extract("reuters.com/world/hit-us-allies-asia-2025-01-28/") == []   # a path
    (number,) = extract("Kirin 9010 and 2,000")[1:]
    assert (number.kind, number.value) == (NUMBER, 2000)
    assert one("1.000").value == 1.0             # ambiguous: read as English writes it
    assert one("1.000.000").value == 1e6
    assert one("5,6").value == 5.6


def test_every_figure_is_its_span_around_emoji_and_other_scripts() -> None:
    text = ("👇 DeepSeek (深度求素) 👍 trained on 2,000 chips 🇨🇳, cost 5,6 млн рублей 😏 "
            "and lost USD 589 billion on 2025年1月27日 — 약 3.15%")
    figures = extract(text)
    assert [f.text for f in figures] == ["2,000 chips", "5,6 млн рублей", "USD 589 billion",
                                         "2025年1月27日", "3.15%"]
    for figure in figures:
        assert text[figure.start:figure.end] == figure.text


@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.$%€¥亿万млрдbnm👇\nabout chips")),
               max_size=60))
def test_spans_always_point_at_their_text(text: str) -> None:
    previous_end = 0
    for figure in extract(text):
        assert text[figure.start:figure.end] == figure.text
        assert figure.start >= previous_end           # in order, not overlapping
        previous_end = figure.end


@given(st.integers(min_value=1, max_value=999), st.sampled_from(
    [("$", " billion", ""), ("USD ", " billion", ""), ("", "bn dollars", ""),
     ("US$", "bn", "")]))
def test_any_amount_reads_the_same_in_every_notation(amount: int,
                                                     notation: tuple[str, str, str]) -> None:
    before, after, _ = notation
    figure = one(f"lost {before}{amount}{after} in value")
    assert (figure.kind, figure.unit, figure.value) == (MONEY, "USD", amount * 1e9)


# Conflicts ------------------------------------------------------------------------

def test_conflicting_figures_side_by_side() -> None:
    found = conflicting_figures([
        ("merics", "the chipmaker lost USD 589 billion in market capitalization"),
        ("norton", "Nvidia shares fell 17%, losing $600 billion in market cap"),
        ("blog", "Nvidia lost $600 billion, about 3% of the index"),
        ("other", "the index lost 3.15%"),
    ])
    pairs = {(c.first_id, c.second_id, c.first.text, c.second.text): c for c in found}
    loss = pairs[("merics", "norton", "USD 589 billion", "$600 billion")]
    assert loss.gap == pytest.approx(11 / 600, abs=1e-4)
    assert loss.soft                      # 600 may be 589 rounded
    assert ("merics", "blog", "USD 589 billion", "$600 billion") in pairs
    assert ("norton", "blog", "$600 billion", "$600 billion") not in pairs   # the same
    percent = pairs[("blog", "other", "3%", "3.15%")]
    assert percent.soft and percent.gap == pytest.approx(0.15 / 3.15, abs=1e-4)
    # 17 % and 3 % count different things: not a conflict
    assert not any({c.first.text, c.second.text} == {"17%", "3%"} for c in found)


def test_hard_and_soft_differences() -> None:
    (hard,) = conflicting_figures([(1, "lost $589 billion"), (2, "lost $610 billion")])
    assert not hard.soft and hard.gap == pytest.approx(21 / 610, abs=1e-4)
    (soft,) = conflicting_figures([(1, "spent about $6 million"), (2, "spent $5.6 million")])
    assert soft.soft and soft.gap == pytest.approx(0.4 / 6, abs=1e-4)
    assert "differs slightly" in soft.describe()
    assert conflicting_figures([(1, "$6 million"), (2, "6 million yuan")]) == []  # currencies
    assert conflicting_figures([(1, "in 2023"), (2, "in 2024")]) == []            # years
    assert conflicting_figures([(1, "$589 billion"), (2, "$589bn")]) == []        # equal
    (days,) = conflicting_figures([(1, "on January 27, 2025"), (2, "on 2025-01-28")])
    assert days.gap == 1 and not days.soft
