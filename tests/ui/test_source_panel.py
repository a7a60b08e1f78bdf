"""The source registry panel on real widgets and a real SQLite project."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.domain.codebook import Dimension, default_codebook, with_labels
from annotator.domain.labels import Stance
from annotator.domain.model import Claim, Document, Source
from annotator.services.project import ProjectService
from annotator.ui.source_panel import (
    SourceClaimsModel,
    SourcePanel,
    SourceTableModel,
)
from tests.ui.tooltips import tooltip_text

ARCESATI = "Rebecca Arcesati, MERICS"

#: name, kind, reliability
SOURCES = [
    (ARCESATI, "person", None),
    ("MERICS", "organisation", "B"),
    ("the company", "", "F"),
    ("Xinhua", "organisation", "E"),
    ("Reuters", "organisation", "A"),
    ("Anonymous blogger", "person", None),
]


@dataclass
class Project:
    path: Path
    service: ProjectService
    documents: list[Document]
    sources: dict[str, Source]
    #: The three claims by Rebecca Arcesati: graded A2 in the first document; in the
    #: second, one with only a credibility of 3, one with no grade at all.
    graded: Claim
    credibility_only: Claim
    ungraded: Claim


def _claim(document: Document, start: int, source: Source, **labels: object) -> Claim:
    return Claim.new(document, start, start + 40, annotator="alice", source_id=source.id,
                     source_name=source.name, **labels)


@pytest.fixture
def project(seeded_project: Path) -> Iterator[Project]:
    service = ProjectService.open(seeded_project)
    first, second = (service.document(info.id) for info in service.documents()[:2])
    sources = {}
    for name, kind, grade in SOURCES:
        source = service.add_source(replace(Source.new(name, kind), reliability=grade))
        sources[name] = source
    arcesati = sources[ARCESATI]
    graded = _claim(first, 100, arcesati, source_reliability="A", info_credibility=2,
                    stance=Stance.SUPPORTS)
    credibility_only = _claim(second, 200, arcesati, info_credibility=3, stance=Stance.REFUTES)
    ungraded = _claim(second, 400, arcesati)
    service.add_claims([
        graded, credibility_only, ungraded,
        _claim(first, 600, sources["MERICS"], source_reliability="B", info_credibility=1),
        _claim(second, 700, sources["MERICS"]),
        _claim(first, 800, sources["the company"], source_reliability="F"),
        _claim(first, 900, sources["Reuters"], source_reliability="A", info_credibility=6),
    ])
    yield Project(seeded_project, service, [first, second], sources, graded,
                  credibility_only, ungraded)
    service.close()


@pytest.fixture
def panel(qtbot, project: Project) -> SourcePanel:  # type: ignore[no-untyped-def]
    widget = SourcePanel()
    qtbot.addWidget(widget)
    widget.set_codebook(default_codebook())
    widget.set_service(project.service)
    widget.resize(420, 600)
    return widget


def _column(panel: SourcePanel, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> list:
    proxy = panel.proxy
    return [proxy.data(proxy.index(row, column), role) for row in range(proxy.rowCount())]


def _row_of(panel: SourcePanel, name: str) -> int:
    return _column(panel, SourceTableModel.NAME).index(name)


def _select(panel: SourcePanel, name: str) -> None:
    panel.source_table.selectRow(_row_of(panel, name))
    assert panel.current_source() is not None
    assert panel.current_source().name == name


def _claim_rows(panel: SourcePanel) -> list[tuple[str, str, str, str]]:
    model = panel.claims
    return [tuple(model.data(model.index(row, column)) for column in range(4))
            for row in range(model.rowCount())]


def test_lists_every_source_with_kind_grade_and_claim_count(panel: SourcePanel) -> None:
    rows = {name: (_column(panel, SourceTableModel.KIND)[i],
                   _column(panel, SourceTableModel.GRADE)[i],
                   _column(panel, SourceTableModel.CLAIMS)[i])
            for i, name in enumerate(_column(panel, SourceTableModel.NAME))}
    assert rows == {
        ARCESATI: ("Person", "—", 3),
        "MERICS": ("Organisation", "B", 2),
        "the company": ("Unknown", "F", 1),
        "Xinhua": ("Organisation", "E", 0),
        "Reuters": ("Organisation", "A", 1),
        "Anonymous blogger": ("Person", "—", 0),
    }
    tips = dict(zip(_column(panel, SourceTableModel.NAME),
                    map(tooltip_text, _column(panel, SourceTableModel.GRADE,
                                              Qt.ItemDataRole.ToolTipRole)),
                    strict=True))
    assert tips["MERICS"].startswith("B — Usually reliable")
    assert tips["the company"].startswith("F — Reliability cannot be judged")
    assert tips[ARCESATI] == "Not graded"
    assert panel.title_label.text() == "No source selected"
    assert not panel.grade_combo.isEnabled()
    assert not panel.kind_combo.isEnabled()


def test_filter_matches_every_word_in_any_order(qtbot, panel: SourcePanel) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(panel.filter_edit, "merics")
    assert sorted(_column(panel, SourceTableModel.NAME)) == ["MERICS", ARCESATI]
    panel.filter_edit.clear()
    qtbot.keyClicks(panel.filter_edit, "merics  REBECCA")
    assert _column(panel, SourceTableModel.NAME) == [ARCESATI]
    qtbot.keyClicks(panel.filter_edit, "x")
    assert _column(panel, SourceTableModel.NAME) == []
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_edit.text() == ""
    assert panel.proxy.rowCount() == len(SOURCES)


def test_filter_that_hides_the_selected_source_empties_the_detail(
        qtbot, panel: SourcePanel) -> None:  # type: ignore[no-untyped-def]
    _select(panel, "Xinhua")
    qtbot.keyClicks(panel.filter_edit, "merics")
    assert panel.current_source() is None
    assert panel.claims.rowCount() == 0
    assert not panel.grade_combo.isEnabled()
    panel.filter_edit.clear()
    assert panel.current_source() is None          # not some neighbour nobody picked
    _select(panel, "MERICS")
    qtbot.keyClicks(panel.filter_edit, "mer")
    assert panel.current_source().name == "MERICS"  # still visible: still selected
    assert panel.claims.rowCount() == 2


def test_selected_source_shows_its_claims_across_documents_with_their_grades(
        panel: SourcePanel, project: Project) -> None:
    _select(panel, ARCESATI)
    first, second = (d.title for d in project.documents)
    assert _claim_rows(panel) == [
        (first, project.graded.quote, "A2", "supports"),
        (second, project.credibility_only.quote, "–3", "refutes"),
        (second, project.ungraded.quote, "—", "—"),
    ]
    model = panel.claims
    tip = tooltip_text(model.data(model.index(0, SourceClaimsModel.GRADE),
                                  Qt.ItemDataRole.ToolTipRole))
    assert "Source reliability: A — Completely reliable" in tip
    assert "Information credibility: 2 — Probably true" in tip
    assert panel.title_label.text() == ARCESATI
    assert panel.summary_label.text().startswith("3 claims in 2 documents · 2 without")
    assert panel.grade_combo.isEnabled()
    assert panel.grade_combo.currentData() is None
    assert panel.kind_combo.currentData() == "person"


def test_grade_combo_asks_for_the_grade_and_writes_nothing(
        qtbot, panel: SourcePanel, project: Project) -> None:  # type: ignore[no-untyped-def]
    arcesati = project.sources[ARCESATI]
    with qtbot.assertNotEmitted(panel.grade_requested), \
            qtbot.assertNotEmitted(panel.kind_requested):
        _select(panel, ARCESATI)    # showing a source's grade is not a request
    tips = [tooltip_text(panel.grade_combo.itemData(i, Qt.ItemDataRole.ToolTipRole))
            for i in range(panel.grade_combo.count())]
    assert [panel.grade_combo.itemData(i) for i in range(panel.grade_combo.count())] == [
        None, "A", "B", "C", "D", "E", "F"]
    assert tips[0] == "Not graded"
    assert tips[6].startswith("F — Reliability cannot be judged\nNo basis exists")
    panel.grade_combo.setFocus()
    with qtbot.waitSignal(panel.grade_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.grade_combo, Qt.Key.Key_C)
    assert blocker.args == [arcesati.id, "C"]
    assert project.service.source(arcesati.id).reliability is None

    _select(panel, "MERICS")
    with qtbot.waitSignal(panel.grade_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.grade_combo, Qt.Key.Key_Home)
    assert blocker.args == [project.sources["MERICS"].id, None]

    with qtbot.waitSignal(panel.kind_requested, timeout=1000) as blocker:
        qtbot.keyClick(panel.kind_combo, Qt.Key.Key_End)
    assert blocker.args == [project.sources["MERICS"].id, ""]
    assert project.service.source(project.sources["MERICS"].id).kind == "organisation"


def test_grading_prefills_ungraded_claims_and_graded_ones_keep_theirs(
        panel: SourcePanel, project: Project) -> None:
    arcesati = project.sources[ARCESATI]
    _select(panel, ARCESATI)
    panel.claim_table.selectRow(2)
    changed = project.service.grade_source(arcesati.id, "C")
    assert {after.id for _, after in changed} == {project.credibility_only.id,
                                                  project.ungraded.id}
    panel.refresh()

    assert panel.current_source().reliability == "C"          # selection kept
    assert panel.current_claim_id() == project.ungraded.id
    assert [row[2] for row in _claim_rows(panel)] == ["A2", "C3", "C–"]
    assert _column(panel, SourceTableModel.GRADE)[_row_of(panel, ARCESATI)] == "C"
    assert panel.grade_combo.currentData() == "C"
    model = panel.claims
    tip = tooltip_text(model.data(model.index(0, SourceClaimsModel.GRADE),
                                  Qt.ItemDataRole.ToolTipRole))
    assert "now graded C; this claim keeps the A it was given" in tip

    on_disk = ProjectService.open(project.path)
    try:
        assert on_disk.source(arcesati.id).reliability == "C"
        assert {claim.id: claim.source_reliability
                for claim, _ in on_disk.claims_by_source(arcesati.id)} == {
            project.graded.id: "A", project.credibility_only.id: "C",
            project.ungraded.id: "C"}
        merics = on_disk.claims_by_source(project.sources["MERICS"].id)
        assert sorted(str(c.source_reliability) for c, _ in merics) == ["B", "None"]
    finally:
        on_disk.close()


def test_refresh_keeps_the_selected_source_when_rows_move(
        panel: SourcePanel, project: Project) -> None:
    _select(panel, "Xinhua")
    project.service.add_source(Source.new("AAA first by name", "organisation"))
    panel.refresh()
    assert panel.current_source().name == "Xinhua"
    assert panel.proxy.rowCount() == len(SOURCES) + 1
    panel.set_service(None)
    assert panel.proxy.rowCount() == 0
    assert panel.current_source() is None
    assert panel.title_label.text() == "No project"


def test_double_click_and_enter_activate_a_claim(
        qtbot, panel: SourcePanel, project: Project) -> None:  # type: ignore[no-untyped-def]
    panel.show()
    qtbot.waitExposed(panel)
    _select(panel, ARCESATI)
    index = panel.claims.index(1, SourceClaimsModel.QUOTE)
    position = panel.claim_table.visualRect(index).center()
    with qtbot.waitSignal(panel.claim_activated, timeout=1000) as blocker:
        qtbot.mouseClick(panel.claim_table.viewport(), Qt.MouseButton.LeftButton, pos=position)
        qtbot.mouseDClick(panel.claim_table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert blocker.args == [project.documents[1].id, project.credibility_only.id]

    panel.claim_table.setFocus()
    panel.claim_table.selectRow(0)
    with qtbot.waitSignal(panel.claim_activated, timeout=1000) as blocker:
        qtbot.keyClick(panel.claim_table, Qt.Key.Key_Return)
    assert blocker.args == [project.documents[0].id, project.graded.id]


def test_reliability_sorts_a_to_e_then_cannot_be_judged_then_ungraded(
        panel: SourcePanel) -> None:
    grades = SourceTableModel.GRADE
    panel.source_table.sortByColumn(grades, Qt.SortOrder.AscendingOrder)
    assert _column(panel, grades) == ["A", "B", "E", "F", "—", "—"]
    assert _column(panel, SourceTableModel.NAME)[-2:] == ["Anonymous blogger", ARCESATI]
    panel.source_table.sortByColumn(grades, Qt.SortOrder.DescendingOrder)
    assert _column(panel, grades) == ["E", "B", "A", "F", "—", "—"]
    assert _column(panel, SourceTableModel.NAME)[-2:] == ["Anonymous blogger", ARCESATI]

    panel.source_table.sortByColumn(SourceTableModel.CLAIMS, Qt.SortOrder.DescendingOrder)
    assert _column(panel, SourceTableModel.CLAIMS) == [3, 2, 1, 1, 0, 0]
    panel.source_table.sortByColumn(SourceTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert _column(panel, SourceTableModel.NAME)[:2] == ["Anonymous blogger", "MERICS"]


def test_grade_names_and_colours_come_from_the_codebook(panel: SourcePanel) -> None:
    codebook = default_codebook()
    labels = [replace(label, name="Trusted", colour="#112233") if label.key == "B" else label
              for label in codebook.of(Dimension.SOURCE_RELIABILITY)]
    panel.set_codebook(with_labels(codebook, Dimension.SOURCE_RELIABILITY, labels))
    row = _row_of(panel, "MERICS")
    tip = tooltip_text(_column(panel, SourceTableModel.GRADE, Qt.ItemDataRole.ToolTipRole)[row])
    assert tip.startswith("B — Trusted")
    icon = _column(panel, SourceTableModel.GRADE, Qt.ItemDataRole.DecorationRole)[row]
    assert icon.pixmap(12, 12).toImage().pixelColor(5, 5).name() == "#112233"
    _select(panel, "MERICS")
    assert panel.grade_combo.currentText() == "B — Trusted"


def test_keyboard_flow_from_filter_into_the_table_and_back(
        qtbot, panel: SourcePanel, project: Project) -> None:  # type: ignore[no-untyped-def]
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.filter_edit, timeout=2000)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Tab)          # the tab order starts here
    assert QApplication.focusWidget() is panel.source_table
    panel.setFocus()
    assert QApplication.focusWidget() is panel.filter_edit

    qtbot.keyClicks(panel.filter_edit, "arcesati")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is panel.source_table
    assert panel.current_source().name == ARCESATI
    assert panel.claims.rowCount() == 3

    qtbot.keyClick(panel.source_table, Qt.Key.Key_Return)      # into the claims
    assert QApplication.focusWidget() is panel.claim_table
    with qtbot.waitSignal(panel.claim_activated, timeout=1000) as blocker:
        qtbot.keyClick(panel.claim_table, Qt.Key.Key_Down)
        qtbot.keyClick(panel.claim_table, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert blocker.args == [project.documents[1].id, project.credibility_only.id]

    panel.source_table.setFocus()
    qtbot.keyClick(panel.source_table, Qt.Key.Key_Up)         # top row: back to the filter
    assert QApplication.focusWidget() is panel.filter_edit

