"""Importing a colleague's work in the window, waiting for its worker threads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.ui.main_window import MainWindow
from annotator.ui.mapping_dialog import MappingDialog


def add_what_is_new(dialog: MappingDialog) -> None:
    """What an analyst who wants every unmapped label added would choose."""
    for row, target in dialog.choices().items():
        if target == "":
            dialog.choose(row, None)
    dialog.accept()


def import_and_wait(qtbot, window: MainWindow, path: str | Path, *,  # type: ignore[no-untyped-def]
                    decide: Callable[[MappingDialog], None] = add_what_is_new,
                    timeout: int = 30_000) -> object:
    """Import ``path`` as File › Import a Colleague's Work does; ``decide`` the
    codebook mapping if the dialog opens. Returns what ``work_finished`` told
    (the report, or None)."""
    files = window.files
    told: list[object] = []
    files.work_finished.connect(told.append)
    try:
        assert window.import_work(str(path))
        qtbot.waitUntil(lambda: bool(told) or files.mapping_dialog is not None,
                        timeout=timeout)
        if not told and files.mapping_dialog is not None:
            decide(files.mapping_dialog)
        qtbot.waitUntil(lambda: bool(told), timeout=timeout)
    finally:
        files.work_finished.disconnect(told.append)
    return told[0]
