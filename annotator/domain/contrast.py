"""Colour contrast as WCAG 2.x defines it, for choosing text colours that stay
readable on the system's palette (light, dark or high contrast). Pure Python:
colours are ``#RRGGBB`` (or ``#RGB``) strings or ``(r, g, b)`` tuples of 0..255."""

from __future__ import annotations

from collections.abc import Sequence

#: WCAG AA: the least contrast for body text, and for large text or marks.
AA_TEXT = 4.5
AA_LARGE = 3.0

Colour = str | Sequence[int]


def rgb(colour: Colour) -> tuple[int, int, int]:
    """``(r, g, b)`` of a ``#RRGGBB``/``#RGB`` string or an RGB sequence."""
    if isinstance(colour, str):
        digits = colour.strip().lstrip("#")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        if len(digits) != 6:
            raise ValueError(f"not a #RRGGBB colour: {colour!r}")
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    red, green, blue = (int(c) for c in colour[:3])
    return red, green, blue


def hex_colour(colour: Colour) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb(colour))


def relative_luminance(colour: Colour) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio of two colours: 1 (the same) to 21 (black on white)."""
    one, two = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(one, two), min(one, two)
    return (lighter + 0.05) / (darker + 0.05)


def mix(first: Colour, second: Colour, amount: float) -> str:
    """``first`` moved ``amount`` (0..1) of the way to ``second``."""
    a, b = rgb(first), rgb(second)
    return hex_colour(tuple(round(x + (y - x) * amount) for x, y in zip(a, b, strict=True)))


def is_dark(background: Colour) -> bool:
    return relative_luminance(background) < 0.18


def readable(colour: Colour, background: Colour, minimum: float = AA_TEXT) -> str:
    """``colour`` if it has ``minimum`` contrast on ``background``; otherwise the
    least change of it towards black (on a light background) or white (on a dark
    one) that has. Keeps the hue's meaning (an orange warning stays orange-ish)."""
    target = "#FFFFFF" if is_dark(background) else "#000000"
    for step in range(0, 21):
        candidate = mix(colour, target, step / 20)
        if contrast_ratio(candidate, background) >= minimum:
            return candidate
    return target


def tinted(hue: Colour, background: Colour, text: Colour, minimum: float = AA_TEXT,
           strength: float = 0.35, others: Sequence[Colour] = ()) -> str:
    """A background tinted with ``hue`` (at most ``strength`` of it) on which
    ``text`` (and each of ``others``) keeps ``minimum`` contrast: for marking
    cells and boxes."""
    for step in range(0, 8):
        candidate = mix(background, hue, strength * (1 - step / 8))
        if all(contrast_ratio(t, candidate) >= minimum for t in (text, *others)):
            return candidate
    return hex_colour(background)
