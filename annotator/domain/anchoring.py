"""Re-anchoring claims on a new version of their document's text.

A claim remembers its quote, up to 32 code points of context each side and its
old offsets. Given the new text, :func:`reanchor` places each claim again or
reports it unplaced, never silently dropping or misplacing one:

1. **unchanged**: the new text has the quote at the old offsets with the same
   context (confidence 1.0).
2. **exact**: the quote occurs in the new text. One occurrence is taken when its
   context agrees with the claim's (or the quote is long enough to be
   distinctive); several are told apart by how much of the prefix and suffix
   they share, then by closeness to where the claim is expected (the old
   offset shifted by the edits before it when the old text is given, or scaled
   by the length change). Confidence 0.75–1.0 by context agreement, lower when
   the context could not decide.
3. **fuzzy**: the quote was edited. Short exact "seeds" (pieces of the quote
   and its context) vote for where the quote now starts; around the best
   positions :class:`difflib.SequenceMatcher` aligns the quote with the new
   text, and the aligned span is taken when at least :data:`MIN_FUZZY_RATIO` of
   the quote matches (quotes under :data:`MIN_FUZZY_QUOTE` code points also
   need half their context). Confidence is that share (weighed by context
   agreement, at most 0.9).
4. **unplaced** otherwise (the passage was deleted or rewritten): the caller
   lists it for the analyst.

Work is bounded: at most :data:`MAX_OCCURRENCES` exact occurrences are
weighed, at most :data:`MAX_CANDIDATES` fuzzy positions are aligned per claim,
and quotes longer than :data:`MAX_FUZZY_QUOTE` code points are only placed
exactly. Pure Python, no Qt and no SQL.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

MIN_FUZZY_RATIO = 0.6
MAX_OCCURRENCES = 1000
MAX_CANDIDATES = 8
MAX_FUZZY_QUOTE = 5000
#: Shorter quotes are placed fuzzily only where their context still agrees.
MIN_FUZZY_QUOTE = 8
_SEED = 12


class Anchored(Protocol):
    """What re-anchoring needs of a claim (a :class:`~annotator.domain.model.Claim` fits)."""

    @property
    def quote(self) -> str: ...
    @property
    def prefix(self) -> str: ...
    @property
    def suffix(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Method(StrEnum):
    UNCHANGED = "unchanged"
    EXACT = "exact"
    FUZZY = "fuzzy"
    UNPLACED = "unplaced"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a claim goes in the new text; ``start``/``end`` are ``None`` when unplaced."""

    start: int | None
    end: int | None
    method: Method
    confidence: float


UNPLACED = Placement(None, None, Method.UNPLACED, 0.0)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_score(anchor: Anchored, text: str, start: int, end: int) -> float:
    """How much of the claim's context the text around [start, end) keeps (0–1)."""
    total = len(anchor.prefix) + len(anchor.suffix)
    if not total:
        return 1.0
    before = text[max(0, start - len(anchor.prefix)):start]
    after = text[end:end + len(anchor.suffix)]
    left = _common_suffix(anchor.prefix, before)
    right = _common_prefix(anchor.suffix, after)
    # White space alone around a quote is no evidence of its context.
    left = left if anchor.prefix[len(anchor.prefix) - left:].strip() else 0
    right = right if anchor.suffix[:right].strip() else 0
    return (left + right) / total


class _Shift:
    """Maps old offsets to new ones through a line-level diff of the two texts."""

    def __init__(self, old: str, new: str) -> None:
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        old_starts = [0]
        for line in old_lines:
            old_starts.append(old_starts[-1] + len(line))
        new_starts = [0]
        for line in new_lines:
            new_starts.append(new_starts[-1] + len(line))
        self._blocks = [(old_starts[a], new_starts[b], old_starts[a + size] - old_starts[a])
                        for a, b, size in matcher.get_matching_blocks() if size]

    def __call__(self, offset: int) -> int | None:
        """The new offset of ``offset`` if it lies in unchanged text, else the
        offset shifted like the nearest unchanged text before it."""
        best = None
        for old_start, new_start, size in self._blocks:
            if old_start <= offset < old_start + size:
                return new_start + offset - old_start
            if old_start + size <= offset:
                best = new_start + size + (offset - old_start - size)
        return best


def reanchor(anchors: Iterable[Anchored], new_text: str,
             old_text: str | None = None) -> list[Placement]:
    """A :class:`Placement` in ``new_text`` for each anchor, in order.

    ``old_text`` (the text the anchors' offsets refer to) is optional; with it,
    an ambiguous quote is placed where the edits moved it, not merely near its
    old offset.
    """
    anchors = list(anchors)
    shift = _Shift(old_text, new_text) if old_text is not None and anchors else None
    scale = len(new_text) / len(old_text) if old_text else 1.0
    results = []
    for anchor in anchors:
        expected = shift(anchor.start) if shift is not None else None
        if expected is None:
            expected = round(anchor.start * scale)
        results.append(place(anchor, new_text, expected))
    return results


def place(anchor: Anchored, text: str, expected: int | None = None) -> Placement:
    """Place one anchor in ``text`` (see the module's steps)."""
    quote = anchor.quote
    if not quote:
        return UNPLACED
    expected = anchor.start if expected is None else expected
    if text[anchor.start:anchor.end] == quote and \
            _context_score(anchor, text, anchor.start, anchor.end) == 1.0:
        return Placement(anchor.start, anchor.end, Method.UNCHANGED, 1.0)
    exact = _exact(anchor, text, expected)
    if exact is not None:
        return exact
    if len(quote) > MAX_FUZZY_QUOTE:
        return UNPLACED
    return _fuzzy(anchor, text, expected)


def _occurrences(text: str, quote: str) -> list[int]:
    found = []
    at = text.find(quote)
    while at != -1 and len(found) < MAX_OCCURRENCES:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _exact(anchor: Anchored, text: str, expected: int) -> Placement | None:
    quote = anchor.quote
    found = _occurrences(text, quote)
    if not found:
        return None
    scored = sorted(((_context_score(anchor, text, at, at + len(quote)), -abs(at - expected), at)
                     for at in found), reverse=True)
    context, _, at = scored[0]
    distinctive = len(quote) >= 16 or context >= 0.25 or not (anchor.prefix or anchor.suffix)
    if len(scored) == 1:
        if not distinctive:
            return None      # a short quote alone, out of context: try the fuzzy route
        return Placement(at, at + len(quote), Method.EXACT, round(0.75 + 0.25 * context, 3))
    runner_up = scored[1][0]
    # When the context cannot tell the occurrences apart, the nearest to where
    # the claim is expected wins, with less confidence.
    confidence = 0.7 + 0.3 * context if context > runner_up else 0.5 + 0.2 * context
    if not distinctive and context == 0:
        return None
    return Placement(at, at + len(quote), Method.EXACT, round(confidence, 3))


def _seeds(anchor: Anchored) -> list[tuple[str, int]]:
    """Pieces of the quote and its context with their offset from the quote's start."""
    quote, prefix, suffix = anchor.quote, anchor.prefix, anchor.suffix
    size = min(_SEED, max(4, len(quote) // 3))
    seeds: list[tuple[str, int]] = []
    step = max(size, len(quote) // 8)
    for at in range(0, max(1, len(quote) - size + 1), step):
        seeds.append((quote[at:at + size], at))
    if len(quote) >= size:
        seeds.append((quote[-size:], len(quote) - size))
    if len(prefix) >= size:
        seeds.append((prefix[-size:], -size))
    if len(suffix) >= size:
        seeds.append((suffix[:size], len(quote)))
    return [(piece, offset) for piece, offset in seeds if piece.strip()]


def _fuzzy(anchor: Anchored, text: str, expected: int) -> Placement:
    quote = anchor.quote
    votes: Counter[int] = Counter()
    for piece, offset in _seeds(anchor):
        for at in _occurrences(text, piece)[:50]:
            votes[(at - offset) // 8] += 1
    if not votes:
        return UNPLACED
    candidates = sorted(votes.items(), key=lambda item: (-item[1], abs(item[0] * 8 - expected)))
    best: tuple[float, float, int, int, int] | None = None     # ratio, context, -distance, …
    slack = max(16, len(quote) // 2)
    for bucket, _ in candidates[:MAX_CANDIDATES]:
        origin = max(0, bucket * 8 - slack)
        window = text[origin:bucket * 8 + 8 + len(quote) + slack]
        matcher = difflib.SequenceMatcher(None, quote, window, autojunk=False)
        blocks = [block for block in matcher.get_matching_blocks() if block.size]
        solid = [block for block in blocks if block.size >= 3] or blocks
        if not solid:
            continue
        ratio = sum(block.size for block in solid) / len(quote)
        first, last = solid[0], solid[-1]
        # A few unmatched code points at either end of the quote (a changed first
        # letter, say) are taken to have been replaced in place.
        start = origin + first.b - (first.a if first.a <= 3 else 0)
        tail = len(quote) - (last.a + last.size)
        end = min(len(text), origin + last.b + last.size + (tail if tail <= 3 else 0))
        start = max(0, start)
        if end <= start:
            continue
        key = (ratio, _context_score(anchor, text, start, end), -abs(start - expected),
               start, end)
        if best is None or key > best:
            best = key
    if best is None or best[0] < MIN_FUZZY_RATIO:
        return UNPLACED
    ratio, context, _, start, end = best
    if len(quote) < MIN_FUZZY_QUOTE and context < 0.5:
        return UNPLACED     # a few letters found somewhere, out of context, prove nothing
    return Placement(start, end, Method.FUZZY, round(min(0.9, ratio * (0.8 + 0.2 * context)), 3))
