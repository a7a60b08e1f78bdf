"""Item models for the document list and the claims table.

Both update row by row (``beginInsertRows``, ``dataChanged``, ...): a single
edit never resets a model.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import islice
from operator import le
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.lazy_claims import LazyClaims
from annotator.domain.model import Claim, DocumentInfo
from annotator.domain.wording import plural, shorten
from annotator.ui.colours import foreground
from annotator.ui.plain import plain_tooltip

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole



class RowTableModel(QAbstractTableModel):
    """A flat table over ``self._rows`` with one column per entry of ``HEADERS``
    (tooltips from ``HEADER_TIPS``): the shared part of the app's table models."""

    HEADERS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str | None, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == _DISPLAY:
            return self.HEADERS[section]
        if role == _TOOLTIP and section < len(self.HEADER_TIPS):
            return self.HEADER_TIPS[section]
        return None


STATUS_NAMES = {"new": "New", "in_progress": "In progress", "done": "Done"}
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class DocumentListModel(RowTableModel):
    """The project's documents with their status and claim counts."""

    HEADERS = ("Title", "Status", "Claims", "To do", "Review", "Assigned")
    HEADER_TIPS = (None, None, "Claims of the analysts shown (View › Show Claims)",
                   "Claims still missing a stance, a grade or a claim type (of the analysts "
                   "shown)",
                   "Review of the analysts' claims: unreviewed (—), in review, adjudicated",
                   "Your assignment (blind double coding): assigned, or done and waiting "
                   "for colleagues (Ctrl+D marks your part done)")
    REVIEW_NAMES: ClassVar[dict[str, str]] = {
        "unreviewed": "—", "in_review": "In review", "adjudicated": "Adjudicated"}
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
    _rows: list[DocumentInfo]
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        #: The analyst's assignment on each document assigned to them, as shown.
        self.assignments: dict[str, str] = {}

    def set_assignments(self, assignments: dict[str, str]) -> None:
        self.assignments = dict(assignments)
        if self._rows:
            column = self.HEADERS.index("Assigned")
            self.dataChanged.emit(self.index(0, column),
                                  self.index(len(self._rows) - 1, column))

    def set_documents(self, documents: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._rows = list(documents)
        self.endResetModel()

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        doc = self._rows[index.row()]
        column = index.column()
        if role in (_DISPLAY, SORT_ROLE):
            if column == 0:
                title = f"{doc.title} (old version)" if doc.superseded else doc.title
                return title if role == _DISPLAY else title.lower()
            if column == 1:
                return (STATUS_NAMES.get(doc.status, doc.status) if role == _DISPLAY
                        else ("new", "in_progress", "done").index(doc.status))
            if column == 5:
                return self.assignments.get(doc.id, "")
            if column == 4:
                names = self.REVIEW_NAMES
                return (names.get(doc.review_status, doc.review_status) if role == _DISPLAY
                        else list(names).index(doc.review_status))
            return doc.claim_count if column == 2 else doc.incomplete_count
        if role == _TOOLTIP:
            # The whole row, also what a narrow panel leaves out (Status, the counts).
            assigned = self.assignments.get(doc.id)
            details = [doc.title, doc.source, doc.published and f"Published {doc.published}",
                       f"Status: {STATUS_NAMES.get(doc.status, doc.status)} · "
                       f"{plural(doc.claim_count, 'claim')}, {doc.incomplete_count} to do",
                       assigned and f"Assigned to you: {assigned}"]
            return plain_tooltip("\n".join(d for d in details if d))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and doc.superseded:
            return foreground("muted")
        if role == self.ID_ROLE:
            return doc.id
        if role == self.STATUS_ROLE:
            return doc.status
        return None

    def info(self, row: int) -> DocumentInfo:
        return self._rows[row]

    def document_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, document_id: str) -> int | None:
        for row, doc in enumerate(self._rows):
            if doc.id == document_id:
                return row
        return None

    def update(self, document_id: str, *, claims: int = 0, incomplete: int = 0,
               status: str | None = None, review_status: str | None = None) -> None:
        row = self.row_of(document_id)
        if row is None:
            return
        doc = self._rows[row]
        self._rows[row] = dataclasses.replace(
            doc, claim_count=doc.claim_count + claims,
            incomplete_count=doc.incomplete_count + incomplete,
            status=status or doc.status, review_status=review_status or doc.review_status)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def set_counts(self, document_id: str, claims: int, incomplete: int) -> None:
        """Set a document's counts (:meth:`update` changes them by a difference)."""
        row = self.row_of(document_id)
        if row is None:
            return
        doc = self._rows[row]
        if (doc.claim_count, doc.incomplete_count) == (claims, incomplete):
            return
        self._rows[row] = dataclasses.replace(doc, claim_count=claims,
                                              incomplete_count=incomplete)
        self.dataChanged.emit(self.index(row, 2), self.index(row, 3))

    def total_claims(self) -> int:
        return sum(d.claim_count for d in self._rows)

    def done_count(self) -> int:
        return sum(1 for d in self._rows if d.status == "done")

    def any_reviewed(self) -> bool:
        return any(d.review_status != "unreviewed" for d in self._rows)


def _refilter(proxy: QSortFilterProxyModel, change: Callable[[], None]) -> None:
    """Apply ``change`` to a proxy's filter. Qt 6.9 replaced invalidateFilter()
    (now deprecated) by beginFilterChange()/endFilterChange()."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange()
    else:
        change()
        proxy.invalidateFilter()


class DocumentFilterModel(QSortFilterProxyModel):
    """Sorts the document list by any column and filters it by status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._status: str | None = None

    def set_status_filter(self, status: str | None) -> None:
        _refilter(self, lambda: setattr(self, "_status", status))

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._status is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(DocumentListModel.STATUS_ROLE) == self._status


class ClaimTableModel(QAbstractTableModel):
    """The current document's claims in text order, labelled with the codebook's names."""

    HEADERS = ("Quote", "Analyst", "Stance", "Source", "Reliability", "Type", "Proposition",
               "Note", "Tags", "Start")
    ID_ROLE = Qt.ItemDataRole.UserRole + 1
    _DIMENSION: ClassVar[dict[str, Dimension]] = {"Stance": Dimension.STANCE,
                                                  "Type": Dimension.CLAIM_TYPE}

    #: Display text per column, computed only for the cell asked for.
    _TEXT: ClassVar[dict[str, Callable[[Claim], object]]] = {
        "Quote": lambda c: shorten(c.quote, 120),
        "Source": lambda c: c.source_name,
        "Reliability": lambda c: c.reliability_code,
        "Proposition": lambda c: shorten(c.proposition, 80),
        "Note": lambda c: shorten(c.note, 80),
        "Tags": lambda c: ", ".join(c.tags),
        "Analyst": lambda c: c.annotator,
        "Start": lambda c: c.start,
    }

    _ROLES: ClassVar[frozenset[int]] = frozenset({
        _DISPLAY, SORT_ROLE, _TOOLTIP, Qt.ItemDataRole.DecorationRole, ID_ROLE})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        #: Per row, its claim, or (claims given lazily) its index in ``_source``
        #: until the row is first shown or asked for.
        self._claims: list[Claim | int] = []
        self._source: Sequence[Claim] = ()
        self._keys: list[tuple[int, int, str]] = []
        self._ids: dict[str, tuple[int, int, str]] = {}   # claim id -> its key
        self._codebook = Codebook()

    @staticmethod
    def _key(claim: Claim) -> tuple[int, int, str]:
        return (claim.start, claim.end, claim.id)

    def set_codebook(self, codebook: Codebook) -> None:
        self._codebook = codebook
        if self._claims:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._claims) - 1, self.columnCount() - 1))

    def set_claims(self, claims: Sequence[Claim]) -> None:
        """The document's claims; a :class:`LazyClaims` (in text order) keeps its
        claims unmade until their rows are shown."""
        self.beginResetModel()
        self._source = claims
        if isinstance(claims, LazyClaims):
            self._keys = claims.spans()
            self._claims = list(range(len(claims)))
        else:
            self._claims = list(claims)
            self._keys = [(c.start, c.end, c.id) for c in claims]
            if not all(map(le, self._keys, islice(self._keys, 1, None))):   # mostly in order
                self._claims.sort(key=self._key)   # type: ignore[arg-type]
                self._keys.sort()
        self._ids = {key[2]: key for key in self._keys}
        self.endResetModel()

    def claims(self) -> list[Claim]:
        return [self.claim_at(row) for row in range(len(self._claims))]

    def versions(self) -> dict[str, int]:
        """Each shown claim's id and version, without making the claims not made
        yet (the window compares them with the stored ones every few seconds)."""
        source = self._source
        lazy = isinstance(source, LazyClaims)
        ids = source.values("id") if lazy else []            # type: ignore[union-attr]
        versions = source.values("version") if lazy else []  # type: ignore[union-attr]
        found: dict[str, int] = {}
        for item in self._claims:
            if isinstance(item, int):
                found[ids[item]] = versions[item]
            else:
                found[item.id] = item.version
        return found

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._claims)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.HEADERS[section]
        return None

    def _name(self, dimension: Dimension, key: object) -> str:
        label = self._codebook.label(dimension, key)  # type: ignore[arg-type]
        return "" if key is None else (label.name if label else str(key))

    def _reliability_tooltip(self, claim: Claim) -> str | None:
        parts = []
        if claim.source_reliability:
            parts.append(f"Source {claim.source_reliability}: "
                         f"{self._name(Dimension.SOURCE_RELIABILITY, claim.source_reliability)}")
        if claim.info_credibility:
            parts.append(f"Information {claim.info_credibility}: "
                         f"{self._name(Dimension.INFO_CREDIBILITY, claim.info_credibility)}")
        return "\n".join(parts) or None

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # A painted cell is asked for a dozen roles; most get None, at once.
        if role not in self._ROLES or not index.isValid():
            return None
        claim = self.claim_at(index.row())
        column = self.HEADERS[index.column()]
        if role == _DISPLAY:
            if column in self._DIMENSION:
                dimension = self._DIMENSION[column]
                return self._name(dimension, getattr(claim, dimension.value))
            return self._TEXT[column](claim)
        if role == SORT_ROLE:
            if column == "Reliability":
                # One integer (Qt compares it): grades best first, then "cannot be
                # judged", then none; credibility breaks ties the same way.
                source = self._codebook.sort_key(Dimension.SOURCE_RELIABILITY,
                                                 claim.source_reliability)
                info = self._codebook.sort_key(Dimension.INFO_CREDIBILITY,
                                               claim.info_credibility)
                return ((source[0] * 100 + source[1]) * 1000
                        + info[0] * 100 + info[1])
            if column == "Start":
                return claim.start
            return str(self.data(index, _DISPLAY)).lower()
        if role == _TOOLTIP:
            if column == "Reliability":
                return plain_tooltip(self._reliability_tooltip(claim)) or None
            if column in self._DIMENSION:
                label = self._codebook.label(self._DIMENSION[column],
                                             getattr(claim, self._DIMENSION[column].value))
                return plain_tooltip(label.description) or None if label else None
            if column in ("Quote", "Note", "Proposition"):
                return plain_tooltip({"Quote": claim.quote, "Note": claim.note,
                                      "Proposition": claim.proposition}[column]) or None
        if role == Qt.ItemDataRole.DecorationRole and column in self._DIMENSION:
            dimension = self._DIMENSION[column]
            colour = self._codebook.colour(dimension, getattr(claim, dimension.value))
            return QColor(colour) if colour else None
        if role == self.ID_ROLE:
            return claim.id
        return None

    def claim_at(self, row: int) -> Claim:
        claim = self._claims[row]
        if isinstance(claim, int):
            claim = self._claims[row] = self._source[claim]
        return claim

    def row_of(self, claim_id: str) -> int | None:
        key = self._ids.get(claim_id)
        if key is None:
            return None
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def add(self, claim: Claim) -> None:
        row = bisect_left(self._keys, self._key(claim))
        self.beginInsertRows(QModelIndex(), row, row)
        self._claims.insert(row, claim)
        self._keys.insert(row, self._key(claim))
        self._ids[claim.id] = self._key(claim)
        self.endInsertRows()

    def remove(self, claim: Claim) -> None:
        row = self.row_of(claim.id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._ids[claim.id]
        del self._claims[row]
        del self._keys[row]
        self.endRemoveRows()

    def replace(self, before: Claim, after: Claim) -> None:
        """Put ``after`` in the place of ``before`` (the same claim, edited). A new
        span that changes the claim's place in text order moves its row rather than
        removing and inserting it, so the row keeps its identity: persistent
        indexes (a view's current index and selection, through proxies too) follow
        the claim."""
        row = self.row_of(before.id)
        if row is None:
            self.add(after)
            return
        if before.id != after.id:
            self.remove(before)
            self.add(after)
            return
        key = self._key(after)
        # The row's place among the others, numbered without it.
        target = bisect_left(self._keys, key, 0, row)
        if target == row:
            target = bisect_left(self._keys, key, row + 1) - 1
        if target != row:
            # Qt's destination is the row it goes before, numbered before the move:
            # one more than the target when moving down.
            destination = target if target < row else target + 1
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
            del self._claims[row], self._keys[row]
            self._claims.insert(target, after)
            self._keys.insert(target, key)
            self._ids[after.id] = key
            self.endMoveRows()
            row = target
        else:
            self._claims[row], self._keys[row] = after, key
            self._ids[after.id] = key
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))


class ClaimFilterModel(QSortFilterProxyModel):
    """Sorts the claims table (grades: best first, then "cannot be judged", then
    none) and hides claims the legend's filter excludes.

    Without a filter no Python runs per row: Qt's own ``filterAcceptsRow`` (every
    row) answers, which matters when a document with 10,000 claims opens. A
    filter installs :meth:`_accepts` as this instance's override (PySide looks
    a virtual's override up on the instance at each call)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._shown: Callable[[Claim], bool] | None = None

    def set_filter(self, shown: Callable[[Claim], bool] | None) -> None:
        def change() -> None:
            self._shown = shown
            if shown is not None:
                self.filterAcceptsRow = self._accepts   # type: ignore[method-assign]
            elif "filterAcceptsRow" in vars(self):
                del self.filterAcceptsRow

        _refilter(self, change)

    def _accepts(self, source_row: int, _source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ClaimTableModel)
        return self._shown is None or self._shown(model.claim_at(source_row))
