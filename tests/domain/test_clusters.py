"""Clusters (union-find), independence and the suggested credibility: properties
checked against a plain graph search."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.domain.clusters import (
    cluster_containing,
    clusters,
    corroboration,
    credibility_text,
    origin,
    suggested_credibility,
)

items = st.integers(min_value=0, max_value=30)
edges = st.lists(st.tuples(items, items), max_size=60)


def reachable(start: int, pairs: list[tuple[int, int]]) -> frozenset[int]:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                if x == node and y not in seen:
                    seen.add(y)
                    todo.append(y)
    return frozenset(seen)


@given(edges, items)
def test_a_cluster_is_what_links_reach(pairs: list[tuple[int, int]], start: int) -> None:
    assert cluster_containing(start, pairs) == reachable(start, pairs)


@given(edges, st.lists(items, max_size=5))
def test_clusters_partition_the_linked_items(pairs: list[tuple[int, int]],
                                             alone: list[int]) -> None:
    found = clusters(pairs, alone)
    everything = {x for pair in pairs for x in pair} | set(alone)
    assert set().union(*found) == everything if found else not everything
    assert sum(map(len, found)) == len(everything)           # disjoint
    for group in found:
        assert reachable(next(iter(group)), pairs) == group
    assert [len(g) for g in found] == sorted((len(g) for g in found), reverse=True)


@given(edges)
def test_clusters_do_not_depend_on_link_order_or_direction(pairs: list[tuple[int, int]]) -> None:
    flipped = [(b, a) for a, b in reversed(pairs)]
    assert set(clusters(pairs)) == set(clusters(flipped))


@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", None]),
                          st.sampled_from(["Reuters", " reuters ", "AP", ""]),
                          st.sampled_from(["d1", "d2", "d3"])), min_size=1, max_size=12))
def test_corroboration_counts_each_origin_once(appearances) -> None:  # type: ignore[no-untyped-def]
    origins = [origin(*a) for a in appearances]
    count = corroboration(origins)
    assert 1 <= count <= len(appearances)
    assert corroboration(origins + origins) == count        # repeating adds nothing
    expected = set()
    for source_id, publisher, document in appearances:
        expected.add(("s", source_id) if source_id else
                     ("p", publisher.strip().lower()) if publisher.strip() else ("d", document))
    assert count == len(expected)


def test_origin_prefers_the_source_then_the_publisher_then_the_document() -> None:
    assert origin("src", "Reuters", "d1") == origin("src", "AP", "d2")
    assert origin(None, "Reuters", "d1") == origin(None, "  REUTERS", "d2")
    assert origin(None, "", "d1") != origin(None, "", "d2")
    assert origin(None, "Reuters", "d1") != origin("Reuters", "", "d1")


@given(st.integers(min_value=0, max_value=50))
def test_suggestion_follows_the_admiralty_rule(count: int) -> None:
    grade = suggested_credibility(count)
    assert grade == (1 if count >= 3 else 2 if count == 2 else None)
    if grade is not None:       # more sources never suggest a worse grade
        assert suggested_credibility(count + 1) <= grade
    text = credibility_text(grade)
    assert text.startswith(str(grade)) if grade else text == ""


def test_credibility_text_names_the_grade() -> None:
    assert credibility_text(1) == "1 – Confirmed by other sources"
    assert credibility_text(2) == "2 – Probably true"
