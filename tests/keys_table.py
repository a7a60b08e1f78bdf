"""The README's keys table, generated from the live bindings of a real window
(the same rows as Help › Keyboard Shortcuts), so the two cannot drift.

    python -m tests.keys_table           # print the table
    python -m tests.keys_table --write   # rewrite it in README.md

tests/ui/test_keys_table.py fails while README.md holds another table.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.readme_block import read_block, write_block


def table(rows: list[tuple[str, str, str]]) -> str:
    """Markdown: one row per key, except that the digits of one mode share a row."""
    lines = ["| Where | Key | Action |", "| --- | --- | --- |"]
    merged: dict[str, list[str]] = {}
    for group, key, what in rows:
        if group.startswith("Digits in "):
            merged.setdefault(group, []).append(f"{key} {what}")
    done: set[str] = set()
    for group, key, what in rows:
        if group in merged:
            if group not in done:
                done.add(group)
                lines.append(f"| {group} | digits | {' · '.join(merged[group])} |")
            continue
        lines.append(f"| {group} | {key.replace('|', '∣')} | {what} |")
    return "\n".join(lines)


def live_rows() -> list[tuple[str, str, str]]:
    """The rows of a real window on a fresh project with the default codebook."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from annotator.services.project import ProjectService
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import UiSettings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        settings = UiSettings(QSettings(str(Path(folder) / "s.ini"),
                                        QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.set_service(ProjectService.open(Path(folder) / "p.annotator.sqlite",
                                               create=True))
        rows = window.shortcut_rows()
        window.close()
        window.deleteLater()
        app.processEvents()
    return rows


def readme_table(text: str) -> str:
    return read_block(text, "keys")


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    generated = table(live_rows())
    if "--write" in argv:
        write_block("keys", generated)
    else:
        print(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
