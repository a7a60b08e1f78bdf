"""Importing from the window: a worker thread with progress and cancel, drag and
drop, the encoding preview, the document details panel, and placing claims that a
new version could not carry over."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from annotator.formats.registry import ImportOptions
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus
from annotator.ui import import_flow, plain
from annotator.ui.import_flow import EncodingDialog, ImportJob, files_to_review
from annotator.ui.main_window import MainWindow


def _on_disk(window: MainWindow) -> ProjectService:
    assert window.service is not None
    return ProjectService.open(window.service.location)


def test_dropping_files_imports_them_on_a_worker_thread(qtbot, window: MainWindow,
                                                        tmp_path: Path) -> None:
    files = []
    for i in range(3):
        path = tmp_path / f"note {i} – “odd” name.md"
        path.write_text(f"# Note {i}\n\nText number {i} 👇.\n", encoding="utf-8")
        files.append(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as finished:
        QApplication.sendEvent(window, drop)
    report = finished.args[0]
    assert [r.status for r in report.results] == [FileStatus.IMPORTED] * 3
    titles = {window.documents.info(r).title for r in range(window.documents.rowCount())}
    assert {"Note 0", "Note 1", "Note 2"} <= titles
    assert window.documents.rowCount() == 7


def test_a_long_import_can_be_cancelled(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(300):
        (folder / f"doc{i:03}.txt").write_text(f"Document {i}. " * 20, encoding="utf-8")
    assert window.import_documents([str(folder)])
    job, _progress = window.files._import  # type: ignore[misc]
    with qtbot.waitSignal(window.import_finished, timeout=60_000) as finished:
        job.cancel()
    report = finished.args[0]
    assert report.cancelled
    skipped = report.count(FileStatus.SKIPPED)
    assert skipped > 0 and report.count(FileStatus.IMPORTED) + skipped == 300
    service = _on_disk(window)
    try:
        assert len(service.documents()) == 4 + report.count(FileStatus.IMPORTED)
    finally:
        service.close()


def test_guessed_encodings_are_previewed_and_can_be_overridden(qtbot, window: MainWindow,
                                                               tmp_path: Path) -> None:
    legacy = tmp_path / "memo.txt"
    legacy.write_bytes("Grüße aus Köln – naïve café".encode("cp1252"))
    review = files_to_review([legacy])
    assert list(review) == [legacy]

    def pick_cp1252() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EncodingDialog)
        dialog.choose(legacy, "cp1252")
        assert "Grüße aus Köln" in dialog.preview.toPlainText()
        dialog.accept()

    QTimer.singleShot(0, pick_cp1252)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as finished:
        assert window.import_documents([str(legacy)])
    (result,) = finished.args[0].results
    service = _on_disk(window)
    try:
        document = service.document(result.document_id)
        assert document.text == "Grüße aus Köln – naïve café"
        assert document.metadata["encoding"].lower().replace("_", "") == "cp1252"
    finally:
        service.close()


def test_document_details_are_editable_and_undoable(qtbot, window: MainWindow) -> None:
    document = window.current_document
    assert document is not None
    window.details.title.setText("A better title")
    window.details.publisher.setText("MERICS")
    window.details.publisher.editingFinished.emit()
    service = _on_disk(window)
    try:
        stored = service.document(document.id)
        assert (stored.title, stored.metadata["publisher"]) == ("A better title", "MERICS")
        assert stored.text == document.text            # the text never changes
    finally:
        service.close()
    assert window.documents.info(window.documents.row_of(document.id)).title == \
        "A better title"
    window.undo_action.trigger()
    service = _on_disk(window)
    try:
        assert service.document(document.id).title == document.title
    finally:
        service.close()


def test_claims_a_new_version_could_not_carry_are_placed_by_hand(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(plain, "warn", lambda *args: None)
    source = tmp_path / "brief.txt"
    source.write_text("Intro line.\n\nA claim about chips that will be rewritten.\n",
                      encoding="utf-8")
    with qtbot.waitSignal(window.import_finished, timeout=30_000):
        window.import_documents([str(source)])
    text = window.current_document.text  # type: ignore[union-attr]
    quote = "A claim about chips that will be rewritten"
    window.view.select_span(text.index(quote), text.index(quote) + len(quote))
    claim = window.mark_claim()
    assert claim is not None
    window.edit_current_claim("stance", "supports")

    source.write_text("Intro line.\n\nEntirely different wording now.\n", encoding="utf-8")
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as finished:
        window.import_documents([str(source)])
    report = finished.args[0]
    assert [c.id for c in report.unplaced] == [claim.id]
    dialog = window.unplaced_dialog
    assert dialog is not None and dialog.isVisible() and dialog.list.count() == 1

    new_id = report.results[0].document_id
    dialog.show_button.click()
    assert window.current_document.id == new_id  # type: ignore[union-attr]
    new_text = window.current_document.text  # type: ignore[union-attr]
    target = "Entirely different wording now"
    window.view.select_span(new_text.index(target), new_text.index(target) + len(target))
    dialog.place_button.click()
    assert dialog.list.count() == 0
    service = _on_disk(window)
    try:
        placed = service.claim(claim.id)
        assert placed.document_id == new_id and placed.quote == target
        assert placed.stance == "supports"                 # labels kept
        assert service.unplaced_claims() == []
    finally:
        service.close()


def test_an_import_that_cannot_open_its_project_says_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    parent = QObject()
    job = ImportJob(parent, str(tmp_path / "gone.annotator.sqlite"), [tmp_path], ImportOptions(),
                    {})
    progress: list[object] = []
    job.progressed.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(job.failed, timeout=30_000) as failed:
        job.start()
    assert "gone.annotator.sqlite" in failed.args[0]
    assert progress == []
    assert job.wait(0)


def test_a_bug_during_an_import_is_reported_not_left_hanging(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: object, **_kwargs: object) -> None:
        raise TypeError("import_files() got an unexpected keyword argument")

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(import_flow, "import_files", broken)
    monkeypatch.setattr(plain, "fail", lambda _parent, title, text: shown.append((title, text)))
    note = tmp_path / "note.md"
    note.write_text("# Note\n\nText.\n", encoding="utf-8")
    with qtbot.captureExceptions() as bugs:
        assert window.import_documents([str(note)])
        qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [("Import failed", "unexpected error (TypeError: import_files() got an "
                                        "unexpected keyword argument)")]
    ((kind, _error, _trace),) = bugs
    assert kind is TypeError
    assert window.files._import is None           # the window can import again
