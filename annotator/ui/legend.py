"""The legend: what the highlight colours mean, and a filter by label.

"Colour by" picks the dimension (stance, source reliability, credibility,
claim type, ...); each label of it is listed with its colour, description and
count in the current document, and a check box: unchecking hides its claims in
the viewer and the claims table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.lazy_claims import values_of
from annotator.domain.model import Claim
from annotator.domain.wording import plural
from annotator.ui.claim_editor import swatch
from annotator.ui.plain import plain_tooltip
from annotator.ui.text_view import UNLABELLED

_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_LABELLED = "\x00none"


def claim_key(claim: Claim, dimension: Dimension) -> str | None:
    value = getattr(claim, dimension.value)
    return None if value is None else str(value)


class LegendPanel(QWidget):
    """Signals:
        colour_by_changed(Dimension): the dimension highlights are coloured by.
        filter_changed(): the set of shown labels changed (read :meth:`shown_keys`).
    """

    colour_by_changed = Signal(object)
    filter_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._codebook = Codebook()
        self._counts: Counter[str] = Counter()
        self._shown_count = 0
        self._hidden_keys: set[str] = set()
        self.colour_by = QComboBox()
        self.colour_by.setObjectName("colourBy")
        self.labels = QListWidget()
        self.labels.setObjectName("legendLabels")
        self.show_all = QPushButton("Show all")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Colour by"))
        top.addWidget(self.colour_by, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.labels, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.show_all)
        layout.addLayout(bottom)
        self.colour_by.activated.connect(self._on_colour_by_activated)
        self.labels.itemChanged.connect(lambda _item: self._on_filter_edited())
        self.show_all.clicked.connect(self._on_show_all)

    @property
    def dimension(self) -> Dimension:
        data = self.colour_by.currentData()
        return Dimension(data) if data else Dimension.STANCE

    def set_codebook(self, codebook: Codebook) -> None:
        self._codebook = codebook
        current = self.dimension
        self.colour_by.blockSignals(True)
        self.colour_by.clear()
        for dimension in codebook.dimensions():
            self.colour_by.addItem(dimension.title, dimension.value)
        index = self.colour_by.findData(current.value)
        self.colour_by.setCurrentIndex(max(0, index))
        self.colour_by.blockSignals(False)
        self._rebuild(keep_filter=True)

    def set_dimension(self, dimension: Dimension) -> None:
        index = self.colour_by.findData(dimension.value)
        if index >= 0 and index != self.colour_by.currentIndex():
            self.colour_by.setCurrentIndex(index)
            self._on_colour_by_activated(index)

    def _on_colour_by_activated(self, _index: int) -> None:
        self._rebuild(keep_filter=False)
        self.colour_by_changed.emit(self.dimension)
        self.filter_changed.emit()

    def _rebuild(self, *, keep_filter: bool) -> None:
        hidden = self._hidden() if keep_filter else set()
        self.labels.blockSignals(True)
        self.labels.clear()
        dimension = self.dimension
        for label in self._codebook.of(dimension):
            name = label.name if not dimension.fixed_keys else f"{label.key} — {label.name}"
            if not label.judgeable:
                name += "  (not on the scale)"
            if label.retired:
                name += "  (retired)"
            self._add(name, label.key, label.colour, label.description, hidden)
        self._add("Not labelled", NOT_LABELLED, UNLABELLED.name(),
                  "Claims with no label in this dimension (dashed underline)", hidden)
        self.labels.blockSignals(False)
        self._read_hidden()

    def _add(self, text: str, key: str, colour: str, tip: str, hidden: set[str]) -> None:
        item = QListWidgetItem(swatch(colour), text)
        item.setData(_KEY_ROLE, key)
        item.setToolTip(plain_tooltip(tip))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked if key in hidden else Qt.CheckState.Checked)
        self.labels.addItem(item)

    def _hidden(self) -> set[str]:
        return self._hidden_keys

    def _read_hidden(self) -> None:
        self._hidden_keys = {self.labels.item(i).data(_KEY_ROLE)
                             for i in range(self.labels.count())
                             if self.labels.item(i).checkState() != Qt.CheckState.Checked}

    def _on_filter_edited(self) -> None:
        self._read_hidden()
        self.filter_changed.emit()

    def _on_show_all(self) -> None:
        self.labels.blockSignals(True)
        for i in range(self.labels.count()):
            self.labels.item(i).setCheckState(Qt.CheckState.Checked)
        self.labels.blockSignals(False)
        self._read_hidden()
        self.filter_changed.emit()

    def set_label_shown(self, key: str | None, shown: bool) -> None:
        key = NOT_LABELLED if key is None else key
        for i in range(self.labels.count()):
            item = self.labels.item(i)
            if item.data(_KEY_ROLE) == key:
                item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        self._read_hidden()

    def is_filtering(self) -> bool:
        return bool(self._hidden())

    def shows(self, claim: Claim) -> bool:
        """Whether the filter lets ``claim`` through."""
        hidden = self._hidden()
        if not hidden:
            return True
        key = claim_key(claim, self.dimension)
        return (NOT_LABELLED if key is None else key) not in hidden

    def update_counts(self, claims: Sequence[Claim]) -> None:
        """Count the document's claims per label (on opening a document)."""
        # Counted per distinct value (a document may hold 10,000 claims, with a few
        # values): the same keys as claim_key and shows give, claim by claim.
        values = Counter(values_of(claims, self.dimension.value))
        hidden = self._hidden()
        self._counts = Counter()
        self._shown_count = 0
        for value, count in values.items():
            key = None if value is None else str(value)
            self._counts[key or NOT_LABELLED] += count
            if (NOT_LABELLED if key is None else key) not in hidden:
                self._shown_count += count
        self._show_counts()

    def adjust_counts(self, before: Claim | None, after: Claim | None) -> None:
        """Update the counts for one claim added, removed or relabelled, without
        recounting the document (it may hold 10,000 claims)."""
        dimension = self.dimension
        for claim, sign in ((before, -1), (after, +1)):
            if claim is not None:
                self._counts[claim_key(claim, dimension) or NOT_LABELLED] += sign
                self._shown_count += sign if self.shows(claim) else 0
        self._show_counts()

    def _show_counts(self) -> None:
        self.labels.blockSignals(True)
        for i in range(self.labels.count()):
            item = self.labels.item(i)
            base = item.text().rsplit("  ·  ", 1)[0]
            item.setText(f"{base}  ·  {self._counts.get(item.data(_KEY_ROLE), 0)}")
        self.labels.blockSignals(False)
        total = sum(self._counts.values())
        self.summary.setText(f"{self._shown_count:,} of {plural(total, 'claim')} shown"
                             if self.is_filtering() else plural(total, "claim"))
