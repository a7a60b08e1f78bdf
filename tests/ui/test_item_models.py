"""The item models of the document list and the claims table: a claim keeps its
row identity (current index, selection) when an edit moves it, and no edit of
one claim resets the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

from annotator.domain.codebook import default_codebook
from annotator.domain.editing import with_span
from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.ui.item_models import (
    SORT_ROLE,
    ClaimFilterModel,
    ClaimTableModel,
    DocumentFilterModel,
    DocumentListModel,
)
from annotator.ui.main_window import MainWindow
from tests.review.scenario import add_two_analysts, merics
from tests.ui.conftest import open_document_containing

ALT = Qt.KeyboardModifier.AltModifier
ID_ROLE = ClaimTableModel.ID_ROLE

#: Overlapping spans (start, end) and stances: sorted by (start, end) they are the
#: rows 0..5 of the claims table.
SPANS = ((100, 180, "supports"), (110, 130, "refutes"), (120, 200, None),
         (125, 126, "neutral"), (150, 260, "supports"), (170, 175, "refutes"))


@pytest.fixture
def document(seeded_project: Path) -> Iterator[Document]:
    service = ProjectService.open(seeded_project)
    try:
        yield service.document(service.documents()[0].id)
    finally:
        service.close()


def _claims(document: Document) -> list[Claim]:
    return [Claim.new(document, start, end, annotator="alice", stance=stance)
            for start, end, stance in SPANS]


class Table:
    """A claims table as the window builds it: view over proxy over model, with a
    record of every current-row change and every reset."""

    def __init__(self, qtbot, claims: list[Claim]) -> None:  # type: ignore[no-untyped-def]
        self.model = ClaimTableModel()
        self.model.set_codebook(default_codebook())
        self.model.set_claims(claims)
        self.proxy = ClaimFilterModel()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        qtbot.addWidget(self.view)
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.row_changes: list[str] = []
        self.resets = 0
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.row_changes.append(current.data(ID_ROLE)))
        self.model.modelReset.connect(self._on_reset)
        self.proxy.modelReset.connect(self._on_reset)

    def _on_reset(self) -> None:
        self.resets += 1

    def sort(self, header: str) -> None:
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ClaimTableModel.HEADERS.index(header), Qt.SortOrder.AscendingOrder)

    def make_current(self, claim_id: str) -> None:
        row = self.model.row_of(claim_id)
        assert row is not None
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.row_changes.clear()

    def current_id(self) -> str | None:
        return self.view.currentIndex().data(ID_ROLE)

    def selected_ids(self) -> list[str]:
        return [index.data(ID_ROLE) for index in self.view.selectionModel().selectedRows()]

    def shown_ids(self) -> list[str]:
        return [self.proxy.index(row, 0).data(ID_ROLE) for row in range(self.proxy.rowCount())]


def _assert_in_text_order(model: ClaimTableModel) -> None:
    claims = model.claims()
    assert claims == sorted(claims, key=lambda c: (c.start, c.end, c.id))
    for row, claim in enumerate(claims):
        assert model.row_of(claim.id) == row
        assert model.index(row, 0).data(ID_ROLE) == claim.id


# A claim's new span, by row: moves it up, down, to either end, past one or
# several overlapping neighbours, or keeps its row with another key.
MOVES = [
    (0, (300, 320)),     # first → last
    (5, (10, 20)),       # last → first
    (0, (115, 120)),     # first → past one neighbour
    (1, (100, 181)),     # down by one (same start as row 0, longer)
    (1, (100, 150)),     # up by one
    (2, (160, 170)),     # down past two
    (4, (105, 106)),     # up past three
    (3, (125, 127)),     # new key, same row
    (5, (170, 176)),     # last, new key, same row
    (2, (0, 500)),       # to the top, spanning everything
]


@pytest.mark.parametrize(("row", "span"), MOVES)
@pytest.mark.parametrize("sort", [None, "Start", "Stance"])
def test_replace_keeps_the_current_claim_when_its_row_moves(
        qtbot, document: Document, row: int, span: tuple[int, int],  # type: ignore[no-untyped-def]
        sort: str | None) -> None:
    claims = _claims(document)
    table = Table(qtbot, claims)
    if sort is not None:
        table.sort(sort)
    before = sorted(claims, key=lambda c: (c.start, c.end))[row]
    table.make_current(before.id)
    assert table.current_id() == before.id

    after = with_span(before, document.text, *span)
    table.model.replace(before, after)

    assert table.current_id() == before.id
    assert table.selected_ids() == [before.id]
    assert table.row_changes == []            # no other claim became current
    assert table.resets == 0
    assert table.model.claim_at(table.model.row_of(before.id)) == after
    _assert_in_text_order(table.model)
    if sort is not None:          # the proxy placed the edited claim by its new value
        column = ClaimTableModel.HEADERS.index(sort)
        shown = [table.proxy.index(r, column).data(SORT_ROLE) for r in range(6)]
        assert shown == sorted(shown)


def test_replace_keeps_persistent_indexes_of_every_claim(qtbot, document: Document) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(document)
    table = Table(qtbot, claims)
    pins = {c.id: QPersistentModelIndex(table.model.index(table.model.row_of(c.id), 3))
            for c in claims}
    moved = sorted(claims, key=lambda c: (c.start, c.end))[1]
    table.model.replace(moved, with_span(moved, document.text, 240, 250))
    for claim_id, pin in pins.items():
        assert pin.isValid() and pin.column() == 3
        assert pin.data(ID_ROLE) == claim_id


def test_replace_with_a_new_stance_resorts_the_proxy_and_keeps_the_current_claim(
        qtbot, document: Document) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(document)
    table = Table(qtbot, claims)
    table.sort("Stance")
    first = table.shown_ids()[0]
    claim = next(c for c in claims if c.id == first)
    table.make_current(first)
    table.model.replace(claim, claim.edited(stance="supports"))
    assert table.current_id() == first
    assert table.shown_ids()[0] != first       # moved down among the "supports"
    assert table.row_changes == [] and table.resets == 0


def test_add_and_remove_never_reset_and_keep_the_current_claim(
        qtbot, document: Document) -> None:  # type: ignore[no-untyped-def]
    claims = _claims(document)
    table = Table(qtbot, claims[1:])
    current = claims[3]
    table.make_current(current.id)
    table.model.add(claims[0])                 # before the current row
    assert table.current_id() == current.id
    table.model.remove(claims[2])
    assert table.current_id() == current.id
    table.model.add(Claim.new(document, 400, 410, annotator="alice"))
    assert table.row_changes == [] and table.resets == 0
    _assert_in_text_order(table.model)


def test_alt_right_twice_moves_the_same_claims_end(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The issue's steps: mark three claims, Esc, Tab to the first, Alt+Right twice."""
    text = open_document_containing(window, "Nasdaq plummeted")
    marked = []
    for quote in ("Nasdaq", "Chinese startup", "fraction of the cost"):
        start = text.index(quote)
        window.view.select_span(start, start + len(quote))
        claim = window.mark_claim()
        assert claim is not None
        marked.append(claim)
    first = min(marked, key=lambda c: c.start)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.current_claim() is None
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.current_claim().id == first.id  # type: ignore[union-attr]
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT)
    qtbot.keyClick(window.view, Qt.Key.Key_Right, ALT)
    current = window.current_claim()
    assert current is not None and current.id == first.id
    assert (current.start, current.end) == (first.start, first.end + 2)
    index = window.claim_table.currentIndex()
    assert index.data(ID_ROLE) == first.id
    others = {c.id: (c.start, c.end) for c in marked if c.id != first.id}
    rows = [window.claims.claim_at(r) for r in range(window.claims.rowCount())]
    assert {c.id: (c.start, c.end) for c in rows if c.id != first.id} == others


# Qt's model rules (pytest-qt's model tester), on the project's real data ----------------

@pytest.fixture
def service(seeded_project: Path) -> Iterator[ProjectService]:
    """The sample corpus with alice's and bob's claims on the MERICS briefing."""
    project = ProjectService.open(seeded_project)
    add_two_analysts(project)
    yield project
    project.close()


def _every_sort(view: QTableView) -> None:
    """Sort a view's proxy by every column, both ways (each a layout change)."""
    view.setSortingEnabled(True)
    for column in range(view.model().columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.sortByColumn(column, order)


@pytest.mark.parametrize("checked", ["model", "proxy"])
def test_document_models_follow_qts_rules(qtbot, check_model, service: ProjectService,  # type: ignore[no-untyped-def]
                                          checked: str) -> None:
    model = DocumentListModel()
    proxy = DocumentFilterModel()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    check_model(model if checked == "model" else proxy)          # empty first
    documents = service.documents()
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_documents(documents)
    assert model.rowCount() == len(documents) == proxy.rowCount() == 4
    _every_sort(view)
    merics = next(d for d in documents if d.claim_count)
    model.update(merics.id, claims=1, incomplete=1, status="in_progress",
                 review_status="in_review")
    model.update(merics.id, claims=-1, incomplete=-1, status="done", review_status="adjudicated")
    model.update("no such document", claims=1)
    proxy.set_status_filter("done")
    assert proxy.rowCount() == 1
    model.update(merics.id, status="in_progress")      # leaves the filtered list
    assert proxy.rowCount() == 0
    proxy.set_status_filter(None)
    model.set_documents([*documents, dataclasses.replace(documents[0], id="old",
                                                         superseded=True)])
    assert "(old version)" in model.index(4, 0).data()
    model.set_documents([])
    assert proxy.rowCount() == 0
    assert len(resets) == 3           # only set_documents resets; update never does


@pytest.mark.parametrize("lazily", [False, True])
@pytest.mark.parametrize("checked", ["model", "proxy"])
def test_claim_models_follow_qts_rules(qtbot, check_model, service: ProjectService,  # type: ignore[no-untyped-def]
                                       checked: str, lazily: bool) -> None:
    """Also with the claims given lazily, as the window opens a document: rows
    are made as they are asked for, and every edit works the same."""
    document = merics(service)
    claims = service.claims(document.id)
    assert len(claims) == 10
    table = Table(qtbot, [])
    check_model(table.model if checked == "model" else table.proxy)    # empty first
    table.model.set_claims(service.claims_lazily(document.id, document.text) if lazily
                           else claims)
    assert table.model.claims() == claims
    table.resets = 0
    _every_sort(table.view)
    table.sort("Start")
    first, second, *_rest = table.model.claims()
    table.make_current(first.id)

    table.model.set_codebook(default_codebook())                  # every row changes
    added = Claim.new(document, first.start + 1, first.end, annotator="carol", stance="refutes")
    table.model.add(added)
    moved = with_span(first, document.text, second.end, second.end + 30)
    table.model.replace(first, moved)                             # moves down
    table.model.replace(moved, moved.edited(stance="neutral", note="checked"))   # in place
    back = with_span(moved, document.text, first.start, first.end)
    table.model.replace(moved.edited(stance="neutral", note="checked"), back)   # moves up
    table.model.remove(second)
    table.model.remove(second)                                    # no longer there: no-op
    assert table.current_id() == first.id and table.row_changes == []
    alice = sum(1 for c in table.model.claims() if c.annotator == "alice")
    table.proxy.set_filter(lambda c: c.annotator == "alice")
    assert table.proxy.rowCount() == alice < table.model.rowCount()
    table.model.add(Claim.new(document, 0, 5, annotator="alice"))  # passes the filter
    table.model.add(Claim.new(document, 0, 6, annotator="bob"))    # filtered out
    assert table.proxy.rowCount() == alice + 1
    # Edits under the filter: a hidden claim moves, a shown one moves, one is
    # hidden by its edit and shown again.
    hidden = next(c for c in table.model.claims() if c.annotator == "bob")
    table.model.replace(hidden, with_span(hidden, document.text, 1, 3))
    shown = next(c for c in reversed(table.model.claims()) if c.annotator == "alice")
    table.model.replace(shown, with_span(shown, document.text, 2, 4))
    shown = table.model.claim_at(table.model.row_of(shown.id))
    table.model.replace(shown, dataclasses.replace(shown, annotator="bob"))
    assert table.proxy.rowCount() == alice
    table.model.replace(dataclasses.replace(shown, annotator="bob"), shown)
    assert table.proxy.rowCount() == alice + 1
    table.proxy.set_filter(None)
    _assert_in_text_order(table.model)
    assert table.resets == 0           # add, remove, replace, codebook: never a reset
    table.model.set_claims([])
    assert table.proxy.rowCount() == 0
