"""Item models for the document list and the claims table.

Both update row by row (``beginInsertRows``, ``dataChanged``, ...): a single
edit never resets a model.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.domain.labels import INFO_CREDIBILITY, SOURCE_RELIABILITY, grade_title
from annotator.domain.model import Claim, DocumentInfo
from annotator.ui.palette import stance_colour, stance_name

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class DocumentListModel(QAbstractTableModel):
    """The project's documents with their claim counts."""

    HEADERS = ("Title", "Claims")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentInfo] = []
        self._counts: list[int] = []

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._rows = list(documents)
        self._counts = [d.claim_count for d in documents]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        doc = self._rows[index.row()]
        if role == _DISPLAY:
            return doc.title if index.column() == 0 else self._counts[index.row()]
        if role == _TOOLTIP:
            details = [doc.title, doc.source, doc.published and f"Published {doc.published}"]
            return "\n".join(d for d in details if d)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.ID_ROLE:
            return doc.id
        return None

    def document_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, document_id: str) -> int | None:
        for row, doc in enumerate(self._rows):
            if doc.id == document_id:
                return row
        return None

    def change_count(self, document_id: str, delta: int) -> None:
        row = self.row_of(document_id)
        if row is not None:
            self._counts[row] += delta
            index = self.index(row, 1)
            self.dataChanged.emit(index, index, [_DISPLAY])

    def total_claims(self) -> int:
        return sum(self._counts)


def _reliability_tooltip(claim: Claim) -> str:
    parts = []
    if claim.source_reliability:
        parts.append(f"Source {claim.source_reliability}: "
                     f"{grade_title(SOURCE_RELIABILITY[claim.source_reliability])}")
    if claim.info_credibility:
        parts.append(f"Information {claim.info_credibility}: "
                     f"{grade_title(INFO_CREDIBILITY[claim.info_credibility])}")
    return "\n".join(parts)


class ClaimTableModel(QAbstractTableModel):
    """The current document's claims in text order."""

    HEADERS = ("Quote", "Stance", "Reliability", "Proposition", "Note", "Tags", "Start")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._claims: list[Claim] = []
        self._keys: list[tuple[int, int, str]] = []
        self._by_id: dict[str, Claim] = {}

    @staticmethod
    def _key(claim: Claim) -> tuple[int, int, str]:
        return (claim.start, claim.end, claim.id)

    def set_claims(self, claims: list[Claim]) -> None:
        self.beginResetModel()
        self._claims = sorted(claims, key=self._key)
        self._keys = [self._key(c) for c in self._claims]
        self._by_id = {c.id: c for c in self._claims}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        claim = self._claims[index.row()]
        column = self.HEADERS[index.column()]
        if role == _DISPLAY:
            return {
                "Quote": _one_line(claim.quote, 120),
                "Stance": stance_name(claim.stance) if claim.stance else "",
                "Reliability": claim.reliability_code,
                "Proposition": _one_line(claim.proposition, 80),
                "Note": _one_line(claim.note, 80),
                "Tags": ", ".join(claim.tags),
                "Start": claim.start,
            }[column]
        if role == _TOOLTIP:
            if column == "Reliability":
                return _reliability_tooltip(claim) or None
            if column in ("Quote", "Note", "Proposition"):
                return {"Quote": claim.quote, "Note": claim.note,
                        "Proposition": claim.proposition}[column] or None
        if role == Qt.ItemDataRole.DecorationRole and column == "Stance":
            return stance_colour(claim.stance)
        if role == self.ID_ROLE:
            return claim.id
        return None

    def claim_at(self, row: int) -> Claim:
        return self._claims[row]

    def row_of(self, claim_id: str) -> int | None:
        claim = self._by_id.get(claim_id)
        return None if claim is None else self._find(claim)

    def _find(self, claim: Claim) -> int | None:
        row = bisect_left(self._keys, self._key(claim))
        if row < len(self._keys) and self._keys[row] == self._key(claim):
            return row
        return None

    def add(self, claim: Claim) -> None:
        row = bisect_left(self._keys, self._key(claim))
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, claim)
        self._keys.insert(row, self._key(claim))
        self._by_id[claim.id] = claim
        self.endInsertRows()

    def remove(self, claim: Claim) -> None:
        row = self.row_of(claim.id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._by_id[claim.id]
        del self._claims[row]
        del self._keys[row]
        self.endRemoveRows()

    def replace(self, before: Claim, after: Claim) -> None:
        row = self.row_of(before.id)
        if row is None or self._key(before) != self._key(after):
            self.remove(before)
            self.add(after)
            return
        self._claims[row] = after
        self._by_id[after.id] = after
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
