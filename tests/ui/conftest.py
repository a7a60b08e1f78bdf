from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QObject, QSettings
from PySide6.QtTest import QAbstractItemModelTester

from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    settings = UiSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name("alice")
    return settings


@pytest.fixture
def _checked_models() -> Iterator[list[QObject]]:
    """Keeps each checked model's top-level owner (a panel, a dialog) alive until
    the model testers are detached: set up before ``qtmodeltester``, torn down
    after it."""
    owners: list[QObject] = []
    yield owners
    owners.clear()


@pytest.fixture
def check_model(_checked_models: list[QObject], qtmodeltester, capfd,  # type: ignore[no-untyped-def]
                qtlog) -> Iterator[Callable[[QAbstractItemModel], None]]:
    """Attach pytest-qt's model tester to a model, which it checks now and after
    every change the model signals.

    Qt's own ``QAbstractItemModelTester`` goes on every model checked; Qt only
    prints its failures to stderr ("qt.modeltest: FAIL! ..."), so they fail the
    test at teardown (``qtmodeltester.check`` without ``force_py`` uses it in that
    mode and so never fails a test). The first of the app's own models checked
    also gets ``qtmodeltester``'s Python tester (``force_py``), whose failures
    raise in the test. Qt's widget models (QListWidget, QTableWidget, QComboBox)
    get Qt's tester only: the Python tester wants a ``Qt.CheckState`` where they
    give the check state as an int."""
    python_checked = False
    testers: list[QAbstractItemModelTester] = []

    def check(model: QAbstractItemModel) -> None:
        nonlocal python_checked
        owner: QObject = model
        while owner.parent() is not None:
            owner = owner.parent()
        _checked_models.append(owner)
        if not python_checked and type(model).__module__.startswith("annotator."):
            qtmodeltester.check(model, force_py=True)
            python_checked = True
        # Not a child of the model: a widget's model (QListWidget's) signals from
        # its destructor, which a child tester would answer from a dying model.
        testers.append(QAbstractItemModelTester(
            model, QAbstractItemModelTester.FailureReportingMode.Warning))

    yield check
    testers.clear()                  # deleted before the models' owners are released
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


def mark_quote(window: MainWindow, text: str, quote: str) -> str:
    """Select the first ``quote`` in ``text`` (the shown document) and mark it as a
    claim; its id."""
    start = text.index(quote)
    window.view.select_span(start, start + len(quote))
    claim = window.mark_claim()
    assert claim is not None
    return claim.id


def stored_claim(window: MainWindow, claim_id: str) -> Claim:
    """The claim as stored, read through a connection of its own."""
    assert window.service is not None
    service = ProjectService.open(window.service.location)
    try:
        return service.claim(claim_id)
    finally:
        service.close()


def type_note(qtbot, window: MainWindow, note: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``note`` into the claim panel's note, as the analyst does, and leave it."""
    window.editor.note.setFocus()
    window.editor.note.clear()
    qtbot.keyClicks(window.editor.note, note)
    window.editor.commit_note()
