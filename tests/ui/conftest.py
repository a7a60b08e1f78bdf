from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QSettings
from PySide6.QtTest import QAbstractItemModelTester

from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    settings = UiSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name("alice")
    return settings


@pytest.fixture
def check_model(qtmodeltester, capfd, qtlog) -> Iterator[Callable[[QAbstractItemModel], None]]:  # type: ignore[no-untyped-def]
    """Attach pytest-qt's model tester to a model, which it checks now and after
    every change the model signals. Two testers: ``qtmodeltester`` in Python
    (``force_py``: a broken rule raises in the test) on the model checked first,
    and Qt's own ``QAbstractItemModelTester`` on every model checked, whose
    failures Qt only prints to stderr ("qt.modeltest: FAIL! ..."): they fail the
    test at teardown. (``qtmodeltester.check`` without ``force_py`` uses Qt's
    tester in that mode and so never fails a test.)"""
    checked: list[QAbstractItemModel] = []

    def check(model: QAbstractItemModel) -> None:
        if not checked:
            qtmodeltester.check(model, force_py=True)
        QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning,
                                 model)        # lives as long as the model
        checked.append(model)

    yield check
    printed = capfd.readouterr().err
    logged = "\n".join(r.message for r in qtlog.records if "FAIL!" in r.message)
    assert "FAIL!" not in printed + logged, "Qt's model tester:\n" + printed + logged


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
