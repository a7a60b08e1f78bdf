"""Projects: first launch on the sample corpus, new/open/recent, bad files,
what survives closing the window."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.domain.codebook import Dimension, from_dict
from annotator.paths import default_project_path
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.app import first_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.ui.conftest import open_document_containing


def test_first_launch_creates_the_sample_project_in_the_user_data_dir(
        tmp_path: Path, ui_settings: UiSettings) -> None:
    service = first_project(None, ui_settings)
    try:
        assert Path(service.location) == default_project_path()
        # platformdirs: $XDG_DATA_HOME/Annotator on Linux (the fixture points it to a tmp dir)
        assert Path(service.location).parent == Path(os.environ["XDG_DATA_HOME"]) / "Annotator"
        titles = [d.title for d in service.documents()]
        assert len(titles) == 4
        assert any("DeepSeek" in t for t in titles)
        assert all(d.source and d.published for d in service.documents())
    finally:
        service.close()
    again = first_project(None, ui_settings)     # second launch: no duplicates
    try:
        assert len(again.documents()) == 4
    finally:
        again.close()


def test_new_project_is_empty_and_becomes_recent(qtbot, window: MainWindow,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "team.annotator.sqlite"
    assert window.open_project(path, create=True)
    assert path.exists()
    assert window.documents.rowCount() == 0
    assert window.settings.recent_projects()[0] == str(path)
    assert "team.annotator.sqlite" in window.windowTitle()


def test_opening_a_file_that_is_not_a_project_says_why(qtbot, window: MainWindow,
                                                       tmp_path: Path, monkeypatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: warnings.append(text))
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("just some notes")
    before = window.service.location  # type: ignore[union-attr]
    assert not window.open_project(bogus)
    assert str(bogus) in warnings[0] and "not an Annotator project" in warnings[0]
    assert window.service is not None and window.service.location == before


def test_claims_survive_closing_the_window(qtbot, window: MainWindow,
                                           seeded_project: Path) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    start = text.index("Nasdaq")
    window.view.select_span(start, start + 6)
    window.mark_claim()
    window.editor.note.setPlainText("typed just before quitting")   # no pause to autosave
    window.close()
    service = ProjectService.open(seeded_project)
    try:
        (claim,) = [c for d in service.documents() for c in service.claims(d.id)]
        assert claim.quote == "Nasdaq"
        assert claim.note == "typed just before quitting"
    finally:
        service.close()


def test_adding_a_claim_does_not_touch_the_document_layout(qtbot, window: MainWindow) -> None:
    text = open_document_containing(window, "Nasdaq plummeted")
    changes: list[tuple[int, int, int]] = []
    window.view.document().contentsChange.connect(lambda *args: changes.append(args))
    for quote in ("Nasdaq", "Chinese startup", "fraction of the cost"):
        start = text.index(quote)
        window.view.select_span(start, start + len(quote))
        assert window.mark_claim() is not None
    assert changes == []
    assert len(window.view.claim_ids()) == 3


def test_a_claim_marked_in_the_window_exports_as_jsonl_and_csv(qtbot, window: MainWindow,
                                                              tmp_path: Path) -> None:
    import csv
    import json

    text = open_document_containing(window, "👇")
    start = text.index("👇") - 6
    window.view.select_span(start, start + 7)
    claim = window.mark_claim()
    assert claim is not None
    window.editor.note.setPlainText("typed just before exporting")   # no pause to autosave
    for fmt, name in (("jsonl", "claims.jsonl"), ("csv", "claims.csv")):
        dialog = window.show_export_dialog()        # File › Export…
        assert dialog is not None
        dialog.set_format(fmt)
        dialog.path_edit.setText(str(tmp_path / name))
        with qtbot.waitSignal(dialog.exported, timeout=30_000) as exported:
            assert dialog.start_export()
        assert exported.args[0].claims == 1
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible())
    (record,) = [json.loads(line) for line in
                 (tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    assert text[record["start"]:record["end"]] == record["quote"] == text[start:start + 7]
    assert record["annotator"] == "alice" and record["id"] == claim.id
    assert record["note"] == "typed just before exporting"
    with (tmp_path / "claims.csv").open(encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["quote"] == record["quote"] and row["id"] == claim.id
    # The codebook travels with the export, so the labels can be read without the app.
    assert sorted(p.name for p in tmp_path.glob("claims*")) == [
        "claims.codebook.json", "claims.csv", "claims.jsonl"]
    codebook = from_dict(json.loads((tmp_path / "claims.codebook.json").read_text(
        encoding="utf-8")))
    assert codebook == window.codebook
    assert codebook.label(Dimension.STANCE, "supports") is not None
