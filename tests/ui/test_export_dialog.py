"""File › Export…: the dialog's format, scope, count and preview; exporting on a
worker with progress and Cancel; what it remembers; the keyboard."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim
from annotator.domain.review import Decision, adjudicate
from annotator.services import exports
from annotator.services.exports import FORMATS
from annotator.services.review import ReviewService
from annotator.ui import export_dialog as export_dialog_module
from annotator.ui.export_dialog import _DATA as VALUE_ROLE
from annotator.ui.export_dialog import ExportDialog, ExportJob
from annotator.ui.main_window import MainWindow

#: (document index, quote, annotator, stance, reliability, credibility, claim type)
CLAIMS = [
    (0, "Nasdaq", "alice", "supports", "B", 2, "quantity"),
    (0, "DeepSeek", "alice", "refutes", "C", 3, None),
    (0, "Nvidia", "alice", "neutral", "A", 2, "prediction"),
    (1, "DeepSeek", "bob", "supports", "B", 1, "quantity"),
    (1, "Washington", "bob", None, None, None, None),
]


@pytest.fixture
def labelled(window: MainWindow) -> MainWindow:
    """The window on the sample corpus with five claims: three by alice in the
    first document, two by bob in the second, which is marked done."""
    service = window.service
    assert service is not None
    infos = service.documents()
    claims = []
    for index, quote, who, stance, grade, credibility, claim_type in CLAIMS:
        document = service.document(infos[index].id)
        start = document.text.index(quote)
        claims.append(Claim.new(document, start, start + len(quote), annotator=who,
                                stance=stance, source_reliability=grade,
                                info_credibility=credibility, claim_type=claim_type))
    service.add_claims(claims)
    service.set_document_status(infos[1].id, "done")
    return window


def _open(qtbot, window: MainWindow) -> ExportDialog:  # type: ignore[no-untyped-def]
    dialog = window.show_export_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def _change(qtbot, dialog: ExportDialog, action) -> None:  # type: ignore[no-untyped-def]
    """Do ``action`` and wait for the (debounced) count and preview."""
    with qtbot.waitSignal(dialog.refreshed, timeout=5000):
        action()


def _check(checks, values: list[object]) -> None:  # type: ignore[no-untyped-def]
    for item in checks.items():
        item.setCheckState(0, Qt.CheckState.Checked if item.data(0, VALUE_ROLE)
                           in values else Qt.CheckState.Unchecked)


def _choose_format(qtbot, dialog: ExportDialog, name: str) -> None:  # type: ignore[no-untyped-def]
    _change(qtbot, dialog, lambda: dialog.format_combo.setCurrentIndex(
        dialog.format_combo.findData(name)))


def _texts(window: MainWindow) -> dict[str, str]:
    assert window.service is not None
    return {info.id: window.service.document(info.id).text
            for info in window.service.documents()}


def test_every_format_is_offered_and_its_preview_follows_the_choice(
        qtbot, labelled: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    assert [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())] \
        == list(FORMATS)
    assert [dialog.format_combo.itemText(i) for i in range(dialog.format_combo.count())] \
        == [info.title for info in FORMATS.values()]
    dialog.path_edit.setText(str(tmp_path / "my data.jsonl"))
    texts = _texts(labelled)

    _choose_format(qtbot, dialog, "csv")
    rows = list(csv.DictReader(io.StringIO(dialog.preview.toPlainText())))
    assert [row["quote"] for row in rows] == ["Nasdaq", "DeepSeek", "Nvidia"]
    assert dialog.path_edit.text() == str(tmp_path / "my data.csv")
    assert dialog.bom_check.isVisibleTo(dialog)

    _choose_format(qtbot, dialog, "jsonl")
    records = [json.loads(line) for line in dialog.preview.toPlainText().splitlines()]
    assert len(records) == export_dialog_module.PREVIEW_RECORDS
    assert all(texts[r["document_id"]][r["start"]:r["end"]] == r["quote"] for r in records)
    assert not dialog.bom_check.isVisibleTo(dialog)
    assert dialog.path_edit.text() == str(tmp_path / "my data.jsonl")

    _choose_format(qtbot, dialog, "w3c")
    annotations = json.loads(dialog.preview.toPlainText())
    assert len(annotations) == 3 and all(a["type"] == "Annotation" for a in annotations)

    _choose_format(qtbot, dialog, "label-studio")
    (task,) = json.loads(dialog.preview.toPlainText())
    spans = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [r["value"]["text"] for r in spans] == ["Nasdaq", "DeepSeek", "Nvidia"]
    assert dialog.span_combo.isVisibleTo(dialog) and not dialog.offset_combo.isVisibleTo(dialog)

    _choose_format(qtbot, dialog, "doccano")
    line = json.loads(dialog.preview.toPlainText())
    assert [label[2] for label in line["label"]] == ["supports", "refutes", "neutral"]
    assert dialog.offset_combo.isVisibleTo(dialog)

    _choose_format(qtbot, dialog, "documents")
    documents = [json.loads(line) for line in dialog.preview.toPlainText().splitlines()]
    assert "text" in documents[0] and dialog.count_label.text() == "4 documents"
    assert not dialog.sidecar_check.isVisibleTo(dialog)

    _choose_format(qtbot, dialog, "package")
    assert dialog.path_edit.text() == str(tmp_path / "my data")      # a folder
    assert dialog.zip_check.isVisibleTo(dialog)
    dialog.zip_check.setChecked(True)
    assert dialog.path_edit.text() == str(tmp_path / "my data.zip")


def test_the_suggested_name_follows_the_format(qtbot, labelled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    assert Path(dialog.path_edit.text()).name == "seeded-claims.jsonl"
    _choose_format(qtbot, dialog, "documents")
    assert Path(dialog.path_edit.text()).name == "seeded-documents.jsonl"
    _choose_format(qtbot, dialog, "label-studio")
    assert Path(dialog.path_edit.text()).name == "seeded-label-studio.json"


def test_scope_by_annotator_done_and_labels_changes_the_count(
        qtbot, labelled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    # Claims, and the documents they are in (not the documents without claims).
    assert dialog.count_label.text() == "5 claims in 2 documents"
    assert dialog.annotators_list.values() == ["alice", "bob"]

    _change(qtbot, dialog, dialog.mine_button.click)           # the analyst is alice
    assert dialog.annotators_list.checked() == ["alice"]
    assert dialog.count_label.text() == "3 claims in 1 document"
    assert {json.loads(line)["annotator"] for line in
            dialog.preview.toPlainText().splitlines()} == {"alice"}
    assert dialog.tabs.tabText(1) == "&Annotators (1 of 2)"

    _change(qtbot, dialog, lambda: dialog.done_only.setChecked(True))
    assert dialog.count_label.text() == "0 claims in 0 documents"
    assert dialog.preview.toPlainText() == ""
    _change(qtbot, dialog, dialog.annotators_all.click)
    assert dialog.count_label.text() == "2 claims in 1 document"
    _change(qtbot, dialog, lambda: dialog.done_only.setChecked(False))

    stance = dialog.label_lists[Dimension.STANCE]
    _change(qtbot, dialog, lambda: _check(stance, ["supports"]))
    assert dialog.count_label.text() == "2 claims in 2 documents"
    assert {json.loads(line)["stance"] for line in
            dialog.preview.toPlainText().splitlines()} == {"supports"}
    credibility = dialog.label_lists[Dimension.INFO_CREDIBILITY]
    _change(qtbot, dialog, lambda: _check(credibility, ["2"]))
    assert dialog.count_label.text() == "1 claim in 1 document"
    _change(qtbot, dialog, dialog.labels_clear.click)
    assert dialog.count_label.text() == "5 claims in 2 documents"
    # Formats that list every document say so.
    _choose_format(qtbot, dialog, "label-studio")
    assert dialog.count_label.text() == "5 claims in 2 documents (4 documents listed)"
    _choose_format(qtbot, dialog, "jsonl")

    first = dialog.documents_list.values()[0]
    _change(qtbot, dialog, lambda: _check(dialog.documents_list, [first]))
    assert dialog.count_label.text() == "3 claims in 1 document"
    assert dialog.tabs.tabText(0) == "&Documents (1 of 4)"


def test_an_invalid_scope_disables_export_and_says_why(qtbot, labelled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    assert dialog.export_button.isEnabled() and not dialog.scope_message.isVisible()

    # No gold layer in this project yet: the service's ScopeError is shown inline.
    _change(qtbot, dialog, lambda: dialog.gold_only.setChecked(True))
    assert not dialog.export_button.isEnabled()
    assert dialog.scope_message.isVisible()
    assert "adjudicated (gold) claims" in dialog.scope_message.text()
    assert dialog.scope_message.text() == dialog.scope_problem[:1].upper() \
        + dialog.scope_problem[1:]
    _change(qtbot, dialog, lambda: dialog.gold_only.setChecked(False))
    assert dialog.export_button.isEnabled() and not dialog.scope_message.isVisible()

    _change(qtbot, dialog, dialog.documents_none.click)
    assert not dialog.export_button.isEnabled()
    assert "check at least one document" in dialog.scope_message.text()
    assert not dialog.start_export()
    _change(qtbot, dialog, dialog.documents_all.click)
    assert dialog.export_button.isEnabled()

    dialog.path_edit.clear()
    assert not dialog.export_button.isEnabled()
    dialog.path_edit.setText("/no/such/folder/claims.jsonl")
    assert not dialog.export_button.isEnabled()
    assert "does not exist" in dialog.path_note.text()
    assert labelled.service is not None
    dialog.path_edit.setText(labelled.service.location)     # never over the project itself
    assert not dialog.export_button.isEnabled()
    assert "this project's own file" in dialog.path_note.text()


def test_exporting_from_the_dialog_writes_the_scope(qtbot, labelled: MainWindow,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    out = tmp_path / "claims.jsonl"
    dialog.path_edit.setText(str(out))
    _change(qtbot, dialog, lambda: _check(dialog.annotators_list, ["bob"]))
    progress: list[tuple[int, int]] = []
    dialog.export_started.connect(lambda job: job.progressed.connect(
        lambda done, total: progress.append((done, total))))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as exported:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = exported.args[0]
    assert result.claims == 2 and result.path == out
    texts = _texts(labelled)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["quote"] for r in records] == ["DeepSeek", "Washington"]
    assert all(r["annotator"] == "bob" for r in records)
    assert all(texts[r["document_id"]][r["start"]:r["end"]] == r["quote"] for r in records)
    assert (tmp_path / "claims.codebook.json").is_file()
    assert progress and progress[-1] == (2, 2)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert labelled.statusBar().currentMessage() == f"Wrote 2 claims to {out}"
    # Remembered for next time: the format and the folder.
    assert labelled.settings.export_format() == "jsonl"
    assert labelled.settings.export_directory() == str(tmp_path)


def test_the_gold_layer_exports_with_its_provenance(qtbot, labelled: MainWindow,
                                                   tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    service = labelled.service
    assert service is not None
    review = ReviewService(service)
    (alice_claim, *_rest) = [c for c in review.analyst_claims(analysts=["alice"])
                             if c.quote == "Nasdaq"]
    decision = review.add_adjudication(adjudicate(Decision.ACCEPT, [alice_claim],
                                                  adjudicator="carol", span_from=alice_claim))
    dialog = _open(qtbot, labelled)
    out = tmp_path / "gold.jsonl"
    dialog.path_edit.setText(str(out))
    _change(qtbot, dialog, lambda: _check(dialog.annotators_list, ["bob"]))
    _change(qtbot, dialog, lambda: dialog.gold_only.setChecked(True))
    # The analysts' filter does not apply to the adjudicators' layer.
    assert not dialog.tabs.isTabEnabled(1)
    assert dialog.export_button.isEnabled()
    assert "1 claim" in dialog.count_label.text()
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["review_status"] == "gold" and record["annotator"] == "carol"
    assert record["provenance"]["adjudication_id"] == decision.id
    assert record["provenance"]["span_from"] == alice_claim.id
    assert _texts(labelled)[record["document_id"]][record["start"]:record["end"]] == "Nasdaq"


def test_csv_without_bom_and_the_choice_is_remembered(qtbot, labelled: MainWindow,
                                                      tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    _choose_format(qtbot, dialog, "csv")
    dialog.path_edit.setText(str(tmp_path / "claims.csv"))
    dialog.bom_check.setChecked(False)
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        assert dialog.start_export()
    data = (tmp_path / "claims.csv").read_bytes()
    assert data.startswith(b"id,document_id,")
    assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8"))))) == 5

    again = _open(qtbot, labelled)
    assert again is not dialog
    assert again.format_name() == "csv" and not again.bom_check.isChecked()
    assert Path(again.path_edit.text()).parent == tmp_path
    assert again.path_note.text() == ""     # a new name, nothing to replace
    again.path_edit.setText(str(tmp_path / "claims.csv"))
    assert again.path_note.text() == "Replaces the existing claims.csv."


def _exported_files(folder: Path) -> list[str]:
    """What an export wrote in ``folder`` (not the project or the settings),
    temporary files included."""
    return sorted(p.name for p in folder.iterdir() if "claims" in p.name)


def _many_claims(window: MainWindow, count: int) -> None:
    service = window.service
    assert service is not None
    document = service.document(service.documents()[0].id)
    service.add_claims(Claim.new(document, i, i + 5, annotator="carol") for i in range(count))


def test_cancelling_leaves_the_earlier_file_untouched(qtbot, labelled: MainWindow,
                                                      tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _many_claims(labelled, 1500)
    out = tmp_path / "claims.jsonl"
    earlier = b'{"an": "earlier export"}\n'
    out.write_bytes(earlier)
    dialog = _open(qtbot, labelled)
    dialog.path_edit.setText(str(out))
    assert dialog.path_note.text() == "Replaces the existing claims.jsonl."

    def cancel_at_first_progress(job: ExportJob) -> None:
        # Runs on the worker thread, before the first record is written.
        job.progressed.connect(lambda *_: job.cancel(), Qt.ConnectionType.DirectConnection)

    dialog.export_started.connect(cancel_at_first_progress)
    exported: list[object] = []
    dialog.exported.connect(exported.append)
    assert dialog.start_export()
    assert not dialog.export_button.isEnabled() and dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert exported == []
    assert dialog.progress_label.text() == "Cancelled: nothing was written."
    assert out.read_bytes() == earlier
    assert _exported_files(tmp_path) == ["claims.jsonl"]     # no temporary file left
    assert dialog.isVisible() and dialog.export_button.isEnabled()


@pytest.mark.parametrize("how", ["button", "escape"])
def test_the_cancel_button_or_escape_stops_a_running_export(
        qtbot, labelled: MainWindow, tmp_path: Path, how: str) -> None:  # type: ignore[no-untyped-def]
    _many_claims(labelled, 1500)
    out = tmp_path / "claims.csv"
    earlier = b"earlier,export\r\n"
    out.write_bytes(earlier)
    dialog = _open(qtbot, labelled)
    _choose_format(qtbot, dialog, "csv")
    dialog.path_edit.setText(str(out))
    reached, release = threading.Event(), threading.Event()

    def hold(done: int, _total: int) -> None:     # the worker waits for the click
        if done == 0:
            reached.set()
            release.wait(20)

    dialog.export_started.connect(
        lambda job: job.progressed.connect(hold, Qt.ConnectionType.DirectConnection))
    try:
        assert dialog.start_export()
        qtbot.waitUntil(reached.is_set, timeout=30_000)
        assert dialog.cancel_button.isVisible() and not dialog.close_button.isVisible()
        if how == "button":
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.job is not None and dialog.job.cancel_requested
        assert dialog.isVisible()               # Esc cancels the export, not the dialog
    finally:
        release.set()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert out.read_bytes() == earlier
    assert _exported_files(tmp_path) == ["claims.csv"]
    assert dialog.isVisible() and dialog.close_button.isVisible()


def test_closing_the_window_during_an_export_stops_it_cleanly(
        qtbot, labelled: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _many_claims(labelled, 1500)
    out = tmp_path / "claims.jsonl"
    earlier = b"earlier\n"
    out.write_bytes(earlier)
    dialog = _open(qtbot, labelled)
    dialog.path_edit.setText(str(out))
    assert dialog.start_export()
    labelled.close()
    assert dialog.job is None
    assert _exported_files(tmp_path) in (["claims.jsonl"],
                                         ["claims.codebook.json", "claims.jsonl"])
    # Whole or not at all: the earlier file, or every claim.
    data = out.read_bytes()
    assert data == earlier or len(data.splitlines()) == 1505


def test_a_failed_export_names_the_path_and_the_reason(qtbot, labelled: MainWindow,
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(exports, "export", full_disk)
    monkeypatch.setattr(export_dialog_module, "show_message",
                        lambda _parent, _icon, title, text: shown.append((title, text)))
    dialog = _open(qtbot, labelled)
    out = tmp_path / "claims.jsonl"
    dialog.path_edit.setText(str(out))
    assert dialog.start_export()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    ((title, text),) = shown
    assert title == "Export failed"
    assert str(out) in text and "No space left on device" in text
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_ctrl_e_opens_the_dialog_enter_exports_and_escape_closes(
        qtbot, labelled: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert labelled.export_action.shortcut().toString() == "Ctrl+E"
    assert labelled.export_action in labelled.menu_actions()
    labelled.view.setFocus()
    qtbot.keyClick(labelled.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = labelled.files.export_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.isModal()
    assert dialog.windowTitle() == "Export"
    out = tmp_path / "keyboard.jsonl"
    dialog.path_edit.setText(str(out))
    dialog.path_edit.setFocus()
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        qtbot.keyClick(dialog.path_edit, Qt.Key.Key_Return)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    qtbot.waitUntil(lambda: not dialog.isVisible())

    labelled.activateWindow()       # offscreen, closing a dialog activates no window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is labelled)
    labelled.view.setFocus()
    qtbot.keyClick(labelled.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    second = labelled.files.export_dialog
    assert second is not None and second is not dialog
    qtbot.waitUntil(second.isVisible)
    qtbot.keyClick(second.format_combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not second.isVisible())
    QApplication.processEvents()


def test_tab_order_and_mnemonics(qtbot, labelled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog = _open(qtbot, labelled)
    dialog.activateWindow()
    dialog.format_combo.setFocus()
    qtbot.waitUntil(dialog.format_combo.hasFocus)
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [dialog.path_edit, dialog.browse_button, dialog.sidecar_check,
                     dialog.tabs.tabBar()]
    buddies = {label.text(): label.buddy() for label in dialog.findChildren(
        export_dialog_module.QLabel) if label.buddy() is not None}
    assert buddies["&Format:"] is dialog.format_combo
    assert buddies["Save &to:"] is dialog.path_edit
    assert dialog.export_button.text() == "&Export" and dialog.export_button.isDefault()


@pytest.mark.parametrize("fmt", ["brat", "spacy", "claimreview", "inception", "refi-qda"])
def test_interchange_formats_preview_and_export_from_the_dialog(
        qtbot, labelled: MainWindow, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """The registry's interchange formats are in the dialog with a preview of the
    first document, a suggested name with their suffix, and they export."""
    dialog = _open(qtbot, labelled)
    dialog.path_edit.setText(str(tmp_path / "my data.jsonl"))
    _choose_format(qtbot, dialog, fmt)
    assert dialog.path_edit.text() == str(tmp_path / f"my data{FORMATS[fmt].suffix}")
    preview = dialog.preview.toPlainText()
    assert "Nasdaq" in preview and "Washington" not in preview     # the first document
    assert dialog.span_combo.isVisibleTo(dialog) == (fmt == "spacy")
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as exported:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = exported.args[0]
    # ClaimReview holds the claims with a credibility grade (four of five).
    assert result.claims == (4 if fmt == "claimreview" else len(CLAIMS))
    assert result.path.is_file() and result.path.stat().st_size > 0
