"""Counts as people read them."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 claim``, ``2 claims``, ``10,000 claims``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
