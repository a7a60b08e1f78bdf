"""Dialogs of the review: merge two analysts' claims, edit a gold claim, comment
on an analyst's claim, and the comments on the current analyst's claims.

Dialogs only collect choices; the review mode stores them as undoable commands.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.editing import with_span
from annotator.domain.model import Claim, normalise_tags
from annotator.domain.review import HistoryEntry, ReviewComment, claim_values
from annotator.domain.wording import shorten
from annotator.review.matching import Unit
from annotator.ui.claim_editor import swatch
from annotator.ui.colours import set_text_role
from annotator.ui.plain import plain_label, plain_tooltip
from annotator.ui.review_panel import label_name
from annotator.ui.tables import add_header_tips


def labels_text(claim: Claim, codebook: Codebook) -> str:
    """A claim's labels in one line: "Supports · B2 · Quantity"."""
    parts = [label_name(codebook, Dimension.STANCE, claim.stance)]
    parts.append(claim.reliability_code or "—")
    parts.append(label_name(codebook, Dimension.CLAIM_TYPE, claim.claim_type))
    return " · ".join(parts)


def span_text(claim: Claim) -> str:
    return f"{claim.start}–{claim.end} “{shorten(claim.quote, 50)}”"


class MergeDialog(QDialog):
    """Pick the analyst whose span and the analyst whose labels make the gold claim."""

    def __init__(self, unit: Unit, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Claims")
        self.unit = unit
        self.span_from = QComboBox()
        self.span_from.setObjectName("mergeSpanFrom")
        self.labels_from = QComboBox()
        self.labels_from.setObjectName("mergeLabelsFrom")
        for analyst, claim in unit.claims.items():
            self.span_from.addItem(f"{analyst}: {span_text(claim)}", analyst)
            self.labels_from.addItem(f"{analyst}: {labels_text(claim, codebook)}", analyst)
        if self.labels_from.count() > 1:
            self.labels_from.setCurrentIndex(1)
        self.note = QLabel()
        set_text_role(self.note, "warning")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Span from", self.span_from)
        form.addRow("Labels from", self.labels_from)
        about = QLabel("The gold claim takes the span of one analyst's claim and the "
                       "labels (stance, grades, type, source, proposition, note, tags) of "
                       "another's.")
        about.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(600, self.sizeHint().height())
        self.span_from.currentIndexChanged.connect(lambda _i: self._check())
        self.labels_from.currentIndexChanged.connect(lambda _i: self._check())
        self._check()

    def _check(self) -> None:
        same = self.span_from.currentData() == self.labels_from.currentData()
        self.note.setText("Span and labels from the same analyst: use Accept." if same else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not same)

    def choice(self) -> tuple[str, str]:
        return str(self.span_from.currentData()), str(self.labels_from.currentData())

    def set_choice(self, span_from: str, labels_from: str) -> None:
        self.span_from.setCurrentIndex(self.span_from.findData(span_from))
        self.labels_from.setCurrentIndex(self.labels_from.findData(labels_from))


_UNION, _OVERLAP, _SELECTION, _KEEP = "\x00union", "\x00overlap", "\x00selection", "\x00keep"


class GoldClaimDialog(QDialog):
    """The reviewer's own version of a claim: a span (an analyst's, the union or
    overlap of the unit's spans, or the viewer's selection) and every label.

    For a unit, ``claims`` are its analysts' claims and the result also says which
    claims the span and labels started from. For an existing gold claim, pass
    ``gold`` (its span is kept unless the viewer's selection is chosen)."""

    def __init__(self, codebook: Codebook, text: str, *, claims: dict[str, Claim] | None = None,
                 gold: Claim | None = None, selection: tuple[int, int] | None = None,
                 propositions: Sequence[str] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if (claims is None) == (gold is None):
            raise ValueError("a unit's claims or a gold claim, not both")
        self.setWindowTitle("Edit Gold Claim" if gold is not None else "Edit Decision")
        self._codebook, self._text = codebook, text
        self._claims = dict(claims or {})
        self._gold = gold
        self._selection = selection
        self.span = QComboBox()
        self.span.setObjectName("goldSpan")
        self.base = QComboBox()
        self.base.setObjectName("goldLabelsFrom")
        if gold is not None:
            self.span.addItem(f"Keep: {span_text(gold)}", _KEEP)
        for analyst, claim in self._claims.items():
            self.span.addItem(f"{analyst}: {span_text(claim)}", analyst)
            self.base.addItem(f"{analyst}: {labels_text(claim, codebook)}", analyst)
        if len(self._claims) > 1:
            starts = [c.start for c in self._claims.values()]
            ends = [c.end for c in self._claims.values()]
            self.span.addItem(f"Union of the spans ({min(starts)}–{max(ends)})", _UNION)
            if max(starts) < min(ends):
                self.span.addItem(f"Overlap of the spans ({max(starts)}–{min(ends)})", _OVERLAP)
        if selection is not None:
            self.span.addItem(f"Selection in the viewer ({selection[0]}–{selection[1]})",
                              _SELECTION)
        self.combos: dict[Dimension, QComboBox] = {}
        self.proposition = QComboBox()
        self.proposition.setEditable(True)
        self.proposition.addItems(list(propositions))
        self.tags = QLineEdit()
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form = QFormLayout()
        form.addRow("Span", self.span)
        if self._claims:
            form.addRow("Start from labels of", self.base)
        for dimension in codebook.dimensions():
            combo = QComboBox()
            combo.addItem("—", None)
            for label in codebook.of(dimension):
                name = f"{label.key} — {label.name}" if dimension.fixed_keys else label.name
                combo.addItem(swatch(label.colour), name, label.key)
            self.combos[dimension] = combo
            form.addRow(dimension.title, combo)
        form.addRow("Proposition", self.proposition)
        form.addRow("Tags", self.tags)
        form.addRow("Note", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self.base.currentIndexChanged.connect(lambda _i: self._load(self._base_claim()))
        self._load(gold if gold is not None else self._base_claim())

    def _base_claim(self) -> Claim:
        if self._gold is not None:
            return self._gold
        return self._claims[str(self.base.currentData())]

    def _load(self, claim: Claim) -> None:
        for dimension, combo in self.combos.items():
            value = getattr(claim, dimension.value)
            combo.setCurrentIndex(max(0, combo.findData(None if value is None else str(value))))
        self.proposition.setCurrentText(claim.proposition)
        self.tags.setText(", ".join(claim.tags))
        self.note.setPlainText(claim.note)

    def set_label(self, dimension: Dimension, key: str | None) -> None:
        combo = self.combos[dimension]
        combo.setCurrentIndex(max(0, combo.findData(key)))

    def set_span_choice(self, analyst_or_kind: str) -> None:
        keys = {"union": _UNION, "overlap": _OVERLAP, "selection": _SELECTION, "keep": _KEEP}
        self.span.setCurrentIndex(self.span.findData(keys.get(analyst_or_kind,
                                                               analyst_or_kind)))

    def set_base(self, analyst: str) -> None:
        self.base.setCurrentIndex(self.base.findData(analyst))

    def _span(self) -> tuple[int, int]:
        choice = self.span.currentData()
        claims = list(self._claims.values())
        if choice == _KEEP and self._gold is not None:
            return self._gold.start, self._gold.end
        if choice == _UNION:
            return min(c.start for c in claims), max(c.end for c in claims)
        if choice == _OVERLAP:
            return max(c.start for c in claims), min(c.end for c in claims)
        if choice == _SELECTION and self._selection is not None:
            return self._selection
        claim = self._claims[str(choice)]
        return claim.start, claim.end

    def span_from(self) -> Claim | None:
        """The analyst's claim the span was taken from (None: union, overlap, selection)."""
        return self._claims.get(str(self.span.currentData()))

    def labels_from(self) -> Claim | None:
        return self._claims.get(str(self.base.currentData())) if self._claims else None

    def claim(self) -> Claim:
        """The edited claim (a gold claim keeps its id; for a unit, the id is replaced
        when the decision is made)."""
        base = self._base_claim()
        start, end = self._span()
        claim = with_span(base, self._text, start, end) if (start, end) != (
            base.start, base.end) else base
        values: dict[str, object] = {}
        for dimension, combo in self.combos.items():
            key = combo.currentData()
            if key is not None and dimension is Dimension.INFO_CREDIBILITY:
                key = int(key)
            values[dimension.value] = key
        values["proposition"] = " ".join(self.proposition.currentText().split())
        values["tags"] = normalise_tags(self.tags.text())
        values["note"] = self.note.toPlainText()
        return dataclasses.replace(claim, **values)  # type: ignore[arg-type]


class CommentDialog(QDialog):
    """Comment on one of a unit's claims; earlier comments are listed, and the
    reviewer's own can be deleted."""

    def __init__(self, claims: dict[str, Claim], author: str,
                 comments: Callable[[str], list[ReviewComment]],
                 delete: Callable[[ReviewComment], None], *, current: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Review Comment")
        self._claims, self._author = claims, author
        self._comments, self._delete = comments, delete
        self.claim = QComboBox()
        self.claim.setObjectName("commentClaim")
        for analyst, claim in claims.items():
            self.claim.addItem(f"{analyst}: {span_text(claim)}", claim.id)
        if current is not None:
            self.claim.setCurrentIndex(max(0, self.claim.findData(current)))
        self.earlier = QListWidget()
        self.earlier.setObjectName("earlierComments")
        self.earlier.setWordWrap(True)
        self.delete_button = QPushButton("Delete My Comment")
        self.body = QPlainTextEdit()
        self.body.setObjectName("commentBody")
        self.body.setPlaceholderText("What the analyst should know about this claim")
        self.body.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Add Comment")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("On", self.claim)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Comments so far (the claim's author sees them):"))
        layout.addWidget(self.earlier, 1)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(plain_label(f"New comment, as {author}:"))
        layout.addWidget(self.body)
        layout.addWidget(buttons)
        self.resize(560, 460)
        self.claim.currentIndexChanged.connect(lambda _i: self.refresh())
        self.earlier.currentRowChanged.connect(lambda _r: self._update())
        self.body.textChanged.connect(self._update)
        self.delete_button.clicked.connect(self._on_delete)
        self.refresh()

    def claim_id(self) -> str:
        return str(self.claim.currentData())

    def text(self) -> str:
        return self.body.toPlainText().strip()

    def refresh(self) -> None:
        self.earlier.clear()
        for comment in self._comments(self.claim_id()):
            item = QListWidgetItem(f"{comment.author}, {comment.created_at:%Y-%m-%d %H:%M}: "
                                   f"{comment.body}")
            item.setData(Qt.ItemDataRole.UserRole, comment)
            self.earlier.addItem(item)
        self._update()

    def _selected_comment(self) -> ReviewComment | None:
        item = self.earlier.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _update(self) -> None:
        comment = self._selected_comment()
        self.delete_button.setEnabled(comment is not None and comment.author == self._author)
        self.ok.setEnabled(bool(self.text()))

    def _on_delete(self) -> None:
        comment = self._selected_comment()
        if comment is not None and comment.author == self._author:
            self._delete(comment)
            self.refresh()


class MyCommentsDialog(QDialog):
    """Review comments on the current analyst's claims, newest first; double-click
    (or Enter) shows the claim.

    Signals:
        reveal_requested(str, str): a document id and a claim id.
    """

    reveal_requested = Signal(str, str)

    def __init__(self, author: str, rows: Sequence[tuple[ReviewComment, Claim, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Review Comments on {author}'s Claims")
        self.table = QTableWidget(len(rows), 4)
        add_header_tips(self.table)
        self.table.setObjectName("myComments")
        self.table.setHorizontalHeaderLabels(["Comment", "From", "Claim", "Document"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._targets: list[tuple[str, str]] = []
        for row, (comment, claim, title) in enumerate(rows):
            cells = (comment.body, f"{comment.author}, {comment.created_at:%Y-%m-%d}",
                     shorten(claim.quote, 60), title)
            for column, value in enumerate(cells):
                item = QTableWidgetItem(shorten(value, 120))
                item.setToolTip(plain_tooltip(value if column != 2 else claim.quote))
                self.table.setItem(row, column, item)
            self._targets.append((claim.document_id, claim.id))
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((2, 230), (3, 180)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        empty = QLabel("No review comments on your claims.")
        empty.setVisible(not rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 420)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._reveal(row))
        self.table.activated.connect(lambda index: self._reveal(index.row()))

    def _reveal(self, row: int) -> None:
        if 0 <= row < len(self._targets):
            self.reveal_requested.emit(*self._targets[row])


#: The history table's columns: (title, the version's value).
_HISTORY_COLUMNS: tuple[tuple[str, Callable[[dict], object]], ...] = (
    ("Edited (UTC)", lambda v: str(v.get("updated_at", ""))[:19].replace("T", " ")),
    ("By", lambda v: v.get("annotator", "")),
    ("Span", lambda v: f"{v.get('start')}–{v.get('end')}"),
    ("Stance", lambda v: v.get("stance") or "—"),
    ("Reliability", lambda v: f"{v.get('source_reliability') or '—'}"
                              f"{v.get('info_credibility') or '—'}"),
    ("Type", lambda v: v.get("claim_type") or "—"),
    ("Note", lambda v: v.get("note", "")),
)


class ClaimHistoryDialog(QDialog):
    """A claim's versions, newest first: the current one, then the earlier versions
    kept when a colleague's newer (or older) edit of it was imported. Read-only."""

    def __init__(self, claim: Claim, history: Sequence[HistoryEntry],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of “{shorten(claim.quote, 50)}”")
        versions = [claim_values(claim), *(entry.record for entry in reversed(history))]
        self.table = QTableWidget(len(versions), len(_HISTORY_COLUMNS))
        add_header_tips(self.table)
        self.table.setObjectName("claimHistory")
        self.table.setHorizontalHeaderLabels([title for title, _value in _HISTORY_COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        for row, values in enumerate(versions):
            for column, (_title, value) in enumerate(_HISTORY_COLUMNS):
                text = str(value(values))
                item = QTableWidgetItem(shorten(text, 80))
                item.setToolTip(plain_tooltip(text))
                if row == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        note = QLabel("The first row is the claim as it is now; below it, earlier versions "
                      "kept when work was exchanged." if history else
                      "No earlier versions: this claim was never replaced by an import.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 320)
