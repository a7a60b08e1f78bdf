"""File › Export… checks at the door as the command line does: no target that
is a project or a SQLite file, claims whose quote is not their text listed
and left out, local paths only when the analyst asks."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.paths import seeds_dir
from annotator.services.exports import EXPORT_FORMATS
from annotator.ui import export_dialog as export_dialog_module
from annotator.ui.export_dialog import ExportDialog
from annotator.ui.main_window import MainWindow
from tests.formats.export_safety import OUT_NAMES, claim_count, exported_text, tamper
from tests.ui import test_export_dialog
from tests.ui.test_export_dialog import CLAIMS, _choose_format, _open

#: The window on the sample corpus with five claims (the export dialog's tests' fixture).
labelled = test_export_dialog.labelled


def _format(qtbot, dialog: ExportDialog, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if dialog.format_name() != fmt:
        _choose_format(qtbot, dialog, fmt)


def _project(window: MainWindow) -> Path:
    assert window.service is not None
    return Path(window.service.location)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_the_dialog_refuses_every_target_that_is_a_project(
        qtbot, labelled: MainWindow, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    project = _project(labelled)
    out = tmp_path / "out"
    out.mkdir()
    link = out / "link.jsonl"
    link.symlink_to(project)
    other = out / "colleague.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    targets = [project, Path(f"{project}-wal"), Path(f"{project}-shm"),
               Path(f"{project}-journal"), link, other]
    if fmt == "package":
        targets.append(project.parent)      # the folder the project is in
    dialog = _open(qtbot, labelled)
    _format(qtbot, dialog, fmt)
    assert Path(f"{project}-wal").is_file()         # the window has the project open
    before = project.read_bytes()
    for target in targets:
        dialog.path_edit.setText(str(target))
        assert not dialog.export_button.isEnabled(), target
        assert "never" in dialog.path_note.text(), target
        assert dialog.path_note.isVisible()
        assert not dialog.start_export()
        assert dialog.job is None
    assert project.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["colleague.db", "link.jsonl"]
    dialog.path_edit.setText(str(out / OUT_NAMES[fmt]))
    assert dialog.export_button.isEnabled() or fmt == "parquet"


def test_a_database_put_at_the_target_after_the_check_is_still_refused(
        qtbot, labelled: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(export_dialog_module, "show_message",
                        lambda _parent, _icon, _title, text: shown.append(text))
    dialog = _open(qtbot, labelled)
    out = tmp_path / "claims.jsonl"
    dialog.path_edit.setText(str(out))
    project = _project(labelled)
    # Between the dialog's check and the worker: a database appears at the target.
    dialog.export_started.connect(lambda _job: shutil.copyfile(project, out))
    before = project.read_bytes()
    assert dialog.start_export()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "SQLite database" in shown[0] and "never" in shown[0]
    assert out.read_bytes() == before       # left as it was
    assert sorted(p.name for p in tmp_path.iterdir() if "claims" in p.name) == [out.name]
    assert claim_count(project) == len(CLAIMS)


def test_refused_claims_are_listed_and_the_rest_exported(
        qtbot, labelled: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    service = labelled.service
    assert service is not None
    damaged = service.claims(service.documents()[0].id)[1]
    tamper(_project(labelled), damaged.id, "words the text does not have")
    shown: list[str] = []
    monkeypatch.setattr(export_dialog_module, "show_message",
                        lambda _parent, _icon, _title, text: shown.append(text))
    dialog = _open(qtbot, labelled)
    out = tmp_path / "claims.jsonl"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as exported:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = exported.args[0]
    assert [refusal.id for refusal in result.refused] == [damaged.id]
    (text,) = shown
    assert f"claim {damaged.id}" in text and "'words the text does not have'" in text
    assert "Wrote 4 claims" in text and "refused 1 claim" in text
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(CLAIMS) - 1 and damaged.id not in {r["id"] for r in records}
    assert "refused 1 claim" in labelled.statusBar().currentMessage()


@pytest.mark.parametrize("fmt", ["documents", "package"])
def test_local_paths_only_when_the_box_is_checked(
        qtbot, labelled: MainWindow, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    private = str(seeds_dir())          # where the sample corpus was imported from
    dialog = _open(qtbot, labelled)
    _format(qtbot, dialog, fmt)
    assert dialog.paths_check.isVisibleTo(dialog) and not dialog.paths_check.isChecked()
    assert private not in dialog.preview.toPlainText()
    exported = []
    for checked in (False, True):
        dialog = _open(qtbot, labelled)
        _format(qtbot, dialog, fmt)
        dialog.paths_check.setChecked(checked)
        out = tmp_path / f"paths-{checked}{'.jsonl' if fmt == 'documents' else ''}"
        dialog.path_edit.setText(str(out))
        with qtbot.waitSignal(dialog.exported, timeout=30_000):
            assert dialog.start_export()
        exported.append(exported_text(out))
    assert private not in exported[0] and "original_path" in exported[0]
    assert private in exported[1]


def test_the_paths_box_shows_only_for_formats_with_documents(
        qtbot, labelled: MainWindow) -> None:  # type: ignore[no-untyped-def]
    dialog: ExportDialog = _open(qtbot, labelled)
    for fmt in EXPORT_FORMATS:
        _format(qtbot, dialog, fmt)
        assert dialog.paths_check.isVisibleTo(dialog) == (fmt in ("documents", "package"))
