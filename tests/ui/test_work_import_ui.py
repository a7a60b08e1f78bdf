"""Issue 11 in the window: a colleague's work is read on a worker thread (progress,
busy cursor, Cancel), their codebook's mapping is shown before anything is
written, and the Agreement panel says which documents it left out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from annotator.domain.codebook import Dimension, Label, with_labels
from annotator.domain.exchange import How
from annotator.domain.model import Claim
from annotator.review import Matching
from annotator.services import packages
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from annotator.ui import plain
from annotator.ui.agreement_panel import CORPUS, DOCUMENT, AgreementPanel
from annotator.ui.main_window import MainWindow
from annotator.ui.mapping_dialog import MappingDialog
from tests.review.scenario import H800, NASDAQ, merics
from tests.ui.work_import import import_and_wait

NEW_PROPOSITION = "DeepSeek's costs are understated"


def rename_unclear(window: MainWindow) -> None:
    assert window.codebook_controller is not None
    codebook = window.codebook
    labels = [dataclasses.replace(label, key="undetermined", name="Undetermined")
              if label.key == "unclear" else label for label in codebook.of(Dimension.STANCE)]
    window.codebook_controller.apply(with_labels(codebook, Dimension.STANCE, labels),
                                     "Rename unclear",
                                     renames={Dimension.STANCE: {"unclear": "undetermined"}})


def colleague(path: Path, claims: int = 0) -> Path:
    """Bob's project: the seeds, a label of his own ("maybe"), and his claims."""
    service = ProjectService.open(path, create=True)
    try:
        import_sample_corpus(service)
        books = CodebookService(service.database)
        codebook = books.codebook()
        books.apply(with_labels(codebook, Dimension.STANCE, [
            *codebook.of(Dimension.STANCE), Label(Dimension.STANCE, "maybe", "Maybe")]),
            "Add maybe")
        document = merics(service)
        nasdaq, h800 = document.text.index(NASDAQ), document.text.index(H800)
        service.add_claims([
            Claim.new(document, nasdaq, nasdaq + len(NASDAQ), annotator="bob",
                      stance="unclear"),
            Claim.new(document, h800, h800 + len(H800), annotator="bob", stance="maybe",
                      proposition=NEW_PROPOSITION)])
        service.add_claims([Claim.new(document, n % 500, n % 500 + 10 + n // 500,
                                      annotator="bob", stance="supports")
                            for n in range(claims)])
    finally:
        service.close()
    return path


def rows(dialog: MappingDialog) -> list[tuple[str, str, str]]:
    table = dialog.table
    found = []
    for row in range(table.rowCount()):
        combo = dialog.combos.get(row)
        here = combo.currentText() if combo is not None else table.item(row, 1).text()
        found.append((table.item(row, 0).text(), here, table.item(row, 2).text()))
    return found


def test_the_mapping_is_shown_and_chosen_before_anything_is_written(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    rename_unclear(window)
    bob = colleague(tmp_path / "bob.annotator.sqlite")
    monkeypatch.setattr(plain, "inform", lambda *_args: None)
    assert window.service is not None
    seen: list[list[tuple[str, str, str]]] = []

    def decide(dialog: MappingDialog) -> None:
        assert window.service is not None and window.service.claim_count() == 0
        seen.append(rows(dialog))
        assert not dialog.import_button.isEnabled()     # "maybe" needs a choice
        maybe = next(r for r, (theirs, _, _) in enumerate(seen[0]) if "maybe" in theirs)
        dialog.choose(maybe, "refutes")
        assert dialog.import_button.isEnabled()
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    report = import_and_wait(qtbot, window, bob, decide=decide)
    assert seen == [[
        ("Stance: maybe (Maybe)", "Choose…", "cannot map"),
        ("Stance: unclear (Unclear)", "undetermined", "renamed (codebook history)"),
        (f"Proposition: {NEW_PROPOSITION}", "Add as a new proposition", "new: will be added"),
    ]]
    assert isinstance(report, packages.DatasetImportReport) and report.claims_added == 2
    stances = sorted(str(c.stance) for c in window.service.claims(merics(window.service).id))
    assert stances == ["refutes", "undetermined"]
    assert [label.key for label in window.codebook.of(Dimension.STANCE)] == [
        "supports", "refutes", "neutral", "undetermined"]
    assert [p.text for p in window.codebook.propositions] == [NEW_PROPOSITION]


def test_cancel_in_the_mapping_dialog_imports_nothing(
        qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rename_unclear(window)
    bob = colleague(tmp_path / "bob.annotator.sqlite")
    assert window.service is not None
    before = CodebookService(window.service.database).codebook()
    report = import_and_wait(qtbot, window, bob, decide=lambda dialog: dialog.reject())
    assert report is None
    assert window.service.claim_count() == 0
    assert CodebookService(window.service.database).codebook() == before
    assert not window.files.importing_work


@pytest.mark.slow
def test_a_large_import_runs_in_the_background_and_cancel_stores_no_claim(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    bob = colleague(tmp_path / "bob.annotator.sqlite", claims=8000)
    told: list[str] = []
    monkeypatch.setattr(plain, "inform", lambda _p, title, _text: told.append(title))
    files = window.files
    finished: list[object] = []
    files.work_finished.connect(finished.append)
    assert window.import_work(str(bob))
    assert window.cursor().shape() == Qt.CursorShape.BusyCursor
    assert files._work is not None
    progress = files._work[1]
    # A project still as new takes bob's codebook whole: only his new proposition shows.
    qtbot.waitUntil(lambda: files.mapping_dialog is not None, timeout=60_000)
    assert [entry.how for entry in files.mapping_dialog.mapping.entries
            if entry.how is not How.SAME] == [How.NEW]
    files.mapping_dialog.accept()
    qtbot.waitUntil(lambda: files._work is not None
                    and "Storing their claims" in files._work[1].labelText(), timeout=60_000)
    progress = files._work[1]
    assert progress.maximum() == 8002 and 0 <= progress.value() < 8002
    progress.findChild(QPushButton).click()        # its Cancel button
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert finished == [None] and told == ["Import cancelled"]
    assert window.service is not None and window.service.claim_count() == 0
    assert window.codebook.label(Dimension.STANCE, "maybe") is None
    assert window.cursor().shape() == Qt.CursorShape.ArrowCursor
    assert not files.importing_work


def test_the_agreement_panel_names_the_documents_left_out(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    me = ProjectService.open(tmp_path / "me.annotator.sqlite", create=True)
    bob_path = tmp_path / "bob.annotator.sqlite"
    bob = ProjectService.open(bob_path, create=True)
    try:
        import_sample_corpus(me)
        import_sample_corpus(bob)
        mine = merics(me)
        other = next(me.document(d.id) for d in me.documents() if d.id != mine.id)
        start = mine.text.index(NASDAQ)
        me.add_claims([Claim.new(mine, start, start + len(NASDAQ), annotator="me"),
                       Claim.new(other, 0, 20, annotator="me")])
        for document in bob.documents():        # bob deletes all but MERICS
            if document.id != mine.id:
                with bob.database.writing() as session:
                    session.execute(
                        __import__("sqlalchemy").text("DELETE FROM documents WHERE id = :d"),
                        {"d": document.id})
        bob.add_claim(Claim.new(bob.document(mine.id), start, start + len(NASDAQ),
                                annotator="bob"))
        bob.close()
        packages.import_work(me, bob_path)
        report = ReviewService(me).agreement(["me", "bob"], Matching())
    finally:
        me.close()
    panel = AgreementPanel()
    qtbot.addWidget(panel)
    panel.set_report(report, other.id)
    panel.set_scope(DOCUMENT)
    assert "This document is left out: not every compared analyst has it" in \
        panel.summary.text()
    panel.set_scope(CORPUS)
    assert f"Left out: 1 document not every compared analyst has ({other.title})." in \
        panel.summary.text()
    assert "Corpus (1 document)" in panel.summary.text()
