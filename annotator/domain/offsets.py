"""Conversion between stored code-point offsets and the positions a Qt view uses.

The stored text is the truth. A Qt text document shows a *display* form of it,
whose positions differ from code-point offsets in two ways:

* a code point outside the Basic Multilingual Plane (most emoji) takes two
  UTF-16 units;
* ``\\r\\n`` becomes a single block separator (the ``\\r`` takes no position),
  and a lone ``\\r`` becomes a block separator of its own.

:class:`OffsetMap` is the one place this is worked out. It is pure Python so it
can be tested without Qt; the viewer is its only user.

Exports to formats that count positions in other units convert here too:
:class:`Utf16Offsets` (code points to UTF-16 code units: doccano, UIMA/INCEpTION,
JavaScript tools) and :func:`utf16_to_codepoint` (back, for the tests' readers).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

_IRREGULAR = re.compile("[\U00010000-\U0010ffff]|\r\n?")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Maps code-point offsets of ``text`` to display positions and back."""

    __slots__ = ("_cp", "_disp", "_shift", "display_text", "length")

    def __init__(self, text: str) -> None:
        cps: list[int] = []      # code-point index of each irregular character
        deltas: list[int] = []   # its display width minus one
        has_cr = "\r" in text
        # Fast paths for a 5 MB text: most have no \r, and many nothing astral either.
        if has_cr:
            matches = _IRREGULAR.finditer(text)
        elif text.isascii():
            matches = iter(())
        else:
            matches = _ASTRAL.finditer(text)
        for match in matches:
            token = match.group()
            if token == "\r\n":
                cps.append(match.start())   # the \r vanishes
                deltas.append(-1)
            elif token != "\r":
                cps.append(match.start())   # astral: two UTF-16 units
                deltas.append(1)
        self._cp = cps
        #: shift[i]: total display shift of all irregular characters before the i-th.
        self._shift = [0, *accumulate(deltas)]
        #: display position where the i-th irregular character begins.
        self._disp = [cp + self._shift[i] for i, cp in enumerate(cps)]
        self.length = len(text)
        self.display_text = text.replace("\r\n", "\n").replace("\r", "\n") if has_cr else text

    @property
    def display_length(self) -> int:
        return self.to_display(self.length)

    def to_display(self, offset: int) -> int:
        """The display position of code-point ``offset`` (0 <= offset <= len(text))."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside text of length {self.length}")
        return offset + self._shift[bisect_left(self._cp, offset)]

    def to_offset(self, position: int, *, round_up: bool = False) -> int:
        """The code-point offset of display ``position``.

        A position inside a surrogate pair moves to the start of its character,
        or to its end with ``round_up`` (use that for the end of a span), so a
        span never splits a character. A position in a ``\\r\\n`` pair's gap
        maps before the ``\\r``.
        """
        position = max(0, min(position, self.display_length))
        i = bisect_right(self._disp, position) - 1
        if i < 0:
            return position
        if position == self._disp[i]:
            return self._cp[i]
        shift_after = self._shift[i + 1]
        if shift_after > self._shift[i] and position == self._disp[i] + 1:
            # Between the two UTF-16 units of the astral character at _cp[i].
            return self._cp[i] + 1 if round_up else self._cp[i]
        return position - shift_after


class Utf16Offsets:
    """Code-point offsets of one text to UTF-16 code-unit offsets, in O(log n)
    per offset after one pass over the text's astral characters. A character
    outside the Basic Multilingual Plane (most emoji) counts 2; ``\\r\\n`` counts 2."""

    __slots__ = ("_astral",)

    def __init__(self, text: str) -> None:
        #: Code-point indexes of characters outside the BMP, ascending.
        self._astral = ([match.start() for match in _ASTRAL.finditer(text)]
                        if not text.isascii() else [])

    def __call__(self, offset: int) -> int:
        if not self._astral:
            return offset
        return offset + bisect_left(self._astral, offset)


def utf16_to_codepoint(text: str, units: int) -> int:
    """The code-point offset of UTF-16 code-unit offset ``units`` into ``text``
    (a position inside a surrogate pair raises ValueError)."""
    encoded = text.encode("utf-16-le")
    if not 0 <= 2 * units <= len(encoded):
        raise ValueError(f"UTF-16 offset {units} outside the text")
    try:
        return len(encoded[:2 * units].decode("utf-16-le"))
    except UnicodeDecodeError:
        raise ValueError(f"UTF-16 offset {units} splits a surrogate pair") from None


class FoldedLineEnds:
    """Code-point offsets of ``text`` to offsets into ``text`` with every line end
    written as one ``\\n`` (``\\r\\n`` and a lone ``\\r``), and back: for formats
    whose readers count a Windows line end as one character (REFI-QDA, whose
    programs disagree on ``\\r\\n``, gets its text with ``\\n`` only)."""

    __slots__ = ("_pairs", "folded_text", "length")

    def __init__(self, text: str) -> None:
        #: Code-point index of the ``\\r`` of each ``\\r\\n``, ascending.
        self._pairs = [i for i in range(len(text) - 1) if text[i] == "\r" and
                       text[i + 1] == "\n"] if "\r" in text else []
        self.length = len(text)
        self.folded_text = (text.replace("\r\n", "\n").replace("\r", "\n")
                            if "\r" in text else text)

    def to_folded(self, offset: int) -> int:
        """The position of code-point ``offset`` in :attr:`folded_text` (an offset
        between a ``\\r`` and its ``\\n`` goes to the line end's start)."""
        if not 0 <= offset <= self.length:
            raise ValueError(f"offset {offset} outside text of length {self.length}")
        return offset - bisect_left(self._pairs, offset) if self._pairs else offset

    def to_offset(self, position: int) -> int:
        """The code-point offset of ``position`` in :attr:`folded_text`."""
        if not 0 <= position <= len(self.folded_text):
            raise ValueError(f"position {position} outside the folded text")
        # The i-th pair's \r sits at folded position pairs[i] - i.
        low, high = 0, len(self._pairs)
        while low < high:
            middle = (low + high) // 2
            if self._pairs[middle] - middle < position:
                low = middle + 1
            else:
                high = middle
        return position + low
