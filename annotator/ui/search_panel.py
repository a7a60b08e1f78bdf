"""Search the project (Ctrl+Shift+F): a dock listing every hit in documents,
claims (quotes, propositions, notes, tags) and sources, with its context, as
plain text. Filters narrow by label, analyst, source, document status and dates;
the layer chooses the analysts' claims, the gold layer (review's claims) or both.
Enter or a double-click on a result opens its document and selects the claim
(a gold claim on the gold layer, shown for it), or, for a hit outside claims,
the text found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.search import SearchFilters, SearchResult, SearchService
from annotator.storage.errors import ProjectError
from annotator.ui.plain import plain_tooltip

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

ANY = "(any)"
STATUSES = (("new", "New"), ("in_progress", "In progress"), ("done", "Done"))
LAYERS = (("analysts", "Analysts' claims"), ("gold", "Gold layer"), ("all", "Both"))
LIMIT = 500
_RESULT = Qt.ItemDataRole.UserRole


def describe(result: SearchResult) -> str:
    """One line for a result: where, who, and the hit in its context."""
    who = (" · gold" if result.kind == "gold" else "") + \
        (f" · {result.analyst}" if result.analyst else "")
    return f"{result.document_title} · {result.field}{who}: {result.snippet.strip()}"


class SearchPanel(QWidget):
    """Signals:
        activated(document_id, claim_id or None, start, end, kind): a result was
        chosen (kind: ``analyst``, or ``gold`` for a gold claim).
    """

    activated = Signal(str, object, int, int, str)

    def __init__(self, service_of: Callable[[], ProjectService | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service_of = service_of
        #: Leaves out what the analyst may not see yet (blind double coding).
        self.visible: Callable[[list[SearchResult]], list[SearchResult]] = lambda found: found
        self.field = QLineEdit()
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText('Search the project ("..." for a phrase)')
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.label = self._combo("searchLabel")
        self.analyst = self._combo("searchAnalyst")
        self.source = self._combo("searchSource")
        self.status = self._combo("searchStatus")
        self.layer = QComboBox()
        self.layer.setObjectName("searchLayer")
        for value, text in LAYERS:
            self.layer.addItem(text, value)
        self.layer.setToolTip("Whose claims: the analysts', the gold layer review made "
                              "(only gold claims' hits), or both")
        self.layer.currentIndexChanged.connect(lambda _index: self.search())
        self.since, self.until = QLineEdit(), QLineEdit()
        for edit, name in ((self.since, "from"), (self.until, "to")):
            edit.setPlaceholderText(f"{name} YYYY-MM-DD")
            edit.setObjectName(f"search{name.title()}")
            edit.editingFinished.connect(self.search)
        self.results = QListWidget()
        self.results.setObjectName("searchResults")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._activate)
        self.count = QLabel()
        self.count.setObjectName("searchCount")
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.search)
        self.field.textChanged.connect(lambda _text: self._timer.start())

        filters = QFormLayout()
        filters.addRow("Label:", self.label)
        filters.addRow("Analyst:", self.analyst)
        filters.addRow("Source:", self.source)
        filters.addRow("Status:", self.status)
        filters.addRow("Layer:", self.layer)
        dates = QHBoxLayout()
        dates.addWidget(self.since)
        dates.addWidget(self.until)
        filters.addRow("Dates:", dates)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addLayout(filters)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.count)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItem(ANY, None)
        combo.currentIndexChanged.connect(lambda _index: self.search())
        return combo

    # Filling -------------------------------------------------------------------

    def refill(self) -> None:
        """The filters' choices from the project as it is now."""
        service = self._service_of()
        labels: list[tuple[str, str]] = []
        analysts: list[tuple[str, str]] = []
        sources: list[tuple[str, str]] = []
        if service is not None:
            codebook = CodebookService(service.database).codebook()
            labels = [(f"{label.dimension.value}: {label.name}",
                       f"{label.dimension.value}:{label.key}")
                      for label in codebook.labels]
            analysts = [(name or "(no name)", name)
                        for name, _count in ReviewService(service).analysts()]
            sources = [(s.source.name, s.source.id) for s in service.sources()]
        statuses = [(name, key) for key, name in STATUSES]
        for combo, choices in ((self.label, labels), (self.analyst, analysts),
                               (self.source, sources), (self.status, statuses)):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, None)
            for text, value in choices:
                combo.addItem(text, value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def open(self, query: str = "") -> None:
        self.refill()
        if query:
            self.field.setText(query)
        self.field.setFocus()
        self.field.selectAll()

    # Searching -----------------------------------------------------------------

    def filters(self) -> SearchFilters | None:
        """The chosen filters; None (and the reason shown) when a date is not one."""
        days: list[date | None] = []
        for edit in (self.since, self.until):
            value = edit.text().strip()
            try:
                days.append(date.fromisoformat(value) if value else None)
            except ValueError:
                self.count.setText(f"{value!r} is not a date (YYYY-MM-DD)")
                return None

        def one(combo: QComboBox) -> tuple[str, ...]:
            value = combo.currentData()
            return () if value is None else (value,)

        return SearchFilters(labels=one(self.label), analysts=one(self.analyst),
                             sources=one(self.source), statuses=one(self.status),
                             since=days[0], until=days[1], layer=self.layer.currentData())

    def search(self) -> list[SearchResult]:
        self._timer.stop()
        self.results.clear()
        service = self._service_of()
        query = self.field.text()
        chosen = self.filters()
        if chosen is None:
            return []
        if service is None or not query.strip():
            self.count.setText("")
            return []
        try:
            found = self.visible(
                SearchService(service.database).search(query, chosen, limit=LIMIT))
        except ProjectError as error:
            self.count.setText(f"Could not search: {error}")
            return []
        for result in found:
            item = QListWidgetItem(describe(result))
            item.setData(_RESULT, result)
            item.setToolTip(plain_tooltip(f"{result.document_title}\n{result.snippet}"))
            self.results.addItem(item)
        more = " (the first ones)" if len(found) >= LIMIT else ""
        self.count.setText(f"{len(found)} result{'s' if len(found) != 1 else ''}{more}")
        if found:
            self.results.setCurrentRow(0)
        return found

    def _activate(self, item: QListWidgetItem) -> None:
        if self._service_of() is None:          # the project was closed since
            self.results.clear()
            return
        result: SearchResult = item.data(_RESULT)
        self.activated.emit(result.document_id, result.claim_id, result.start, result.end,
                            result.kind)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive() or self.results.count() == 0:
                    self.search()
                elif self.results.currentItem() is not None:
                    self._activate(self.results.currentItem())
                return True
            if event.key() == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus()
                return True
        return super().eventFilter(watched, event)


def install(window: MainWindow) -> QDockWidget:
    """Make the window's search panel (``window.search_panel``) and its dock."""
    panel = window.search_panel = SearchPanel(lambda: window.service, window)
    panel.visible = lambda found: window.assignments.visible_results(found)
    panel.setObjectName("search")
    dock = window.add_dock("Search", panel, Qt.DockWidgetArea.RightDockWidgetArea)
    window.tabifyDockWidget(window.sources_dock, dock)
    window.claim_dock.raise_()
    dock.hide()
    panel.activated.connect(lambda *hit: jump(window, *hit))
    return dock


def open_search(window: MainWindow) -> None:
    """Ctrl+Shift+F: show the search dock, with the text selection as the query."""
    dock = window.search_dock
    dock.show()
    dock.raise_()
    selected = window.view.textCursor().selectedText()
    short = selected if len(selected) <= 200 and "\u2029" not in selected else ""
    window.search_panel.open(short)


def jump(window: MainWindow, document_id: str, claim_id: str | None,
         start: int, end: int, kind: str = "analyst") -> None:
    """Open the document of a result and select its claim (a gold claim on the
    gold layer, which is shown for it; an analyst's with the layer hidden), or
    the text found."""
    if claim_id is not None:
        current = window.current_document
        if current is None or current.id != document_id:
            window.reveal_document(document_id)
        window.review.set_gold_shown(kind == "gold")
        window.reveal_claim(document_id, claim_id)
        chosen = window.current_claim()
        if chosen is not None and chosen.id == claim_id:
            return
        # Not shown (the analysts shown leave it out, or it is gone): the span.
    current = window.current_document
    if current is None or current.id != document_id:
        window.reveal_document(document_id)
    current = window.current_document
    if current is None or current.id != document_id:
        return                      # the document is gone (deleted elsewhere)
    window.select_claim(None, reveal=False)
    if end > start:
        window.view.select_span(start, end)
        window.view.centerCursor()
    window.view.setFocus()
