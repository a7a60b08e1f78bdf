"""Span editing for claims (pure functions); completeness is the codebook's rule
(:meth:`annotator.domain.codebook.Codebook.missing`)."""

from __future__ import annotations

import dataclasses
import re

from annotator.domain.model import Claim, check_span, span_context, utc_now

_WORD = re.compile(r"\w", re.UNICODE)


def _is_word(char: str) -> bool:
    return bool(_WORD.match(char))


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to whole words: a boundary inside a word moves to that
    word's edge. White space at either end is trimmed first."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return start, end
    while start > 0 and _is_word(text[start - 1]) and _is_word(text[start]):
        start -= 1
    while end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    return start, end


def step(text: str, position: int, direction: int, *, by_word: bool) -> int:
    """The position one character (or one word, with ``by_word``) left or right."""
    if not by_word:
        return max(0, min(len(text), position + direction))
    if direction > 0:
        i = position
        while i < len(text) and not _is_word(text[i]):
            i += 1
        while i < len(text) and _is_word(text[i]):
            i += 1
        return i
    i = position
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    return i


def with_span(claim: Claim, text: str, start: int, end: int) -> Claim:
    """``claim`` moved to ``[start, end)`` of its document's ``text``: quote and
    context are cut from the text again."""
    check_span(text, start, end)
    return dataclasses.replace(claim, start=start, end=end, **span_context(text, start, end),
                               updated_at=utc_now())


def adjust_span(claim: Claim, text: str, edge: str, direction: int, *,
                by_word: bool = False) -> Claim | None:
    """Move the claim's ``edge`` ("start" or "end") one step; None when the span
    would become empty or leave the text."""
    start, end = claim.start, claim.end
    if edge == "start":
        start = step(text, start, direction, by_word=by_word)
    else:
        end = step(text, end, direction, by_word=by_word)
    if not 0 <= start < end <= len(text) or (start, end) == (claim.start, claim.end):
        return None
    return with_span(claim, text, start, end)
