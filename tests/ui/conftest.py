from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    settings = UiSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name("alice")
    return settings


@pytest.fixture
def window(qtbot, seeded_project: Path, ui_settings: UiSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    main = MainWindow(ui_settings)
    qtbot.addWidget(main)
    main.set_service(ProjectService.open(seeded_project))
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    yield main
    main.close()


def open_document_containing(window: MainWindow, needle: str) -> str:
    """Select, in the document list, the document whose text contains ``needle``;
    return its text."""
    for row in range(window.document_proxy.rowCount()):
        window.document_list.setCurrentIndex(window.document_proxy.index(row, 0))
        document = window.current_document
        assert document is not None
        if needle in document.text:
            return document.text
    raise AssertionError(f"no document contains {needle!r}")
