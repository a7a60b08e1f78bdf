"""Counts and messages as people read them."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``10,000 claims``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


#: Longest reason a message keeps (characters): a reason may quote a field or a
#: damaged file's bytes, and a 5 MB field must not make a 5 MB message.
MAX_REASON_CHARS = 200


def shorten(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split()) if len(text) <= 4 * limit else " ".join(
        text[:4 * limit].split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
