"""Who codes which document: a deterministic plan for blind double coding.

:func:`plan_assignments` gives each document to one analyst and a share of them
(``overlap``, 0 to 1: ``round(overlap * N)`` of the N documents) to two distinct
analysts, so their agreement can be measured. Workloads stay balanced: in a
fresh plan any two analysts' numbers of documents differ by at most one. The
plan depends only on the input (the set of documents, the set of analysts, the
overlap and the seed), never on their order or on the run: the same request
gives the same plan. Documents that already have assignees (``existing``) keep
them untouched; only the others are planned, around them.

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: An assignment's status: the analyst is coding the document, or has finished.
ASSIGNMENT_STATUSES = ("assigned", "done")


class AssignmentError(ValueError):
    """A plan that cannot be made as asked (no analysts, a bad overlap...)."""


def double_coded_count(documents: int, overlap: float) -> int:
    """How many of ``documents`` are coded by two analysts: ``round(overlap * N)``
    (Python's rounding: halves to even)."""
    if not 0 <= overlap <= 1:
        raise AssignmentError(f"the overlap is a fraction from 0 to 1, not {overlap}")
    return round(overlap * documents)


def plan_assignments(documents: Iterable[str], analysts: Iterable[str], overlap: float,
                     seed: int | None = None, *,
                     existing: Mapping[str, Iterable[str]] | None = None
                     ) -> dict[str, tuple[str, ...]]:
    """Each document's analysts (one, or two for the double-coded share), by
    document id; see the module doc. ``existing``: assignees documents already
    have (kept as they are, counted in the workloads and in the double-coded share)."""
    docs = sorted(set(documents))
    people = sorted({a for a in analysts if a})
    if not people:
        raise AssignmentError("name at least one analyst")
    wanted = double_coded_count(len(docs), overlap)
    if wanted and len(people) < 2:
        raise AssignmentError("coding a document twice needs at least two analysts")
    before = {doc: tuple(sorted(set(existing[doc])))
              for doc in docs if existing and existing.get(doc)}
    rng = random.Random(0 if seed is None else seed)
    fresh = [doc for doc in docs if doc not in before]
    rng.shuffle(fresh)
    rank = {name: i for i, name in enumerate(rng.sample(people, len(people)))}
    load = dict.fromkeys(people, 0)
    for names in before.values():
        for name in names:
            if name in load:
                load[name] += 1
    already = sum(1 for names in before.values() if len(names) >= 2)
    doubled = min(max(wanted - already, 0), len(fresh))

    def least(count: int) -> tuple[str, ...]:
        chosen = sorted(people, key=lambda name: (load[name], rank[name]))[:count]
        for name in chosen:
            load[name] += 1
        return tuple(sorted(chosen))

    plan = dict(before)
    for i, doc in enumerate(fresh):
        plan[doc] = least(2 if i < doubled else 1)
    return {doc: plan[doc] for doc in docs}


@dataclass(frozen=True, slots=True)
class AssignmentState:
    """One analyst's assignment on a document as they see it."""

    status: str                 # assigned | done
    assignees: int              # how many analysts the document is assigned to
    waiting: int                # how many of the others have not marked it done

    @property
    def blind(self) -> bool:
        """Whether colleagues' claims on the document are hidden from this analyst:
        it is coded by two or more and not everyone has finished."""
        return self.assignees >= 2 and (self.waiting > 0 or self.status != "done")

    def describe(self) -> str:
        """"Assigned", "Done (waiting for 1)" or "Done"."""
        if self.status != "done":
            return "Assigned"
        return f"Done (waiting for {self.waiting})" if self.waiting else "Done"
