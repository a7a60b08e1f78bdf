"""Claims across documents: clusters of the same claim, independent sources and
the credibility grade corroboration suggests. Pure: no Qt, no SQL.

A *cluster* is what confirmed ``same`` links join: claim A linked to B and B to C
make A, B and C one cluster (links are symmetric and transitive), as the
connected components of the link graph.

*Independence.* Two appearances of a claim corroborate each other only when
they come from different origins. An appearance's origin is, in this order:

1. the claim's source (``source_id``: the person or organisation the analyst
   says makes the claim), when set;
2. otherwise the document's publisher (its ``source`` field, compared without
   case and extra spaces), when set;
3. otherwise the document itself (nothing says who stands behind it).

The corroboration count of a cluster is the number of distinct origins among
its appearances: a source quoted in three articles counts once; two articles
of one publisher that name no source count once. It is derived, never typed.

*Suggested credibility* (the Admiralty scale's information credibility, 1–6)
follows from the count of *other* independent sources, the claim's own origin
being one of the count: two or more others → 1 "confirmed by other sources";
one other → 2 "probably true"; none → no suggestion (corroboration says
nothing; the analyst grades on other grounds). It only suggests: it is never
written to a claim unless the analyst applies it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)

#: Information credibility grades (Admiralty scale) by number.
CREDIBILITY_NAMES = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}


class UnionFind:
    """Disjoint sets of hashable items (path halving, union by size)."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._parent: dict[Hashable, Hashable] = {}
        self._size: dict[Hashable, int] = {}
        for item in items:
            self.add(item)

    def add(self, item: Hashable) -> None:
        if item not in self._parent:
            self._parent[item] = item
            self._size[item] = 1

    def find(self, item: Hashable) -> Hashable:
        self.add(item)
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: Hashable, b: Hashable) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self._size[ra] < self._size[rb]:
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._size[ra] += self._size[rb]

    def groups(self) -> list[frozenset]:
        """Every set, largest first (then by their smallest item's text)."""
        by_root: dict[Hashable, set] = {}
        for item in self._parent:
            by_root.setdefault(self.find(item), set()).add(item)
        return sorted((frozenset(g) for g in by_root.values()),
                      key=lambda g: (-len(g), min(map(str, g))))


def clusters(pairs: Iterable[tuple[T, T]], items: Iterable[T] = ()) -> list[frozenset[T]]:
    """The connected components of the undirected graph of ``pairs`` (plus each
    of ``items`` alone when no pair names it)."""
    found = UnionFind(items)
    for a, b in pairs:
        found.union(a, b)
    return found.groups()  # type: ignore[return-value]


def cluster_containing(item: T, pairs: Iterable[tuple[T, T]]) -> frozenset[T]:
    """The component of ``item`` (``{item}`` when no pair names it)."""
    found = UnionFind([item])
    for a, b in pairs:
        found.union(a, b)
    root = found.find(item)
    return frozenset(x for x in found._parent if found.find(x) == root)  # type: ignore[misc]


def origin(source_id: str | None, publisher: str, document_id: str) -> str:
    """Where an appearance comes from, for independence (see the module's text)."""
    if source_id:
        return f"source:{source_id}"
    publisher = " ".join(publisher.split()).casefold()
    if publisher:
        return f"publisher:{publisher}"
    return f"document:{document_id}"


def corroboration(origins: Iterable[str]) -> int:
    """The number of distinct independent origins (see :func:`origin`)."""
    return len(set(origins))


def suggested_credibility(count: int) -> int | None:
    """The information credibility ``count`` distinct independent sources (the
    claim's own among them) suggest: 1 with two or more others, 2 with one
    other, None (no suggestion) with none."""
    others = count - 1
    if others >= 2:
        return 1
    if others == 1:
        return 2
    return None


def credibility_text(grade: int | None) -> str:
    """``1 – Confirmed by other sources``; empty for None."""
    return "" if grade is None else f"{grade} – {CREDIBILITY_NAMES.get(grade, '')}"
