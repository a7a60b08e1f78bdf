"""SpanIndex and assign_lanes against brute-force references on random spans."""

from __future__ import annotations

import random

import pytest

from annotator.domain.spans import SpanIndex, assign_lanes


def brute_overlapping(spans: dict[str, tuple[int, int]], start: int, end: int):
    if end <= start:
        hits = [(s, e, k) for k, (s, e) in spans.items() if s <= start < e]
    else:
        hits = [(s, e, k) for k, (s, e) in spans.items() if s < end and e > start]
    return sorted(hits)


def brute_at(spans, offset):
    return sorted(brute_overlapping(spans, offset, offset), key=lambda it: (it[1] - it[0], it[0]))


def random_span(rng: random.Random, text_length: int) -> tuple[int, int]:
    start = rng.randrange(text_length)
    # Mostly short spans, sometimes very long ones (the index tracks the longest).
    length = rng.randint(1, 8) if rng.random() < 0.9 else rng.randint(20, text_length)
    return start, min(text_length, start + length)


@pytest.mark.parametrize("seed", range(8))
def test_index_matches_brute_force_under_random_edits(seed):
    rng = random.Random(seed)
    text_length = 120
    reference: dict[str, tuple[int, int]] = {}
    index = SpanIndex()
    keys = [f"k{i}" for i in range(40)]
    for step in range(400):
        key = rng.choice(keys)
        if rng.random() < 0.65:
            start, end = random_span(rng, text_length)
            index.add(start, end, key)        # re-adding a key moves it
            reference[key] = (start, end)
        else:
            index.remove(key)                  # removing a missing key is a no-op
            reference.pop(key, None)

        assert len(index) == len(reference)
        assert set(index.keys_in_order()) == set(reference)
        assert index.keys_in_order() == [k for _, _, k in sorted(
            (s, e, k) for k, (s, e) in reference.items())]
        for k in keys:
            assert (k in index) == (k in reference)
            assert index.span(k) == reference.get(k)
        if step % 10 == 0:
            for _ in range(25):
                a = rng.randint(-5, text_length + 5)
                b = rng.randint(-5, text_length + 5)
                assert index.overlapping(a, b) == brute_overlapping(reference, a, b), (a, b)
            for offset in range(-1, text_length + 2):
                assert index.at(offset) == brute_at(reference, offset), offset


def test_constructor_takes_unsorted_spans():
    spans = [(10, 20, "b"), (0, 100, "long"), (5, 6, "a"), (15, 16, "c")]
    index = SpanIndex(spans)
    reference = {k: (s, e) for s, e, k in spans}
    assert index.keys_in_order() == ["long", "a", "b", "c"]
    for offset in range(0, 101):
        assert index.at(offset) == brute_at(reference, offset)
    # innermost first
    assert [k for _, _, k in index.at(15)] == ["c", "b", "long"]
    # touching at a boundary is not overlapping
    assert index.overlapping(20, 30) == [(0, 100, "long")]
    assert index.overlapping(6, 10) == [(0, 100, "long")]


def depth(spans):
    """The most spans covering any one position (the fewest lanes possible)."""
    points = sorted({s for s, _, _ in spans})
    return max((sum(1 for s, e, _ in spans if s <= p < e) for p in points), default=0)


@pytest.mark.parametrize("seed", range(20))
def test_assign_lanes_separates_overlapping_spans(seed):
    rng = random.Random(1000 + seed)
    spans = []
    for i in range(rng.randint(0, 40)):
        start = rng.randrange(100)
        spans.append((start, start + rng.randint(1, 25), f"s{i}"))
    spans.sort()
    lanes = assign_lanes(spans)
    assert set(lanes) == {k for _, _, k in spans}
    for i, (s1, e1, k1) in enumerate(spans):
        for s2, e2, k2 in spans[i + 1:]:
            if s1 < e2 and s2 < e1:
                assert lanes[k1] != lanes[k2], (k1, k2)
    # Greedy colouring of start-sorted intervals is optimal: no lane is wasted.
    used = set(lanes.values())
    assert used == set(range(len(used)))
    assert len(used) == depth(spans)


def test_touching_spans_share_a_lane():
    assert assign_lanes([(0, 5, "a"), (5, 8, "b")]) == {"a": 0, "b": 0}
