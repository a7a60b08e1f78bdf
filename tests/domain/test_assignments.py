"""The assignment plan of blind double coding: its invariants, for any input."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.assignments import (
    AssignmentError,
    AssignmentState,
    plan_assignments,
)

documents = st.lists(st.text("abcdef0123", min_size=1, max_size=6), max_size=60, unique=True)
analysts = st.lists(st.text("xyzuvw", min_size=1, max_size=4), min_size=2, max_size=7,
                    unique=True)
overlaps = st.floats(min_value=0, max_value=1, allow_nan=False)
seeds = st.none() | st.integers(min_value=0, max_value=2**32)


@settings(max_examples=200, deadline=None)
@given(documents, analysts, overlaps, seeds)
def test_every_document_once_a_share_twice_workloads_balanced(
        docs: list[str], names: list[str], overlap: float, seed: int | None) -> None:
    plan = plan_assignments(docs, names, overlap, seed)
    assert sorted(plan) == sorted(docs)
    for assignees in plan.values():
        assert len(assignees) in (1, 2)
        assert len(set(assignees)) == len(assignees)        # two distinct analysts
        assert set(assignees) <= set(names)
    assert sum(len(a) == 2 for a in plan.values()) == round(overlap * len(docs))
    load = Counter(name for assignees in plan.values() for name in assignees)
    loads = [load[name] for name in names]
    assert max(loads) - min(loads) <= 1


@settings(max_examples=100, deadline=None)
@given(documents, analysts, overlaps, seeds, st.randoms(use_true_random=False))
def test_the_same_request_gives_the_same_plan_whatever_the_order(
        docs: list[str], names: list[str], overlap: float, seed: int | None,
        shuffler) -> None:  # type: ignore[no-untyped-def]
    plan = plan_assignments(docs, names, overlap, seed)
    shuffled_docs, shuffled_names = list(docs), list(names)
    shuffler.shuffle(shuffled_docs)
    shuffler.shuffle(shuffled_names)
    assert plan_assignments(shuffled_docs, shuffled_names, overlap, seed) == plan


@settings(max_examples=100, deadline=None)
@given(documents, documents, analysts, overlaps, seeds)
def test_existing_assignees_are_kept_and_new_documents_planned_around_them(
        first: list[str], more: list[str], names: list[str], overlap: float,
        seed: int | None) -> None:
    before = plan_assignments(first, names, overlap, seed)
    everything = [*first, *more]
    after = plan_assignments(everything, names, overlap, seed, existing=before)
    for doc, assignees in before.items():
        assert after[doc] == assignees
    assert sorted(after) == sorted(set(everything))
    # Re-running with the plan as it stands adds nothing.
    assert plan_assignments(everything, names, overlap, seed, existing=after) == after
    # The double-coded share is reached as far as the new documents allow.
    doubled = sum(len(a) == 2 for a in after.values())
    already = sum(len(a) == 2 for a in before.values())
    fresh = len(set(more) - set(first))
    assert doubled == max(already, min(round(overlap * len(after)), already + fresh))


def test_seeds_choose_different_plans_and_bad_requests_are_refused() -> None:
    docs = [f"d{i}" for i in range(30)]
    plans = {tuple(sorted(plan_assignments(docs, ["a", "b", "c"], 0.2, seed).items()))
             for seed in range(5)}
    assert len(plans) > 1
    with pytest.raises(AssignmentError, match="at least two analysts"):
        plan_assignments(docs, ["a"], 0.5)
    with pytest.raises(AssignmentError, match="from 0 to 1"):
        plan_assignments(docs, ["a", "b"], 1.5)
    with pytest.raises(AssignmentError, match="at least one analyst"):
        plan_assignments(docs, [], 0)
    assert plan_assignments(docs, ["a"], 0) == {d: ("a",) for d in docs}


def test_an_assignment_is_blind_until_every_assignee_is_done() -> None:
    assert AssignmentState("assigned", 2, 1).blind
    assert AssignmentState("done", 2, 1).blind
    assert not AssignmentState("done", 2, 0).blind
    assert not AssignmentState("assigned", 1, 0).blind
    assert AssignmentState("done", 3, 1).describe() == "Done (waiting for 1)"
    assert AssignmentState("assigned", 2, 1).describe() == "Assigned"
    assert AssignmentState("done", 2, 0).describe() == "Done"
