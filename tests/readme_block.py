"""A generated block of README.md, between ``<!-- NAME:begin -->`` and
``<!-- NAME:end -->``: read to check it is up to date, written by ``--write``."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _bounds(text: str, name: str) -> tuple[int, int]:
    begin = f"<!-- {name}:begin -->"
    return text.index(begin) + len(begin), text.index(f"<!-- {name}:end -->")


def read_block(text: str, name: str) -> str:
    """The block ``name`` of ``text`` (a README's), without surrounding blank lines."""
    start, end = _bounds(text, name)
    return text[start:end].strip()


def write_block(name: str, generated: str) -> None:
    """Replace the block ``name`` of README.md with ``generated``."""
    text = README.read_text(encoding="utf-8")
    start, end = _bounds(text, name)
    README.write_text(text[:start] + "\n" + generated + "\n" + text[end:], encoding="utf-8")
