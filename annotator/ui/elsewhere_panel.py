"""The "Elsewhere" panel: the current claim across the corpus.

It shows, for the claim the analyst sees as current: where else the same claim
appears (its cluster, with each appearance's document, source and grades), the
evidence linked to it both ways, how many independent sources corroborate it
and the credibility that suggests (a suggestion only: "Apply" makes it a normal
undoable edit), the figures its appearances disagree on side by side, and
passages that look like the same claim, to confirm or dismiss.

The panel only shows and asks: it emits what the analyst wants done, and
:mod:`annotator.ui.elsewhere` turns that into undo steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.clusters import credibility_text
from annotator.domain.model import Claim
from annotator.domain.wording import plural, shorten
from annotator.services.links import Appearance, LinkedClaim
from annotator.ui.plain import plain_label, plain_tooltip

#: Characters of a quote a row shows (the tooltip has it whole).
QUOTE_CHARS = 90
#: Rows a list shows before it scrolls, and the most lines of text it is tall.
MAX_ROWS = 4
MAX_LINES = 12

_RELATION_NAMES = {"same": "Same claim", "supports": "Supports",
                   "refutes": "Refutes", "not_enough_info": "Not enough info"}


@dataclass(frozen=True, slots=True)
class FigureRow:
    """Two figures that disagree, side by side."""

    first: str
    first_where: str
    second: str
    second_where: str
    gap: str
    soft: bool


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """A passage that may state the claim: ``candidate`` as the service gave it."""

    candidate: Any
    document_title: str


@dataclass(frozen=True, slots=True)
class ElsewhereView:
    """Everything the panel shows for one claim."""

    claim: Claim
    cluster: Sequence[Appearance] = ()
    links: Sequence[LinkedClaim] = ()
    corroboration: int = 1
    suggested: int | None = None
    figures: Sequence[FigureRow] = ()
    candidates: Sequence[CandidateRow] = ()
    read_only: bool = False


def grades(claim: Claim) -> str:
    return claim.reliability_code or "—"


class _Wrapped(QStyledItemDelegate):
    """Rows as tall as their text wrapped at the list's width (Qt's own size hint
    does not wrap, so a wrapped quote would be cut)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        view = self.parent()
        assert isinstance(view, QTreeWidget)
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
        margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin,
                                          None, view) + 1
        width = max(view.viewport().width() - 2 * margin - 2, 40)
        text = str(index.data() or "")
        rect = metrics.boundingRect(QRect(0, 0, width, 100000),
                                    int(Qt.TextFlag.TextWordWrap), text)
        return QSize(hint.width(), max(hint.height(), rect.height() + 4))


class _Rows(QTreeWidget):
    """A list as tall as its first :data:`MAX_ROWS` rows (then it scrolls); rows
    wrap at words, so it grows and shrinks with the panel's width."""

    def fit_height(self) -> None:
        rows = min(self.topLevelItemCount(), MAX_ROWS)
        if not rows:
            return
        # The rows' heights at the list's width (wrapped quotes differ in lines).
        width = self.viewport().width()
        heights = [self.sizeHintForRow(r) for r in range(rows)]
        if self.topLevelItemCount() > rows:     # a glimpse of the next row: it scrolls
            heights.append(self.fontMetrics().height())
        # Never more than MAX_LINES lines of text: the panel under the claim panel
        # is short, and the lists below it must stay in reach.
        most = MAX_LINES * self.fontMetrics().lineSpacing()
        height = min(sum(heights), most) + 2 * self.frameWidth() + 2
        if self.height() != height or self.property("fittedWidth") != width:
            self.setProperty("fittedWidth", width)
            self.setFixedHeight(height)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()
            self.fit_height()


def _tree(name: str) -> QTreeWidget:
    """A list of rows (the quote, wrapped, then where it is and its grades): the
    panel is as narrow as the claim panel, too narrow for columns."""
    tree = _Rows()
    tree.setItemDelegate(_Wrapped(tree))
    tree.setObjectName(name)
    tree.setHeaderHidden(True)
    tree.setColumnCount(1)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setStretchLastSection(True)
    tree.setMinimumHeight(2 * tree.fontMetrics().height() + 8)
    return tree


def _heading(text: str) -> QLabel:
    """A section's title: wrapped, so a long count never widens the panel."""
    label = plain_label(text)
    label.setWordWrap(True)
    return label


def _item(first: str, second: str, tip: str, data: object) -> QTreeWidgetItem:
    """A row: ``first`` (wrapped at words) over ``second``; the tooltip has ``tip``
    (the whole quote) and ``second``."""
    second = " ".join(second.split())
    item = QTreeWidgetItem([" ".join(first.split()) + "\n" + second])
    item.setToolTip(0, plain_tooltip(f"{tip}\n{second}"))
    item.setData(0, Qt.ItemDataRole.UserRole, data)
    return item


def _where(appearance: Appearance) -> str:
    """``B2 · Source · Title``."""
    return " · ".join((grades(appearance.claim), shorten(appearance.source_text or "no source",
                                                         30),
                       shorten(appearance.document_title, 50)))


class ElsewherePanel(QWidget):
    """Signals:
        activated(str, str): open this document and make this claim current.
        apply_requested(int): set the current claim's credibility to this grade.
        unlink_requested(object): remove this link (a :class:`LinkedClaim`).
        confirm_requested(object): confirm this candidate (a service Candidate).
        dismiss_requested(object): dismiss this candidate.
        remember_requested(): remember the current claim as the link source.
        link_requested(str): link the remembered claim to the current one with this
            relation (supports, refutes, not_enough_info).
        escaped(): Esc: back to the text.
    """

    activated = Signal(str, str)
    apply_requested = Signal(int)
    unlink_requested = Signal(object)
    confirm_requested = Signal(object)
    dismiss_requested = Signal(object)
    remember_requested = Signal()
    link_requested = Signal(str)
    escaped = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view: ElsewhereView | None = None
        self._looking = False
        self._source: Appearance | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.summary = plain_label("No current claim.")
        self.summary.setObjectName("elsewhereSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        suggestion = QHBoxLayout()
        self.suggestion = plain_label("")
        self.suggestion.setObjectName("suggestedCredibility")
        self.suggestion.setWordWrap(True)
        self.apply_button = QPushButton("&Apply")
        self.apply_button.setToolTip("Set the claim's information credibility to the "
                                     "suggested grade (an edit you can undo)")
        self.apply_button.clicked.connect(self._apply)
        suggestion.addWidget(self.suggestion, 1)
        suggestion.addWidget(self.apply_button)
        layout.addLayout(suggestion)

        self.cluster_title = _heading("Appearances (the same claim):")
        layout.addWidget(self.cluster_title)
        self.cluster = _tree("elsewhereCluster")
        layout.addWidget(self.cluster)

        self.links_title = _heading("Evidence links:")
        layout.addWidget(self.links_title)
        self.links = _tree("elsewhereLinks")
        layout.addWidget(self.links)
        link_buttons = QHBoxLayout()
        self.unlink_button = QPushButton("&Unlink")
        self.unlink_button.setToolTip("Remove the selected link (Delete)")
        self.unlink_button.clicked.connect(self._unlink)
        link_buttons.addWidget(self.unlink_button)
        link_buttons.addStretch(1)
        layout.addLayout(link_buttons)

        self.link_source = plain_label("")
        self.link_source.setObjectName("linkSource")
        self.link_source.setWordWrap(True)
        layout.addWidget(self.link_source)
        remember = QHBoxLayout()
        self.remember_button = QPushButton("&Remember as Evidence")
        self.remember_button.setToolTip("Remember this claim, then go to the claim it is "
                                        "evidence about (Ctrl+Shift+L)")
        self.remember_button.clicked.connect(self.remember_requested)
        remember.addWidget(self.remember_button)
        remember.addStretch(1)
        layout.addLayout(remember)
        evidence = QHBoxLayout()
        self.relation_buttons: dict[str, QPushButton] = {}
        for relation, text in (("supports", "&Supports"), ("refutes", "Re&futes"),
                               ("not_enough_info", "&Not Enough")):
            button = QPushButton(text)
            button.setToolTip(f"The remembered claim {_RELATION_NAMES[relation].lower()} "
                              "this one")
            button.clicked.connect(lambda _=False, r=relation: self.link_requested.emit(r))
            # They share the row however narrow the panel (the text may then be cut).
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(48)
            evidence.addWidget(button)
            self.relation_buttons[relation] = button
        layout.addLayout(evidence)

        self.figures_title = _heading("Figures that disagree:")
        layout.addWidget(self.figures_title)
        self.figures = _tree("elsewhereFigures")
        layout.addWidget(self.figures)

        self.candidates_title = _heading("Similar passages (the same claim?):")
        layout.addWidget(self.candidates_title)
        self.candidates = _tree("elsewhereCandidates")
        layout.addWidget(self.candidates)
        candidate_buttons = QHBoxLayout()
        self.confirm_button = QPushButton("&Confirm")
        self.confirm_button.setToolTip("The selected passage states the same claim: it "
                                       "becomes a claim linked to this one (Ctrl+Return)")
        self.confirm_button.clicked.connect(self._confirm)
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("The selected passage is not this claim: never "
                                       "suggest it again (Delete)")
        self.dismiss_button.clicked.connect(self._dismiss)
        candidate_buttons.addWidget(self.confirm_button)
        candidate_buttons.addWidget(self.dismiss_button)
        candidate_buttons.addStretch(1)
        layout.addLayout(candidate_buttons)
        layout.addStretch(1)

        for tree in (self.cluster, self.links, self.candidates):
            tree.itemActivated.connect(self._on_activated)
            tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        for key, tree, slot in ((QKeySequence("Ctrl+Return"), self.candidates, self._confirm),
                                (QKeySequence(QKeySequence.StandardKey.Delete),
                                 self.candidates, self._dismiss),
                                (QKeySequence(QKeySequence.StandardKey.Delete),
                                 self.links, self._unlink)):
            shortcut = QShortcut(key, tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.escaped)
        self.set_link_source(None)
        self.show_view(None)

    # What is shown ---------------------------------------------------------------------

    def show_view(self, view: ElsewhereView | None, *, looking: bool = False) -> None:
        """Show ``view`` (None: no current claim); ``looking``: its similar passages
        are still being looked for (:meth:`set_candidates` brings them)."""
        self._view = view
        self._looking = looking
        for tree in (self.cluster, self.links, self.figures, self.candidates):
            tree.clear()
        if view is None:
            self.summary.setText("No current claim: Tab to a claim to see it elsewhere.")
            self.suggestion.setText("")
            self._show_sections()
            self._update_buttons()
            return
        others = len(view.cluster) - 1
        self.summary.setText(
            f"“{shorten(view.claim.quote, 60)}”: "
            + (f"the same claim in {plural(others, 'other place')}; " if others > 0
               else "no confirmed appearance elsewhere; ")
            + f"corroboration {plural(view.corroboration, 'independent source')}.")
        if view.suggested is None:
            self.suggestion.setText("Suggested credibility: none (no other independent "
                                    "source)")
        else:
            current = view.claim.info_credibility
            now = f" (now {current})" if current is not None else " (now unset)"
            self.suggestion.setText(
                f"Suggested credibility: {credibility_text(view.suggested)}{now}")
        for appearance in view.cluster:
            claim = appearance.claim
            item = _item(shorten(claim.quote, QUOTE_CHARS), _where(appearance),
                         f"{claim.quote}\n\n{appearance.document_title}", appearance)
            if claim.id == view.claim.id:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self.cluster.addTopLevelItem(item)
        for linked in view.links:
            if linked.relation == "same":
                continue      # shown as appearances
            other = linked.other
            self.links.addTopLevelItem(_item(
                f"{linked.reading[0].upper()}{linked.reading[1:]}: "
                f"{shorten(other.claim.quote, QUOTE_CHARS)}", _where(other),
                f"{other.claim.quote}\n\n{other.document_title}", linked))
        for row in view.figures:
            apart = row.gap + (", rounding?" if row.soft else "")
            self.figures.addTopLevelItem(_item(
                f"{row.first}  ≠  {row.second}  ({apart})",
                f"{shorten(row.first_where, 40)}  /  {shorten(row.second_where, 40)}",
                f"{row.first} in {row.first_where}\n{row.second} in {row.second_where}", row))
        self._fill_candidates(view.candidates)
        for tree in (self.cluster, self.links):
            if tree.topLevelItemCount():
                tree.setCurrentItem(tree.topLevelItem(0))
        self._show_sections()
        self._update_buttons()

    def set_candidates(self, rows: Sequence[CandidateRow] | None) -> None:
        """The similar passages of the claim shown (None: still looking)."""
        if self._view is None:
            return
        self._looking = rows is None
        self._view = replace(self._view, candidates=tuple(rows or ()))
        self._fill_candidates(self._view.candidates)
        self._show_sections()
        self._update_buttons()

    def _fill_candidates(self, rows: Sequence[CandidateRow]) -> None:
        self.candidates.clear()
        for row in rows:
            candidate = row.candidate
            reasons = "; ".join(getattr(candidate, "reasons", ()) or ())
            kind = "a claim" if getattr(candidate, "claim_id", None) else "unlabelled text"
            self.candidates.addTopLevelItem(_item(
                f"{candidate.score:.2f}  {shorten(candidate.quote, QUOTE_CHARS)}",
                f"{shorten(row.document_title, 50)} · {kind}" + (f" · {reasons}" if reasons
                                                                else ""),
                f"{candidate.quote}\n\n{row.document_title}\n{reasons}", row))
        if self.candidates.topLevelItemCount():
            self.candidates.setCurrentItem(self.candidates.topLevelItem(0))

    def _show_sections(self) -> None:
        """Titles that count their rows; an empty list takes no room."""
        for tree, title, text in (
                (self.cluster, self.cluster_title, "Appearances (the same claim)"),
                (self.links, self.links_title, "Evidence links"),
                (self.figures, self.figures_title, "Figures that disagree"),
                (self.candidates, self.candidates_title, "Similar passages (the same claim?)")):
            count = tree.topLevelItemCount()
            none = "looking…" if tree is self.candidates and self._looking else "none"
            title.setText(f"{text}: {count}" if count else f"{text}: {none}")
            tree.setVisible(count > 0)
            if count:       # as tall as its rows (up to MAX_ROWS; then it scrolls)
                tree.fit_height()  # type: ignore[attr-defined]

    def first_focus(self) -> QWidget:
        """Where the keyboard goes when the panel is entered: the first list with
        rows, else the first button that can act."""
        for widget in (self.cluster, self.links, self.figures, self.candidates):
            if widget.topLevelItemCount():
                return widget
        for button in (self.apply_button, self.remember_button):
            if button.isEnabled():
                return button
        return self

    @property
    def view(self) -> ElsewhereView | None:
        return self._view

    def set_link_source(self, source: Appearance | None) -> None:
        """The claim remembered as evidence (None: none)."""
        self._source = source
        if source is None:
            self.link_source.setText("Evidence: remember a claim as evidence, then link it "
                                     "here as supporting or refuting the current claim.")
        else:
            self.link_source.setText(f"Evidence remembered: “{shorten(source.claim.quote, 60)}”"
                                     f" ({shorten(source.document_title, 40)})")
        self._update_buttons()

    def _update_buttons(self) -> None:
        view = self._view
        writable = view is not None and not view.read_only
        self.apply_button.setEnabled(
            writable and view.suggested is not None  # type: ignore[union-attr]
            and view.claim.info_credibility != view.suggested)  # type: ignore[union-attr]
        self.unlink_button.setEnabled(view is not None and self.links.currentItem() is not None)
        self.remember_button.setEnabled(view is not None)
        can_link = (view is not None and self._source is not None
                    and self._source.claim.id != view.claim.id)
        for button in self.relation_buttons.values():
            button.setEnabled(can_link)
        chosen = self.candidates.currentItem() is not None
        self.confirm_button.setEnabled(view is not None and chosen)
        self.dismiss_button.setEnabled(view is not None and chosen)

    # The analyst's moves -----------------------------------------------------------------

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(data, LinkedClaim):
            data = data.other
        if isinstance(data, Appearance):
            self.activated.emit(data.claim.document_id, data.claim.id)
        elif isinstance(data, CandidateRow):
            candidate = data.candidate
            if getattr(candidate, "claim_id", None):
                self.activated.emit(candidate.document_id, candidate.claim_id)

    def _apply(self) -> None:
        if self._view is not None and self._view.suggested is not None \
                and self.apply_button.isEnabled():
            self.apply_requested.emit(self._view.suggested)

    def _unlink(self) -> None:
        item = self.links.currentItem()
        if item is not None:
            self.unlink_requested.emit(item.data(0, Qt.ItemDataRole.UserRole))

    def _chosen_candidate(self) -> Any:
        item = self.candidates.currentItem()
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole).candidate

    def _confirm(self) -> None:
        candidate = self._chosen_candidate()
        if candidate is not None and self.confirm_button.isEnabled():
            self.confirm_requested.emit(candidate)

    def _dismiss(self) -> None:
        candidate = self._chosen_candidate()
        if candidate is not None and self.dismiss_button.isEnabled():
            self.dismiss_requested.emit(candidate)
