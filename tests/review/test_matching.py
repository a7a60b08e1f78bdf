"""Span matching between analysts: exact and overlap, one-to-one, greedy by best
score, deterministic; units by all / some / one; label disagreements."""

from __future__ import annotations

import itertools
import random

import pytest

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim
from annotator.review import (
    BY_ALL,
    BY_ONE,
    BY_SOME,
    Matching,
    compare,
    compare_document,
    count_matches,
    match_pairs,
    span_score,
)
from annotator.review.matching import _candidates

_ids = itertools.count()


def claim(analyst: str, start: int, end: int, document: str = "doc-1", **labels) -> Claim:
    return Claim(id=f"{analyst}-{start}-{end}-{next(_ids):05d}", document_id=document,
                 start=start, end=end, quote="x" * (end - start), annotator=analyst, **labels)


def spans(units, analyst):
    return [(u.claims[analyst].start, u.claims[analyst].end) if analyst in u.claims else None
            for u in units]


# Scores and settings --------------------------------------------------------------------

def test_scores():
    assert span_score("jaccard", 0, 10, 0, 10) == 1.0
    assert span_score("jaccard", 0, 10, 0, 20) == 0.5
    assert span_score("jaccard", 0, 10, 5, 15) == pytest.approx(5 / 15)
    assert span_score("overlap_ratio", 0, 10, 0, 20) == 1.0     # over the shorter span
    assert span_score("overlap_ratio", 0, 10, 5, 25) == 0.5
    assert span_score("jaccard", 0, 10, 10, 20) == 0.0          # touching is not overlapping
    assert span_score("exact", 0, 10, 0, 10) == 1.0
    assert span_score("exact", 0, 10, 0, 11) == 0.0


@pytest.mark.parametrize("measure, threshold", [("fuzzy", 0.5), ("jaccard", 0.0),
                                                 ("jaccard", 1.5), ("overlap_ratio", -1)])
def test_bad_settings(measure, threshold):
    with pytest.raises(ValueError, match="matching"):
        Matching(measure, threshold)


def test_threshold_is_inclusive_and_needs_a_shared_character():
    a, b = claim("A", 0, 10), claim("B", 0, 20)
    assert Matching("jaccard", 0.5).matches(a, b)
    assert not Matching("jaccard", 0.51).matches(a, b)
    assert len(match_pairs([a], [b], Matching("jaccard", 0.5))) == 1
    assert match_pairs([a], [b], Matching("jaccard", 0.51)) == []
    assert match_pairs([a], [claim("B", 10, 20)], Matching("overlap_ratio", 0.01)) == []


# Two analysts ---------------------------------------------------------------------------

def test_exact_matching_is_one_to_one():
    a1, a2 = claim("A", 0, 10), claim("A", 0, 10)         # the same span twice
    b1 = claim("B", 0, 10)
    pairs = match_pairs([a1, a2], [b1, claim("B", 0, 11)], Matching("exact"))
    assert len(pairs) == 1
    assert pairs[0][1] is b1
    assert pairs[0][0] is min(a1, a2, key=lambda c: c.id)  # ties: by claim id
    assert count_matches([a1, a2], [b1, claim("B", 0, 11)], Matching("exact")) == 1


def test_greedy_takes_the_best_overlap_first():
    a1, a2, b = claim("A", 0, 10), claim("A", 5, 15), claim("B", 4, 14)
    # b against a1: 6 / 14 = 0.43; against a2: 9 / 11 = 0.82
    pairs = match_pairs([a1, a2], [b], Matching("jaccard", 0.3))
    assert pairs == [(a2, b)]


def test_one_to_one_with_ties_broken_by_text_order():
    long = claim("A", 0, 20)
    first, second = claim("B", 0, 10), claim("B", 10, 20)
    pairs = match_pairs([long], [second, first], Matching("overlap_ratio", 0.5))
    assert pairs == [(long, first)]                   # both score 1.0: the earlier wins


def test_reference_and_compared_sides_are_kept():
    a, b = claim("A", 0, 10), claim("B", 1, 10)
    assert match_pairs([a], [b]) == [(a, b)]
    assert match_pairs([b], [a]) == [(b, a)]


def random_claims(rng: random.Random, analysts: list[str], count: int, length: int = 400,
                  document: str = "doc-1") -> list[Claim]:
    result = []
    for analyst in analysts:
        for _ in range(count):
            start = rng.randrange(length - 1)
            size = rng.randint(1, 12) if rng.random() < 0.85 else rng.randint(20, length // 2)
            result.append(claim(analyst, start, min(length, start + size), document))
    return result


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("measure", ["jaccard", "overlap_ratio", "exact"])
def test_sweep_finds_every_matching_pair(seed, measure):
    """The sweep line's candidate pairs against checking every pair."""
    rng = random.Random(seed)
    matching = Matching(measure, rng.choice([0.1, 0.3, 0.5, 0.8, 1.0]))
    claims = sorted(random_claims(rng, ["A", "B", "C"], 30, length=120),
                    key=lambda c: (c.start, c.end, c.annotator, c.id))
    items = [(c.start, c.end, "ABC".index(c.annotator)) for c in claims]
    found = {(i, j) for _, i, j in _candidates(items, matching)}
    expected = {(i, j) for i, j in itertools.combinations(range(len(claims)), 2)
                if claims[i].annotator != claims[j].annotator
                and matching.matches(claims[i], claims[j])}
    assert found == expected


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("measure", ["jaccard", "overlap_ratio", "exact"])
def test_two_analyst_matching_is_a_greedy_one_to_one_matching(seed, measure):
    rng = random.Random(seed)
    matching = Matching(measure, rng.choice([0.2, 0.5, 0.7]))
    claims = random_claims(rng, ["A", "B"], 25, length=150)
    reference = [c for c in claims if c.annotator == "A"]
    compared = [c for c in claims if c.annotator == "B"]
    pairs = match_pairs(reference, compared, matching)
    partner = {}
    for a, b in pairs:
        assert a in reference and b in compared
        assert matching.matches(a, b)
        assert a.id not in partner and b.id not in partner          # one-to-one
        partner[a.id] = matching.score(a, b)
        partner[b.id] = matching.score(a, b)
    for a in reference:
        for b in compared:
            if not matching.matches(a, b) or (a, b) in pairs:
                continue
            # A pair left out: one of them was taken by a pair at least as good.
            score = matching.score(a, b)
            assert max(partner.get(a.id, -1), partner.get(b.id, -1)) >= score
    assert count_matches(reference, compared, matching) == len(pairs)
    document = compare_document(claims, ["A", "B"], matching)
    assert document.pair_matches == {("A", "B"): len(pairs)}
    assert sum(1 for u in document.units if u.matched) == len(pairs)


def test_result_does_not_depend_on_input_order():
    rng = random.Random(3)
    claims = random_claims(rng, ["A", "B", "C"], 40)
    expected = compare_document(claims, ["A", "B", "C"])
    for _ in range(5):
        rng.shuffle(claims)
        again = compare_document(claims, ["A", "B", "C"])
        assert [{a: c.id for a, c in u.claims.items()} for u in again.units] == \
               [{a: c.id for a, c in u.claims.items()} for u in expected.units]


# Several analysts -----------------------------------------------------------------------

def test_units_by_all_some_and_one():
    claims = [
        claim("A", 0, 10), claim("B", 0, 10), claim("C", 1, 10),      # all (one moved)
        claim("A", 20, 30), claim("C", 20, 30),                         # some
        claim("B", 40, 50),                                              # one
        claim("C", 60, 70), claim("A", 65, 90),                          # too little overlap
    ]
    document = compare_document(claims, ["A", "B", "C"], Matching("jaccard", 0.5))
    assert [u.coverage for u in document.units] == [BY_ALL, BY_SOME, BY_ONE, BY_ONE, BY_ONE]
    assert [u.analysts for u in document.units] == [("A", "B", "C"), ("A", "C"), ("B",),
                                                    ("C",), ("A",)]
    first = document.units[0]
    assert (first.start, first.end, first.same_span) == (0, 10, False)
    assert document.units[1].same_span
    assert document.claims_of("C") == [claims[2], claims[4], claims[6]]
    assert document.pair_matches == {("A", "B"): 1, ("A", "C"): 2, ("B", "C"): 1}


def test_a_unit_never_chains_through_a_middle_analyst():
    # A-B and B-C overlap enough (7 / 13 each), A-C do not (4 / 16).
    claims = [claim("A", 0, 10), claim("B", 3, 13), claim("C", 6, 16)]
    document = compare_document(claims, ["A", "B", "C"], Matching("jaccard", 0.5))
    assert [u.analysts for u in document.units] == [("A", "B"), ("C",)]
    # pairwise, each pair matches on its own
    assert document.pair_matches == {("A", "B"): 1, ("A", "C"): 0, ("B", "C"): 1}


@pytest.mark.parametrize("seed", range(6))
def test_every_unit_is_a_set_of_mutually_matching_claims(seed):
    rng = random.Random(50 + seed)
    matching = Matching(rng.choice(["jaccard", "overlap_ratio"]), rng.choice([0.3, 0.5, 0.7]))
    analysts = ["A", "B", "C", "D"]
    claims = random_claims(rng, analysts, 20, length=200)
    document = compare_document(claims, analysts, matching)
    seen = [c.id for u in document.units for c in u.claims.values()]
    assert sorted(seen) == sorted(c.id for c in claims)            # each claim once
    for unit in document.units:
        assert all(c.annotator == a for a, c in unit.claims.items())
        assert list(unit.claims) == [a for a in analysts if a in unit.claims]
        for x, y in itertools.combinations(unit.claims.values(), 2):
            assert matching.matches(x, y)
    starts = [u.start for u in document.units]
    assert starts == sorted(starts)                                # text order


def test_label_disagreements():
    claims = [
        claim("A", 0, 10, stance="supports", source_reliability="B", info_credibility=2),
        claim("B", 0, 10, stance="refutes", source_reliability="B", info_credibility=None),
        claim("A", 20, 30, stance="supports", claim_type="quantity"),
        claim("B", 20, 30, stance="supports", claim_type="quantity"),
        claim("A", 40, 50, stance="neutral"),
        claim("B", 41, 50, stance="neutral"),
    ]
    document = compare_document(claims, ["A", "B"])
    first, second, third = document.units
    assert [d.dimension for d in first.disagreements] == [Dimension.STANCE,
                                                          Dimension.INFO_CREDIBILITY]
    assert first.disagreement(Dimension.STANCE).values == {"A": "supports", "B": "refutes"}
    assert first.disagreement(Dimension.INFO_CREDIBILITY).values == {"A": 2, "B": None}
    assert first.disagreement(Dimension.CLAIM_TYPE) is None
    assert second.disagreements == () and second.agreed
    assert third.disagreements == () and not third.agreed          # boundaries moved
    assert [u for u in document.units if u.disagreements] == [first]
    assert document.differences == [first, third]


def test_compare_across_documents_and_analysts():
    claims = [claim("bob", 0, 10, "d2"), claim("alice", 0, 10, "d2"),
              claim("alice", 5, 9, "d1"), claim("carol", 5, 9, "d1"),
              claim("carol", 0, 3, "d3")]
    comparison = compare(claims)
    assert comparison.analysts == ("alice", "bob", "carol")
    assert list(comparison.documents) == ["d1", "d2", "d3"]
    two = compare(claims, ["bob", "alice"])
    assert two.analysts == ("bob", "alice")
    assert list(two.documents) == ["d1", "d2"]                     # d3 has only carol's
    assert two.documents["d1"].units[0].claims.keys() == {"alice"}
    assert two.documents["d2"].units[0].analysts == ("bob", "alice")
    chosen = compare(claims, ["alice", "bob"], document_ids=["d2", "d9"])
    assert list(chosen.documents) == ["d2", "d9"]
    assert chosen.documents["d9"].units == ()
    assert len(chosen.units) == 1


def test_compare_refuses_mixed_documents_and_repeated_analysts():
    with pytest.raises(ValueError, match="more than one document"):
        compare_document([claim("A", 0, 1, "d1"), claim("B", 0, 1, "d2")], ["A", "B"])
    with pytest.raises(ValueError, match="not all on document"):
        compare_document([claim("A", 0, 1, "d1")], ["A"], document_id="d2")
    with pytest.raises(ValueError, match="twice"):
        compare([], ["A", "A"])
