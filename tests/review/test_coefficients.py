"""Krippendorff's alpha and Cohen's kappa: published worked examples, NLTK's
AnnotationTask on the same data, and properties (perfect agreement, relabelling,
missing values, degenerate data)."""

from __future__ import annotations

import json
import math
import random

import pytest

from annotator.review import (
    INTERVAL,
    LEVELS,
    NOMINAL,
    ORDINAL,
    RATIO,
    Coincidences,
    Contingency,
    cohen_kappa,
    krippendorff_alpha,
)
from tests.review.reference import nltk_alpha, nltk_kappa

# Krippendorff, K. (2011). "Computing Krippendorff's Alpha-Reliability", Annenberg
# School for Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43),
# section "C. Nominal data, any number of observers, missing data": 4 observers x 12
# units, values 1-5, "." = missing (None here). Unit 12 has a single value, so it
# is not pairable. The paper reports alpha = 0.743 (nominal) for these data, and for
# the same data 0.815 (ordinal), 0.849 (interval) and 0.797 (ratio); the same figures
# are the documented output for this matrix of R's irr::kripp.alpha and
# DescTools::KrippAlpha.
KRIPPENDORFF_2011 = [          # one row per unit: observers A, B, C, D
    (1, 1, None, 1),
    (2, 2, 3, 2),
    (3, 3, 3, 3),
    (3, 3, 3, 3),
    (2, 2, 2, 2),
    (1, 2, 3, 4),
    (4, 4, 4, 4),
    (1, 1, 2, 1),
    (2, 2, 2, 2),
    (None, 5, 5, 5),
    (None, None, 1, 1),
    (None, None, 3, None),
]
KRIPPENDORFF_2011_ALPHA = {NOMINAL: 0.743, ORDINAL: 0.815, INTERVAL: 0.849, RATIO: 0.797}


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_reference_data(level):
    result = krippendorff_alpha(KRIPPENDORFF_2011, level)
    assert result.value == pytest.approx(KRIPPENDORFF_2011_ALPHA[level], abs=5e-4)
    assert result.units == 11               # unit 12 has one value only
    assert result.pairable_values == 40     # the paper's n
    assert result.reason is None


def test_krippendorff_reference_nominal_exactly():
    # Worked out by hand from the data: the values' pairable frequencies n_c are
    # 9, 13, 10, 5, 3 (n = 40), the off-diagonal coincidences sum to 8, so
    # alpha = 1 - (n - 1) * 8 / (n (n - 1) - sum n_c (n_c - 1))
    #       = 1 - 39 * 8 / (1560 - 344) = 113 / 152 = 0.74342...
    result = krippendorff_alpha(KRIPPENDORFF_2011, NOMINAL)
    assert result.observed == pytest.approx(8 / 40)
    assert result.value == pytest.approx(113 / 152)


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_reference_data_matches_nltk(level):
    assert krippendorff_alpha(KRIPPENDORFF_2011, level).value == pytest.approx(
        nltk_alpha(KRIPPENDORFF_2011, level), abs=1e-12)


# Cohen's kappa, the worked example of the "Cohen's kappa" article (Wikipedia,
# "Simple example"): 50 grant proposals read by two readers A and B; both say yes to
# 20, both no to 15, A yes and B no to 5, A no and B yes to 10. p_o = 0.7, p_e = 0.5,
# kappa = 0.4.
TEXTBOOK_2X2 = ([("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
                + [("no", "no")] * 15)


def test_cohen_kappa_textbook_2x2():
    result = cohen_kappa(TEXTBOOK_2X2)
    assert result.observed == pytest.approx(0.7)
    assert result.expected == pytest.approx(0.5)
    assert result.value == pytest.approx(0.4)
    assert result.units == 50
    assert result.value == pytest.approx(nltk_kappa(TEXTBOOK_2X2), abs=1e-12)


def random_units(rng: random.Random, units: int, coders: int, values: list,
                 missing: float, agreement: float) -> list[tuple]:
    rows = []
    for _ in range(units):
        truth = rng.choice(values)
        row = tuple(None if rng.random() < missing
                    else truth if rng.random() < agreement else rng.choice(values)
                    for _ in range(coders))
        rows.append(row)
    return rows


def varied(rows) -> bool:
    present = {v for row in rows if sum(x is not None for x in row) >= 2 for v in row
               if v is not None}
    return len(present) >= 2


@pytest.mark.parametrize("seed", range(12))
def test_alpha_matches_nltk_on_random_data(seed):
    rng = random.Random(seed)
    coders = rng.randint(2, 5)
    values = list(range(1, rng.randint(2, 7) + 1))
    rows = random_units(rng, rng.randint(5, 80), coders, values,
                        missing=rng.choice([0.0, 0.2, 0.5]), agreement=rng.random())
    if not varied(rows):
        pytest.skip("the draw has no variation")
    for level in LEVELS:
        assert krippendorff_alpha(rows, level).value == pytest.approx(
            nltk_alpha(rows, level), abs=1e-9), level


@pytest.mark.parametrize("seed", range(12))
def test_kappa_and_alpha_match_nltk_for_two_coders(seed):
    rng = random.Random(100 + seed)
    labels = ["supports", "refutes", "neutral", "unclear"][:rng.randint(2, 4)]
    rows = random_units(rng, rng.randint(4, 60), 2, labels, missing=0.0,
                        agreement=rng.random())
    if len({v for row in rows for v in row}) < 2:
        pytest.skip("the draw has no variation")
    assert cohen_kappa(rows).value == pytest.approx(nltk_kappa(rows), abs=1e-12)
    assert krippendorff_alpha(rows).value == pytest.approx(nltk_alpha(rows), abs=1e-12)


@pytest.mark.parametrize("level", LEVELS)
def test_perfect_agreement_is_one(level):
    rows = [(1, 1, 1), (2, 2, None), (3, None, 3), (5, 5, 5), (None, 4, 4)]
    assert krippendorff_alpha(rows, level).value == pytest.approx(1.0)
    assert krippendorff_alpha(rows, level).observed == 0.0


def test_perfect_agreement_kappa_is_one():
    assert cohen_kappa([("a", "a"), ("b", "b"), ("c", "c"), ("a", "a")]).value == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_nominal_figures_do_not_depend_on_the_labels_names(seed):
    rng = random.Random(200 + seed)
    rows = random_units(rng, 40, 3, list("abcde"), missing=0.2, agreement=0.6)
    names = list("abcde")
    shuffled = names[:]
    rng.shuffle(shuffled)
    rename = dict(zip(names, [f"label-{x}" for x in shuffled], strict=True))
    renamed = [tuple(None if v is None else rename[v] for v in row) for row in rows]
    assert krippendorff_alpha(renamed).value == pytest.approx(krippendorff_alpha(rows).value)
    pairs = [row[:2] for row in rows]
    renamed_pairs = [row[:2] for row in renamed]
    assert cohen_kappa(renamed_pairs).value == pytest.approx(cohen_kappa(pairs).value)


def test_coders_order_in_a_unit_does_not_matter():
    rng = random.Random(7)
    rows = random_units(rng, 30, 4, [1, 2, 3, 4], missing=0.3, agreement=0.5)
    shuffled = [tuple(rng.sample(row, len(row))) for row in rows]
    for level in LEVELS:
        assert krippendorff_alpha(shuffled, level).value == pytest.approx(
            krippendorff_alpha(rows, level).value)


def test_missing_values_and_lone_values_change_nothing():
    base = krippendorff_alpha(KRIPPENDORFF_2011)
    padded = [(*row, None) for row in KRIPPENDORFF_2011]          # a coder who coded nothing
    padded += [(None, None, None, None, None), (None, 2, None, None, None)]
    result = krippendorff_alpha(padded)
    assert result.value == pytest.approx(base.value)
    assert (result.units, result.pairable_values) == (base.units, base.pairable_values)
    # kappa leaves out the units one of the two coders did not code
    pairs = [*TEXTBOOK_2X2, ("yes", None), (None, "no"), (None, None)]
    assert cohen_kappa(pairs).value == pytest.approx(0.4)
    assert cohen_kappa(pairs).units == 50


def test_interval_alpha_is_unchanged_by_a_linear_rescaling_and_ordinal_by_a_monotone_one():
    rng = random.Random(11)
    rows = random_units(rng, 50, 3, [1, 2, 3, 4, 5], missing=0.2, agreement=0.5)
    scaled = [tuple(None if v is None else 10 * v - 3 for v in row) for row in rows]
    bent = [tuple(None if v is None else v ** 3 for v in row) for row in rows]
    assert krippendorff_alpha(scaled, INTERVAL).value == pytest.approx(
        krippendorff_alpha(rows, INTERVAL).value)
    assert krippendorff_alpha(bent, ORDINAL).value == pytest.approx(
        krippendorff_alpha(rows, ORDINAL).value)
    assert krippendorff_alpha(bent, INTERVAL).value != pytest.approx(
        krippendorff_alpha(rows, INTERVAL).value)


def test_coincidence_matrices_add_up():
    rows = KRIPPENDORFF_2011
    whole, first, second = Coincidences(), Coincidences(), Coincidences()
    whole.add_units(rows)
    first.add_units(rows[:5])
    second.add_units(rows[5:])
    first.update(second)
    assert first.matrix == pytest.approx(whole.matrix)
    assert (first.units, first.pairable_values) == (whole.units, whole.pairable_values)
    # Krippendorff's coincidences: every row sums to n_c, the matrix to n.
    assert sum(whole.matrix.values()) == pytest.approx(40)
    assert whole.totals() == pytest.approx({1: 9, 2: 13, 3: 10, 4: 5, 5: 3})


def test_contingency_tables_add_up():
    whole, first, second = Contingency(), Contingency(), Contingency()
    for i, (a, b) in enumerate(TEXTBOOK_2X2):
        whole.add(a, b)
        (first if i % 3 else second).add(a, b)
    first.update(second)
    assert first.table == whole.table
    assert first.kappa() == whole.kappa()


@pytest.mark.parametrize("level", LEVELS)
def test_no_data_gives_none_with_a_reason(level):
    for rows in ([], [(None, None)], [(1, None), (None, 2)]):
        result = krippendorff_alpha(rows, level)
        assert result.value is None
        assert "no unit" in result.reason
    result = cohen_kappa([("a", None)])
    assert result.value is None and result.reason


@pytest.mark.parametrize("level", LEVELS)
def test_one_value_only_gives_none_not_nan(level):
    result = krippendorff_alpha([(3, 3, 3), (3, None, 3), (3, 3, None)], level)
    assert result.value is None
    assert "no variation" in result.reason
    assert result.pairable_values == 7
    json.dumps(result.value, allow_nan=False)
    kappa = cohen_kappa([("a", "a")] * 5)
    assert kappa.value is None
    assert "no variation" in kappa.reason


def test_kappa_is_defined_when_each_coder_used_one_different_value():
    # p_e = 0: complete disagreement, kappa = (0 - 0) / 1 = 0 -- defined.
    result = cohen_kappa([("a", "b")] * 4)
    assert result.value == 0.0


def test_a_single_disagreeing_unit():
    result = krippendorff_alpha([(1, 2)])
    assert result.value is not None and math.isfinite(result.value)
    assert result.value == pytest.approx(nltk_alpha([(1, 2)]))


def test_bad_level_and_non_numbers():
    with pytest.raises(ValueError, match="level of measurement"):
        krippendorff_alpha(KRIPPENDORFF_2011, "circular")
    with pytest.raises(TypeError, match="numbers"):
        krippendorff_alpha([("a", "b"), ("a", "a")], INTERVAL)
    with pytest.raises(TypeError, match="ordered"):
        krippendorff_alpha([("a", 1), (1, 1)], ORDINAL)
