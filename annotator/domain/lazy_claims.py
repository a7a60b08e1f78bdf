"""A document's claims, each made from its stored row the first time it is used.

Opening a document with 10,000 claims shows a few dozen of them (in the viewer's
viewport and the claims table's visible rows); making every :class:`Claim` up
front cost about as much as reading the rows. :class:`LazyClaims` keeps the rows
and makes a claim when one is asked for; what opening needs from all of them
(their spans, the values of one field for the legend's counts) it answers from
the rows directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from annotator.domain.model import Claim

Row = Sequence[Any]


class LazyClaims(Sequence[Claim]):
    """Claims in text order (start, end, id), made from ``rows`` by ``make``.

    ``columns`` names the fields of a row (Claim field names); it must hold ``id``,
    ``start`` and ``end``. The rows must be in text order already."""

    __slots__ = ("_columns", "_made", "_make", "_rows", "_spans")

    def __init__(self, rows: list[Row], columns: Sequence[str],
                 make: Callable[[Row], Claim],
                 spans: list[tuple[int, int, str]] | None = None) -> None:
        self._rows = rows
        self._columns = {name: i for i, name in enumerate(columns)}
        self._make = make
        self._made: list[Claim | None] = [None] * len(rows)
        #: ``(start, end, id)`` per row, when the caller has them at hand.
        self._spans = spans

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Claim: ...
    @overload
    def __getitem__(self, index: slice) -> list[Claim]: ...

    def __getitem__(self, index: int | slice) -> Claim | list[Claim]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._rows)))]
        claim = self._made[index]
        if claim is None:
            claim = self._made[index] = self._make(self._rows[index])
        return claim

    def __iter__(self) -> Iterator[Claim]:
        for i in range(len(self._rows)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LazyClaims({len(self)} claims)"

    def made(self) -> int:
        """How many of the claims have been made so far."""
        return len(self._made) - self._made.count(None)

    def spans(self) -> list[tuple[int, int, str]]:
        """``(start, end, id)`` of every claim, in order, without making claims
        (worked out once; a copy each time, for the caller to keep)."""
        if self._spans is None:
            s, e, k = self._columns["start"], self._columns["end"], self._columns["id"]
            self._spans = [(row[s], row[e], row[k]) for row in self._rows]
        return list(self._spans)

    def values(self, field: str) -> list[Any]:
        """The stored value of ``field`` for every claim (as the claim would hold it)."""
        i = self._columns[field]
        return [row[i] for row in self._rows]


def spans_of(claims: Sequence[Claim]) -> list[tuple[int, int, str]]:
    """``(start, end, id)`` of each claim, in the given order."""
    if isinstance(claims, LazyClaims):
        return claims.spans()
    return [(c.start, c.end, c.id) for c in claims]


def values_of(claims: Sequence[Claim], field: str) -> list[Any]:
    """The value of ``field`` of each claim."""
    if isinstance(claims, LazyClaims):
        return claims.values(field)
    return [getattr(c, field) for c in claims]


class ClaimMap:
    """Claims by id, over claims given as a :class:`LazyClaims` (each made on first
    use) or any sequence, then changed one at a time."""

    __slots__ = ("_entries", "_source")

    def __init__(self, claims: Sequence[Claim] = (),
                 spans: list[tuple[int, int, str]] | None = None) -> None:
        self._source = claims
        #: A claim, or the index in ``_source`` of one not made yet.
        self._entries: dict[str, Claim | int]
        if isinstance(claims, LazyClaims):
            spans = claims.spans() if spans is None else spans
            self._entries = {key: i for i, (_, _, key) in enumerate(spans)}
        else:
            self._entries = {claim.id: claim for claim in claims}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __getitem__(self, key: str) -> Claim:
        entry = self._entries[key]
        if isinstance(entry, int):
            entry = self._entries[key] = self._source[entry]
        return entry

    def get(self, key: str | None) -> Claim | None:
        return self[key] if key in self._entries else None  # type: ignore[index]

    def __setitem__(self, key: str, claim: Claim) -> None:
        self._entries[key] = claim

    def pop(self, key: str) -> Claim | None:
        claim = self.get(key)
        self._entries.pop(key, None)
        return claim
