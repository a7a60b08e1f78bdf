"""Identity: the analyst's name goes on every claim they make (asked on the first
launch, prefilled with the login name); renaming offers to carry their claims to
the new name as one undoable step; the window shows and counts the analyst's own
work unless they choose colleagues', and another analyst's claims are read-only.

Real windows on real project files; a colleague's work comes in as a colleague
sends it (their project file, File › Import a Colleague's Work…)."""

from __future__ import annotations

import getpass
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from annotator.domain.model import Claim
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.ui import plain
from annotator.ui.identity import ColleaguesDialog, NameDialog, ask_first_name
from annotator.ui.item_models import ClaimTableModel
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from annotator.ui.tables import header_tip
from tests.review.scenario import NASDAQ, add_two_analysts
from tests.ui.conftest import mark_quote, open_document_containing, stored_claim
from tests.ui.work_import import import_and_wait

QUOTE = "The Nasdaq plummeted three percent Monday"
OWN = "shocked the tech world"
Button = QMessageBox.StandardButton


class answer_dialogs:  # noqa: N801 (used as a function)
    """Act on the next modal dialogs, one act each, in order, as the analyst
    would. ``seen``: the dialogs acted on. Gives up after two seconds per dialog,
    or when stopped."""

    def __init__(self, *acts: Callable[[QWidget], None]) -> None:
        self.seen: list[QWidget] = []
        self._pending = list(acts)
        QTimer.singleShot(0, self._poll)

    def stop(self) -> None:
        self._pending.clear()

    def _poll(self, tries: int = 200) -> None:
        if not self._pending:
            return
        widget = QApplication.activeModalWidget()
        if widget is None or (self.seen and widget is self.seen[-1]):
            if tries:
                QTimer.singleShot(10, lambda: self._poll(tries - 1))
            return
        self.seen.append(widget)
        self._pending.pop(0)(widget)
        QTimer.singleShot(0, self._poll)


def type_name(name: str) -> Callable[[QWidget], None]:
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, NameDialog)
        dialog.edit.setText(name)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    return act


def press(button: QMessageBox.StandardButton, texts: list[str]) -> Callable[[QWidget], None]:
    def act(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        box.button(button).click()
    return act


def colleague_file(tmp_path: Path, name: str = "bob") -> Path:
    """A colleague's own project: the sample corpus and five claims on the MERICS
    briefing (bob's of tests/review/scenario.py, made by ``name``)."""
    path = tmp_path / f"{name}.annotator.sqlite"
    service = ProjectService.open(path, create=True)
    try:
        import_sample_corpus(service)
        add_two_analysts(service, only="bob")
        if name != "bob":
            service.reassign_claims("bob", name)
    finally:
        service.close()
    return path


def import_colleague(qtbot, window: MainWindow, path: Path,  # type: ignore[no-untyped-def]
                     monkeypatch: pytest.MonkeyPatch) -> None:
    """File › Import a Colleague's Work… of ``path`` (waiting for its workers)."""
    told: list[str] = []
    monkeypatch.setattr(plain, "inform", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: pytest.fail(text))
    report = import_and_wait(qtbot, window, path)
    assert getattr(report, "claims_added", None) == 5, (report, told)


def rows(window: MainWindow, column: str) -> list[str]:
    """A column of the claims table, as shown."""
    proxy, at = window.claim_proxy, ClaimTableModel.HEADERS.index(column)
    return [proxy.index(r, at).data() for r in range(proxy.rowCount())]


def document_counts(window: MainWindow) -> tuple[int, int]:
    """The shown document's Claims and To do cells in the document list."""
    assert window.current_document is not None
    row = window.documents.row_of(window.current_document.id)
    assert row is not None
    return window.documents.index(row, 2).data(), window.documents.index(row, 3).data()


def annotators_in_view(window: MainWindow) -> set[str]:
    claims = {c.id: c.annotator for c in window.claims.claims()}
    return {claims[i] for i in window.view.visible_claim_ids()}


# The name --------------------------------------------------------------------------------

def test_the_name_defaults_to_the_login_name(tmp_path: Path) -> None:
    settings = UiSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.annotator_name() == getpass.getuser()
    assert not settings.has_annotator_name()
    settings.set_annotator_name("  Dana  ")
    assert settings.annotator_name() == "Dana" and settings.has_annotator_name()


def test_the_first_launch_asks_for_the_name_prefilled_with_the_login_name(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = UiSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    prefilled: list[str] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, NameDialog)
        prefilled.append(dialog.edit.text())
        dialog.reject()

    # Cancelled: the login name for now, and the question again next launch.
    answer_dialogs(cancel)
    assert ask_first_name(settings) == getpass.getuser()
    assert prefilled == [getpass.getuser()] and not settings.has_annotator_name()

    asked = answer_dialogs(type_name(" Dana Scully "))
    assert ask_first_name(settings) == "Dana Scully"
    assert len(asked.seen) == 1 and settings.annotator_name() == "Dana Scully"

    # Given once, never asked again (a dialog would be answered "Zed").
    again = answer_dialogs(type_name("Zed"))
    assert ask_first_name(settings) == "Dana Scully"
    qtbot.wait(50)
    again.stop()
    assert again.seen == [] and settings.annotator_name() == "Dana Scully"


_LAUNCH = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from annotator.ui import app as gui
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import UiSettings

    gui.create_application()
    def answer(tries=250):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries:
                QTimer.singleShot(20, lambda: answer(tries - 1))
            else:
                print("not asked")
                close()
            return
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        print("asked", dialog.windowTitle(), repr(dialog.edit.text()), len(windows))
        dialog.edit.setText("Dana Scully")
        dialog.accept()
        QTimer.singleShot(300, close)
    def close():
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                print("window shown", window.isVisible(), window.identity.shown().analyst)
                window.close()
    QTimer.singleShot(0, answer)
    code = gui.run_gui(sys.argv[1])
    print("name", UiSettings().annotator_name(), code)
""")


def test_the_app_asks_the_name_before_its_window_shows(tmp_path: Path) -> None:
    """``annotator`` (the GUI) as launched: a real process with no settings yet."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                        os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", _LAUNCH, str(tmp_path / "p.annotator.sqlite")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        f"asked Welcome to Annotator {getpass.getuser()!r} 0",
        "window shown True Dana Scully",
        "name Dana Scully 0"], result.stderr[-2000:]


def test_a_name_the_project_cannot_record_is_refused_with_the_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = NameDialog(None, "root", first=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled() and dialog.problem.text() == ""
    for bad, reason in (("   ", "empty"), ("x" * 201, "longer than 200")):
        dialog.edit.setText(bad)
        assert not ok.isEnabled() and reason in dialog.problem.text()
        dialog.accept()                       # Enter in the field: refused
        assert dialog.result() != QDialog.DialogCode.Accepted
    dialog.edit.setText("alice")
    assert ok.isEnabled() and dialog.name() == "alice"


def test_renaming_carries_your_claims_as_one_undoable_step(
        qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproduction: claims made under the login name (root) were locked once the
    analyst gave their name ("root's claim: read-only for you (alice)")."""
    window.identity.set_name("root")                 # the name defaulted to the login
    text = open_document_containing(window, QUOTE)
    first, second = mark_quote(window, text, QUOTE), mark_quote(window, text, OWN)
    import_colleague(qtbot, window, colleague_file(tmp_path), monkeypatch)
    assert document_counts(window) == (2, 2)

    window.select_claim(first)
    texts: list[str] = []
    answer_dialogs(type_name("alice"), press(Button.Yes, texts))
    window.name_action.trigger()                     # Edit › Analyst Name…

    assert texts == [texts[0]] and texts[0].startswith(
        "Carry your 2 claims from root to alice?")
    assert window.settings.annotator_name() == "alice"
    assert {stored_claim(window, i).annotator for i in (first, second)} == {"alice"}
    # (The import emptied the undo stack: the rename is its one step.)
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == \
        "Rename root to alice, carrying 2 claims"
    # Still hers: shown (the claim she was on still current), counted and editable.
    assert rows(window, "Analyst") == ["alice", "alice"]
    assert document_counts(window) == (2, 2)
    current = window.current_claim()
    assert current is not None and current.id == first and current.annotator == "alice"
    window.view.setFocus()
    assert window.read_only_reason(window.current_claim()) is None  # type: ignore[arg-type]
    qtbot.keyClick(window.view, Qt.Key.Key_2)       # stance: refutes
    assert stored_claim(window, first).stance == "refutes"
    window.undo_stack.undo()

    window.undo_stack.undo()                         # the rename, as one step
    assert window.settings.annotator_name() == "root"
    assert {stored_claim(window, i).annotator for i in (first, second)} == {"root"}
    assert rows(window, "Analyst") == ["root", "root"]
    window.undo_stack.redo()
    assert window.settings.annotator_name() == "alice"
    assert {stored_claim(window, i).annotator for i in (first, second)} == {"alice"}
    # bob's claims keep his name throughout.
    assert window.service is not None
    assert window.service.claim_count(annotators={"bob"}) == 5


def test_claims_that_cannot_be_carried_keep_the_old_name_and_say_why(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    window.identity.set_name("root")
    text = open_document_containing(window, QUOTE)
    mine = mark_quote(window, text, QUOTE)
    steps = window.undo_stack.count()
    assert window.service is not None
    with sqlite3.connect(window.service.location) as connection:
        connection.execute("CREATE TRIGGER refuse BEFORE UPDATE OF annotator ON claims "
                           "BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    failed: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: failed.append(text))

    answer_dialogs(type_name("alice"), press(Button.Yes, []))
    window.name_action.trigger()

    assert len(failed) == 1 and "disk says no" in failed[0]
    assert window.settings.annotator_name() == "root"
    assert stored_claim(window, mine).annotator == "root"
    assert window.undo_stack.count() == steps
    assert rows(window, "Analyst") == ["root"]


def test_renaming_without_carrying_leaves_the_claims_to_the_old_name(
        window: MainWindow) -> None:
    window.identity.set_name("root")
    text = open_document_containing(window, QUOTE)
    mine = mark_quote(window, text, QUOTE)
    steps = window.undo_stack.count()

    texts: list[str] = []
    answer_dialogs(type_name("alice"), press(Button.No, texts))
    window.name_action.trigger()

    assert window.settings.annotator_name() == "alice"
    assert stored_claim(window, mine).annotator == "root"
    assert window.undo_stack.count() == steps          # a preference, not an edit
    assert rows(window, "Quote") == [] and document_counts(window) == (0, 0)
    window.identity.all_action.trigger()
    window.select_claim(mine)
    reason = window.read_only_reason(window.current_claim())  # type: ignore[arg-type]
    assert reason is not None and reason.startswith("root’s claim: read-only for you (alice)")

    # Cancel at the question: nothing changes.
    answer_dialogs(type_name("carol"), press(Button.Cancel, texts))
    window.identity.set_name("root")
    window.name_action.trigger()
    assert window.settings.annotator_name() == "root"
    assert stored_claim(window, mine).annotator == "root"


# Whose claims are shown ---------------------------------------------------------------

def test_a_colleagues_claims_stay_out_of_your_own_labelling_view(
        qtbot, window: MainWindow, tmp_path: Path,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reproduction: outside Compare, a colleague's read-only claims sat in the
    viewer, the claims table, the To do counts and the status bar's total, with no
    Analyst column to tell near-duplicate rows apart."""
    text = open_document_containing(window, NASDAQ)
    mark_quote(window, text, NASDAQ)          # bob marks the same span too
    import_colleague(qtbot, window, colleague_file(tmp_path), monkeypatch)
    assert "Not shown: claims by bob" in window.statusBar().currentMessage()

    # By default, alice's own work only.
    assert window.identity.combo.currentText() == "My claims"
    assert window.identity.mine_action.isChecked()
    assert rows(window, "Analyst") == ["alice"]
    analyst = ClaimTableModel.HEADERS.index("Analyst")
    assert window.claim_table.isColumnHidden(analyst)      # it would only repeat her name
    assert annotators_in_view(window) == {"alice"}
    assert document_counts(window) == (1, 1)
    assert window.progress_label.text() == "1 claim"
    assert window.legend.summary.text() == "1 claim"

    # View › Show Claims › All Analysts: bob's too, told apart by the Analyst column.
    window.identity.all_action.trigger()
    assert window.identity.combo.currentText() == "All analysts"
    assert not window.claim_table.isColumnHidden(analyst)
    assert sorted(rows(window, "Analyst")) == ["alice"] + ["bob"] * 5
    assert annotators_in_view(window) == {"alice", "bob"}
    nasdaq = [a for a, q in zip(rows(window, "Analyst"), rows(window, "Quote"), strict=True)
              if q == NASDAQ]
    assert sorted(nasdaq) == ["alice", "bob"]
    assert document_counts(window) == (6, 6)
    assert window.progress_label.text() == "6 claims"
    at = ClaimTableModel.HEADERS.index("Analyst")
    assert "Who made the claim" in header_tip(window.claim_table, at)
    window.claim_table.sortByColumn(at, Qt.SortOrder.DescendingOrder)
    assert rows(window, "Analyst") == ["bob"] * 5 + ["alice"]
    window.claim_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

    # Back to her own claims with the box atop the legend; a new claim of hers counts.
    window.identity.combo.setFocus()
    qtbot.keyClick(window.identity.combo, Qt.Key.Key_Home)
    assert window.identity.combo.currentText() == "My claims"
    assert rows(window, "Analyst") == ["alice"] and document_counts(window) == (1, 1)
    mark_quote(window, text, OWN)
    assert rows(window, "Analyst") == ["alice", "alice"] and document_counts(window) == (2, 2)
    assert window.progress_label.text() == "2 claims"


def test_choosing_colleagues_and_the_choice_kept_per_project(
        qtbot, window: MainWindow, ui_settings: UiSettings,  # type: ignore[no-untyped-def]
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = open_document_containing(window, NASDAQ)
    mark_quote(window, text, NASDAQ)
    import_colleague(qtbot, window, colleague_file(tmp_path), monkeypatch)
    import_colleague(qtbot, window, colleague_file(tmp_path, "carol"), monkeypatch)
    assert window.service is not None
    service = window.service

    listed: list[list[str]] = []

    def choose_bob(dialog: QWidget) -> None:
        assert isinstance(dialog, ColleaguesDialog)
        listed.append([dialog.colleagues.item(i).text()
                       for i in range(dialog.colleagues.count())])
        dialog.set_chosen(["bob"])
        dialog.accept()

    answer_dialogs(choose_bob)
    window.identity.chosen_action.trigger()         # View › Show Claims › … Colleagues…
    assert listed == [["bob  ·  5 claims", "carol  ·  5 claims"]]
    assert sorted(set(rows(window, "Analyst"))) == ["alice", "bob"]
    assert window.identity.combo.currentText() == "My claims + bob"
    assert document_counts(window) == (6, 6)

    # Cancelled, the choice stays.
    answer_dialogs(lambda dialog: dialog.reject())   # type: ignore[attr-defined]
    window.identity.chosen_action.trigger()
    assert window.identity.chosen_action.isChecked()
    assert window.identity.combo.currentText() == "My claims + bob"

    # Comparing shows every analyst; leaving it, the choice again.
    window.review.compare_action.trigger()
    assert {c.annotator for c in window.claims.claims()} == {"alice", "bob", "carol"}
    window.review.compare_action.trigger()
    assert sorted(set(rows(window, "Analyst"))) == ["alice", "bob"]

    # Kept for this project, not for another.
    location = service.location
    other = tmp_path / "other.annotator.sqlite"
    assert window.open_project(other, create=True)
    assert window.identity.mine_action.isChecked()
    assert window.open_project(location)
    assert window.identity.combo.currentText() == "My claims + bob"
    fresh = MainWindow(ui_settings)
    qtbot.addWidget(fresh)
    window.close_project()
    fresh.set_service(ProjectService.open(location))
    assert fresh.identity.shown().colleagues == {"bob"}
    fresh.close()


def test_another_analysts_claim_is_read_only(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, QUOTE)
    assert window.service is not None and window.current_document is not None
    start = text.index(QUOTE)
    theirs = Claim.new(window.current_document, start, start + len(QUOTE), annotator="bob",
                       stance="supports")
    window.service.add_claim(theirs)
    window.identity.all_action.trigger()            # bob's claims shown beside hers
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
