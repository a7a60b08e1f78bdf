"""Identity: the analyst's name (defaulting to the login name) goes on every new
claim, and another analyst's claims are read-only in the window."""

from __future__ import annotations

import getpass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from annotator.domain.model import Claim
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.ui.conftest import open_document_containing, stored_claim

QUOTE = "The Nasdaq plummeted three percent Monday"
OWN = "shocked the tech world"




def test_the_name_defaults_to_the_login_name(tmp_path: Path) -> None:
    settings = UiSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.annotator_name() == getpass.getuser()
    settings.set_annotator_name("  Dana  ")
    assert settings.annotator_name() == "Dana"


def test_another_analysts_claim_is_read_only(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, QUOTE)
    assert window.service is not None and window.current_document is not None
    start = text.index(QUOTE)
    theirs = Claim.new(window.current_document, start, start + len(QUOTE), annotator="bob",
                       stance="supports")
    window.service.add_claim(theirs)
    window.show_document(window.current_document.id)
    window.select_claim(theirs.id)
    window.view.setFocus()

    assert not window.editor.note.isEnabled()
    assert "bob’s claim" in window.editor.missing.text()
    qtbot.keyClick(window.view, Qt.Key.Key_2)               # would set stance "refutes"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    window.adjust_span("end", -1)
    window._on_view_span_dragged(theirs.id, start, start + 3)
    assert stored_claim(window, theirs.id) == theirs
    assert "read-only" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0

    # Alice's own claims stay editable, and carry her name.
    own = text.index(OWN)
    window.view.select_span(own, own + len(OWN))
    mine = window.mark_claim()
    assert mine is not None and mine.annotator == "alice"
    assert window.editor.note.isEnabled()
    qtbot.keyClick(window.view, Qt.Key.Key_2)
    assert stored_claim(window, mine.id).stance == "refutes"
