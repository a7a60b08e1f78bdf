"""README.md's keys table is the one the live bindings generate."""

from __future__ import annotations

from tests.keys_table import readme_table, table
from tests.readme_block import README


def test_the_readme_lists_the_live_keys(window) -> None:  # type: ignore[no-untyped-def]
    rows = window.shortcut_rows()
    assert any(key == "Enter" for _group, key, _what in rows)
    assert readme_table(README.read_text(encoding="utf-8")) == table(rows), (
        "README.md's keys table is out of date: run python -m tests.keys_table --write")
