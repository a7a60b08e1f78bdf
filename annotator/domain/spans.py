"""A sorted index of claim spans for "which claims touch this range" queries.

Adding or removing one span costs O(log n) comparisons plus a list insert; a
query costs O(log n + k) in the usual case (spans no longer than the longest
one seen), so the viewer can ask it on every paint.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable


def _start(item: tuple[int, int, str]) -> int:
    return item[0]


class SpanIndex:
    """Spans ``(start, end, key)`` with ``start < end``, sorted by start."""

    def __init__(self, spans: Iterable[tuple[int, int, str]] = ()) -> None:
        self._items: list[tuple[int, int, str]] = sorted(spans)
        self._keys = {key: (start, end, key) for start, end, key in self._items}
        self._max_len = max((end - start for start, end, _ in self._items), default=0)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, start: int, end: int, key: str) -> None:
        if key in self._keys:
            self.remove(key)
        item = (start, end, key)
        insort(self._items, item)
        self._keys[key] = item
        self._max_len = max(self._max_len, end - start)

    def remove(self, key: str) -> None:
        item = self._keys.pop(key, None)
        if item is None:
            return
        i = bisect_left(self._items, item)
        del self._items[i]

    def span(self, key: str) -> tuple[int, int] | None:
        item = self._keys.get(key)
        return None if item is None else (item[0], item[1])

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Spans that share at least one position with ``[start, end)``, or contain
        ``start`` when the range is empty; sorted by start."""
        lo = bisect_left(self._items, start - self._max_len, key=_start)
        if end <= start:
            hi = bisect_right(self._items, start, key=_start)
            return [it for it in self._items[lo:hi] if it[0] <= start < it[1]]
        hi = bisect_left(self._items, end, key=_start)
        return [it for it in self._items[lo:hi] if it[1] > start and it[0] < end]

    def at(self, offset: int) -> list[tuple[int, int, str]]:
        """Spans containing ``offset``, innermost (shortest) first."""
        return sorted(self.overlapping(offset, offset), key=lambda it: (it[1] - it[0], it[0]))

    def keys_in_order(self) -> list[str]:
        return [key for _, _, key in self._items]

    def walk(self, key: str | None, direction: int, *, offset: int = 0,
             accept: Callable[[str], bool] = lambda _key: True) -> str | None:
        """The first key after (``direction`` +1) or before (-1) ``key`` in text
        order that ``accept`` takes, wrapping round; with no ``key``, start from
        code point ``offset``. Costs a binary search plus the distance walked."""
        n = len(self._items)
        if n == 0:
            return None
        item = self._keys.get(key) if key is not None else None
        if item is not None:
            i = bisect_left(self._items, item)
        else:
            # Start between the spans before and after ``offset``.
            i = bisect_left(self._items, offset, key=_start) - (1 if direction > 0 else 0)
        for step in range(1, n + 1):
            candidate = self._items[(i + direction * step) % n][2]
            if accept(candidate):
                return candidate
        return None


def assign_lanes(spans: list[tuple[int, int, str]]) -> dict[str, int]:
    """Greedy interval colouring: overlapping spans get different lanes (0, 1, ...).

    ``spans`` must be sorted by start. Used per paint on the visible spans only.
    """
    lane_ends: list[int] = []
    lanes: dict[str, int] = {}
    for start, end, key in spans:
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                lanes[key] = lane
                break
        else:
            lanes[key] = len(lane_ends)
            lane_ends.append(end)
    return lanes
