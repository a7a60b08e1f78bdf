"""End to end through files and the window: alice and bob label the seeds in their
own projects, send their work as files (bob a JSONL export of his claims, alice
her project file), and carol imports both in the window, compares them, reads the
agreement panel, adjudicates with the keyboard and exports the gold layer."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from annotator.cli.main import main
from annotator.domain.review import Decision
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from annotator.ui import plain
from annotator.ui.agreement_panel import DOCUMENT
from annotator.ui.main_window import MainWindow
from tests.review.scenario import H800, add_two_analysts, merics
from tests.ui.test_review_ui import column, select_unit
from tests.ui.work_import import import_and_wait

CTRL = Qt.KeyboardModifier.ControlModifier


def analyst_project(path: Path, analyst: str) -> None:
    service = ProjectService.open(path, create=True)
    try:
        import_sample_corpus(service)
        add_two_analysts(service, only=analyst)
    finally:
        service.close()


def test_exchange_compare_adjudicate_export_through_the_window(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    analyst_project(tmp_path / "alice.annotator.sqlite", "alice")
    analyst_project(tmp_path / "bob.annotator.sqlite", "bob")
    assert main(["export", "--project", str(tmp_path / "bob.annotator.sqlite"),
                 "--annotators", "bob", "-o", str(tmp_path / "bob.jsonl")]) == 0
    told: list[str] = []
    monkeypatch.setattr(plain, "inform", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: pytest.fail(text))

    window.settings.set_annotator_name("carol")
    import_and_wait(qtbot, window, tmp_path / "bob.jsonl")
    import_and_wait(qtbot, window, tmp_path / "alice.annotator.sqlite")
    import_and_wait(qtbot, window, tmp_path / "bob.jsonl")     # again: nothing changes
    assert ["5 claims added" in text for text in told] == [True, True, False]
    assert "5 already present" in told[2]

    assert window.service is not None
    document = merics(window.service)
    window.reveal_document(document.id)
    window.show_document(document.id)
    window.review.compare_action.trigger()
    assert window.review.active
    assert column(window, "Coverage") == ["All", "One only", "One only", "All", "All", "All"]
    assert column(window, "Disagreements") == ["", "", "", "stance", "span",
                                               "source reliability"]
    panel = window.review.agreement_panel
    assert panel is not None
    panel.set_scope(DOCUMENT)
    stance = panel.model.row_titles().index("Stance")
    assert panel.model.cell(stance, 1) == "0.556"      # Cohen's kappa 5/9

    with sqlite3.connect(window.service.location) as connection:
        analysts_before = connection.execute("SELECT * FROM claims ORDER BY id").fetchall()
    select_unit(window, H800)
    window.view.setFocus()
    row = window.documents.row_of(document.id)
    assert row is not None
    review_cell = window.documents.index(row, window.documents.HEADERS.index("Review"))
    assert review_cell.data() == "—"
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)       # accept bob's (refutes)
    assert review_cell.data() == "In review"              # the first decision starts it
    qtbot.keyClick(window.view, Qt.Key.Key_F8)            # on to the next disagreement
    assert window.review.current_unit is not None
    assert window.review.current_unit.claims["alice"].quote != H800
    with sqlite3.connect(window.service.location) as connection:
        assert connection.execute("SELECT * FROM claims ORDER BY id").fetchall() == \
            analysts_before

    check = ProjectService.open(window.service.location)
    try:
        (decision,) = ReviewService(check).adjudications(document.id)
    finally:
        check.close()
    assert decision.decision is Decision.ACCEPT and decision.adjudicator == "carol"
    assert window.service.documents()[window.documents.row_of(document.id) or 0] \
        .review_status == "in_review"
    assert decision.gold is not None and decision.gold.stance == "refutes"

    out = tmp_path / "gold.jsonl"
    assert main(["export", "--project", window.service.location, "--gold-only",
                 "-o", str(out)]) == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["quote"] == H800 and record["review_status"] == "gold"
    assert record["provenance"]["span_from"] == decision.span_from
    assert document.text[record["start"]:record["end"]] == record["quote"]
