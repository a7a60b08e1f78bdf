"""File › Import a Colleague's Work… takes a REFI-QDA project (.qdpx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.export_corpus import Corpus, export_corpus
from tests.ui.work_import import import_and_wait


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Corpus, Path]:
    corpus, _, _ = export_corpus(tmp_path, "refi-qda", "project.qdpx")
    return corpus, tmp_path / "project.qdpx"


def test_the_window_imports_a_qdpx(qtbot, window, exported: tuple[Corpus, Path],  # type: ignore[no-untyped-def]
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.ui import plain

    corpus, path = exported
    told: list[str] = []
    monkeypatch.setattr(plain, "inform", lambda _parent, _title, text: told.append(text))
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: pytest.fail(text))
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: pytest.fail(text))
    report = import_and_wait(qtbot, window, path)     # on worker threads, as the menu does
    assert report is not None and report.claims_added == len(corpus.claims)
    assert told and f"{len(corpus.claims)} claims added" in told[0]


@pytest.fixture
def statistic_window(qtbot, seeded_project: Path, ui_settings):  # type: ignore[no-untyped-def]
    """The window on a project whose codebook has a claim type ``statistic``."""
    from annotator.services.project import ProjectService
    from annotator.ui.main_window import MainWindow
    from tests.qdpx_codes import add_statistic

    service = ProjectService.open(seeded_project)
    try:
        add_statistic(service)
    finally:
        service.close()
    main = MainWindow(ui_settings)
    qtbot.addWidget(main)
    main.set_service(ProjectService.open(seeded_project))
    main.resize(1280, 800)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()


def test_another_programs_codes_are_previewed_and_chosen(  # type: ignore[no-untyped-def]
        qtbot, statistic_window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.ui import plain
    from annotator.ui.code_mapping_dialog import CodeMappingDialog
    from tests.qdpx_codes import SELECTIONS, write_qdpx
    from tests.ui.tooltips import tooltip_text

    window = statistic_window
    path = write_qdpx(tmp_path / "other.qdpx")
    monkeypatch.setattr(plain, "inform", lambda _parent, _title, _text: None)
    monkeypatch.setattr(plain, "warn", lambda _parent, _title, text: pytest.fail(text))
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: pytest.fail(text))
    before = len(window.service.documents())
    seen: dict[str, object] = {}

    def decide(dialog: CodeMappingDialog) -> None:
        table = dialog.table
        rows = {table.item(row, 0).text(): row for row in range(table.rowCount())}
        seen["rows"] = {name: (table.item(row, 1).text(), dialog.choices()[row],
                               table.item(row, 3).text()) for name, row in rows.items()}
        seen["documents"] = len(window.service.documents())     # nothing written yet
        dialog.choose(rows["Noise"], "skip")
        dialog.choose(rows["Interviewer"], "skip")
        dialog.choose(rows["RÉFUTES"], "stance:neutral")
        assert table.item(rows["Noise"], 3).text() == "chosen"
        # A combo too narrow for its choice says it whole in its tooltip.
        assert "Neutral" in tooltip_text(dialog.combos[rows["RÉFUTES"]].toolTip())
        assert "Supports" in tooltip_text(dialog.combos[rows["Supports"]].toolTip())
        dialog.grab().save("/tmp/interchange-code-mapping.png")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    from PySide6.QtCore import Qt

    report = import_and_wait(qtbot, window, path, decide=decide)
    assert seen["documents"] == before
    assert seen["rows"] == {
        "Supports": ("1", "stance:supports", "same name"),
        "refutes": ("1", "stance:refutes", "same name"),
        "Claim/Statistic": ("1", "claim_type:statistic", "same name"),
        "Credibility": ("0", "tag", "no label matches: a tag"),
        "Credibility/Doubtful": ("1", "info_credibility:4", "same name"),
        "Interviewer": ("1", "tag", "no label matches: a tag"),
        "Noise": ("1", "tag", "no label matches: a tag"),
        "RÉFUTES": ("1", "stance:refutes", "same name"),
    }
    assert report is not None and report.claims_added == 3
    document = next(info.id for info in window.service.documents()
                    if info.title == "Interview 1")
    claims = {claim.quote: claim for claim in window.service.claims(document)}
    assert set(claims) == {quote for quote, _, _ in SELECTIONS[:3]}
    figure = claims[SELECTIONS[0][0]]
    assert (figure.stance, figure.claim_type) == ("supports", "statistic")
    assert claims[SELECTIONS[2][0]].stance == "neutral" and claims[SELECTIONS[2][0]].tags == ()


def test_cancelling_the_code_preview_imports_nothing(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.qdpx_codes import write_qdpx

    before = len(window.service.documents())
    report = import_and_wait(qtbot, window, write_qdpx(tmp_path / "other.qdpx"),
                             decide=lambda dialog: dialog.reject())
    assert report is None and len(window.service.documents()) == before
    assert window.files.mapping_dialog is None
