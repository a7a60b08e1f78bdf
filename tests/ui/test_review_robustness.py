"""Review mode against what else happens in the window: importing a colleague's
work while comparing, an import that brings new labels, closing the window in
review mode, and switching projects."""

from __future__ import annotations

import dataclasses
import json
import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator.domain.codebook import Dimension
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.review.scenario import NASDAQ, add_two_analysts, merics
from tests.ui.work_import import import_and_wait


@pytest.fixture(autouse=True)
def _quiet_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain, "inform", lambda *_args: None)
    monkeypatch.setattr(plain, "fail", lambda _p, _t, text: pytest.fail(text))


def _comparing(window: MainWindow) -> None:
    assert window.service is not None
    work = add_two_analysts(window.service)
    window.documents.set_documents(window.service.documents())
    window.reveal_document(work.document.id)
    window.show_document(work.document.id)
    window.settings.set_annotator_name("carol")
    window.review.compare_action.trigger()
    assert window.review.active


def test_importing_while_comparing_compares_the_imported_work(
        qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _comparing(window)
    assert window.service is not None
    out = tmp_path / "bob.jsonl"
    exports.export(window.service, "jsonl", out, exports.ExportScope.of(annotators=["bob"]))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    h800 = next(r for r in records if r["stance"] == "refutes")
    newer = {**h800, "stance": "supports", "updated_at": "2030-01-01T00:00:00.000000Z"}
    dave = {**h800, "id": str(uuid.uuid4()), "annotator": "dave"}
    out.write_text("".join(json.dumps(r) + "\n" for r in (newer, dave)), encoding="utf-8")

    import_and_wait(qtbot, window, out)
    assert [name for name, _count in window.review._analysts] == ["alice", "bob", "dave"]
    unit = next(u for u in window.review.units() if h800["id"] in
                {c.id for c in u.claims.values()})
    assert unit.claims["bob"].stance == "supports"
    window.review.select_unit(unit)
    decision = window.review.decisions.accept("bob")
    assert decision is not None and decision.gold is not None
    assert decision.gold.stance == "supports"

    # The version the import replaced is in the claim's history (Review › Claim History…).
    window.review.leave()
    window.identity.all_action.trigger()        # bob's claim, beside carol's own
    window.select_claim(h800["id"])
    dialog = window.review.decisions.show_history()
    assert dialog is not None
    stance = [dialog.table.horizontalHeaderItem(c).text()
              for c in range(dialog.table.columnCount())].index("Stance")
    assert [dialog.table.item(r, stance).text() for r in range(dialog.table.rowCount())] == [
        "supports", "refutes"]
    dialog.close()


def test_an_import_that_brings_labels_updates_the_windows_codebook(
        qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    colleague = tmp_path / "colleague.annotator.sqlite"
    service = ProjectService.open(colleague, create=True)
    try:
        import_sample_corpus(service)
        codebook = CodebookService(service.database)
        current = codebook.codebook()
        supports = current.of(Dimension.STANCE)[0]
        codebook.apply(dataclasses.replace(current, labels=(*current.labels, dataclasses.replace(
            supports, key="maybe", name="Maybe", shortcut=""))), "add maybe")
        document = merics(service)
        start = document.text.index(NASDAQ)
        from annotator.domain.model import Claim
        service.add_claim(Claim.new(document, start, start + len(NASDAQ), annotator="bob",
                                    stance="maybe"))
    finally:
        service.close()
    import_and_wait(qtbot, window, colleague)     # "maybe" added, as chosen
    assert window.codebook.label(Dimension.STANCE, "maybe") is not None
    assert window.codebook_controller is not None
    # The next codebook change starts from the stored codebook, so it is accepted.
    window.codebook_controller.apply(
        dataclasses.replace(window.codebook, tags=(*window.codebook.tags, "checked")),
        "add a tag")


def test_closing_in_review_mode_saves_the_usual_layout(qtbot, window: MainWindow,
                                                       seeded_project: Path,
                                                       tmp_path: Path) -> None:
    _comparing(window)
    assert not window.legend_dock.isVisible()         # review mode hides it
    window.close()
    settings = UiSettings(QSettings(str(tmp_path / "settings.ini"),
                                    QSettings.Format.IniFormat))
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.set_service(ProjectService.open(seeded_project))
    again.show()
    qtbot.waitExposed(again)
    assert again.legend_dock.isVisible() and again.claim_table.isVisible()
    again.close()


def test_switching_projects_in_review_mode(window: MainWindow, tmp_path: Path) -> None:
    _comparing(window)
    other = tmp_path / "other.annotator.sqlite"
    service = ProjectService.open(other, create=True)
    codebook = CodebookService(service.database)
    current = codebook.codebook()
    renamed = tuple(dataclasses.replace(label, name="Backs the proposition")
                    if label.dimension is Dimension.STANCE and label.key == "supports"
                    else label for label in current.labels)
    codebook.apply(dataclasses.replace(current, labels=renamed), "rename")
    window.set_service(service)
    assert not window.review.active
    assert window.review.compare_panel is not None
    assert window.review.compare_panel.codebook.label(
        Dimension.STANCE, "supports").name == "Backs the proposition"
