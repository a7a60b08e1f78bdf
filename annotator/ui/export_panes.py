"""The export dialog's two panes: what to export (documents, annotators and
label filters: the scope) and what that gives (the count and a preview).

The panes only show and read their controls. :class:`ScopePane` is filled with
the project's documents and annotators and turns its checks into an
:class:`~annotator.services.exports.ExportScope`; :class:`PreviewPane` shows
the count and preview the dialog got from :mod:`annotator.services.exports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension, Label
from annotator.domain.model import DocumentInfo
from annotator.domain.wording import plural
from annotator.services.exports import ExportScope, ScopeError
from annotator.ui.colours import set_text_role
from annotator.ui.item_models import STATUS_NAMES
from annotator.ui.plain import plain, plain_tooltip

#: The label filters offered, in this order (more when the codebook has them).
LABEL_FILTERS = (Dimension.STANCE, Dimension.CLAIM_TYPE, Dimension.SOURCE_RELIABILITY,
                 Dimension.INFO_CREDIBILITY, Dimension.LIKELIHOOD, Dimension.CONFIDENCE)
#: Formats whose preview is one record a line (JSON Lines).
ONE_RECORD_A_LINE = frozenset({"jsonl", "doccano", "documents", "package", "parquet"})

#: The role of a :class:`CheckList` row's value.
_DATA = Qt.ItemDataRole.UserRole + 1


def _label_text(label: Label) -> str:
    """How a label is listed: graded scales with their key (``B — Usually
    reliable``), categories by name."""
    text = f"{label.key} — {label.name}" if label.dimension.graded else label.name
    return f"{text} (retired)" if label.retired else text

#: Formats that list every document in scope, with claims or not.
LIST_DOCUMENTS = frozenset({"package", "label-studio", "doccano"})


class CheckList(QTreeWidget):
    """A flat list of checkable rows, each carrying a value; the first column is
    checked and elided, the others (counts, status) fit their contents."""

    def __init__(self, headers: Sequence[str] = ("",), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(headers))
        self.setHeaderLabels(list(headers))
        self.setHeaderHidden(len(headers) == 1)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def add(self, texts: Sequence[str], value: object, *, checked: bool,
            tip: str = "") -> None:
        item = QTreeWidgetItem(list(texts))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(0, _DATA, value)
        for column in range(1, len(texts)):
            if texts[column][:1].isdigit():
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
        if tip:
            item.setToolTip(0, plain_tooltip(tip))
        self.addTopLevelItem(item)

    def count(self) -> int:
        return self.topLevelItemCount()

    def items(self) -> list[QTreeWidgetItem]:
        return [self.topLevelItem(row) for row in range(self.topLevelItemCount())]

    def values(self) -> list:
        return [item.data(0, _DATA) for item in self.items()]

    def checked(self) -> list:
        return [item.data(0, _DATA) for item in self.items()
                if item.checkState(0) == Qt.CheckState.Checked]

    def all_checked(self) -> bool:
        return len(self.checked()) == self.count()

    def check(self, values: Iterable[object] | None = None) -> None:
        """Check the rows whose value is in ``values`` and uncheck the rest
        (``None``: check all); one ``itemChanged`` at most."""
        wanted = None if values is None else set(values)
        self.blockSignals(True)
        try:
            for item in self.items():
                on = wanted is None or item.data(0, _DATA) in wanted
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        finally:
            self.blockSignals(False)
        if self.count():
            self.itemChanged.emit(self.topLevelItem(0), 0)


class ScopePane(QGroupBox):
    """What to export: documents, annotators and label filters on tabs (each
    tab's title says how much of it is checked), and the done and gold switches.

    Signals:
        changed(): a check or a switch changed (the tab titles already follow).
    """

    changed = Signal()

    def __init__(self, codebook: Codebook, parent: QWidget | None = None) -> None:
        super().__init__("What to export", parent)
        self._analyst = ""
        self.documents_list = CheckList(("Document", "Claims", "Status"))
        self.documents_list.setObjectName("exportDocuments")
        self.documents_all = QPushButton("Chec&k All")
        self.documents_none = QPushButton("Check &None")
        self.annotators_list = CheckList(("Annotator", "Claims"))
        self.annotators_list.setObjectName("exportAnnotators")
        self.annotators_all = QPushButton("Chec&k All")
        self.annotators_none = QPushButton("Check &None")
        self.mine_button = QPushButton("Only &My Work")
        self.label_lists: dict[Dimension, CheckList] = {}
        self.labels_clear = QPushButton("Check &None")
        for button in (self.documents_all, self.documents_none, self.annotators_all,
                       self.annotators_none, self.mine_button, self.labels_clear):
            button.setAutoDefault(False)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("exportScopeTabs")
        self.tabs.addTab(self._list_page(self.documents_list, self.documents_all,
                                         self.documents_none), "")
        self.tabs.addTab(self._list_page(self.annotators_list, self.annotators_all,
                                         self.annotators_none, self.mine_button), "")
        self.tabs.addTab(self._labels_page(codebook), "")

        self.done_only = QCheckBox("Only documents marked d&one")
        self.gold_only = QCheckBox("Only ad&judicated (gold) claims")
        self.gold_only.setToolTip("The gold layer: the claims adjudicated in review, each "
                                  "with where its span and labels came from")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.done_only)
        layout.addWidget(self.gold_only)
        self._connect()

    @staticmethod
    def _list_page(checks: CheckList, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(checks, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    def _labels_page(self, codebook: Codebook) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(6, 6, 6, 6)
        explain = QLabel("Keep only claims with one of the checked labels. A dimension "
                         "with nothing checked is not filtered.")
        explain.setWordWrap(True)
        grid.addWidget(explain, 0, 0, 1, 2)
        present = set(codebook.dimensions())
        dimensions = [d for d in LABEL_FILTERS if d in present or d in LABEL_FILTERS[:4]]
        for index, dimension in enumerate(dimensions):
            checks = CheckList()
            checks.setObjectName(f"exportLabels_{dimension.value}")
            checks.setMinimumHeight(60)
            for label in codebook.of(dimension):
                checks.add((_label_text(label),), label.key, checked=False,
                           tip=f"{label.key}: {label.description}".rstrip(": "))
            self.label_lists[dimension] = checks
            box = QVBoxLayout()
            box.setSpacing(2)
            heading = QLabel(dimension.title)
            heading.setBuddy(checks)
            box.addWidget(heading)
            box.addWidget(checks, 1)
            grid.addLayout(box, 1 + index // 2, index % 2)
        clear_row = QHBoxLayout()
        clear_row.addStretch(1)
        clear_row.addWidget(self.labels_clear)
        grid.addLayout(clear_row, 2 + (len(dimensions) - 1) // 2, 0, 1, 2)
        return page

    def _connect(self) -> None:
        for checks in (self.documents_list, self.annotators_list, *self.label_lists.values()):
            checks.itemChanged.connect(self._on_checks_changed)
        for switch in (self.done_only, self.gold_only):
            switch.toggled.connect(self.changed)
        self.documents_all.clicked.connect(lambda: self.documents_list.check(None))
        self.documents_none.clicked.connect(lambda: self.documents_list.check(()))
        self.annotators_all.clicked.connect(lambda: self.annotators_list.check(None))
        self.annotators_none.clicked.connect(lambda: self.annotators_list.check(()))
        self.mine_button.clicked.connect(self.only_my_work)
        self.labels_clear.clicked.connect(self.clear_labels)

    def fill(self, documents: Iterable[DocumentInfo], annotators: Iterable[tuple[str, int]],
             analyst: str) -> None:
        """List the project's documents and its annotators (with their number of
        claims), all checked; ``analyst`` is the user, whose work is marked."""
        self._analyst = analyst
        for info in documents:
            status = STATUS_NAMES.get(info.status, info.status)
            if info.superseded:
                status += " (replaced)"
            tip = "\n".join(line for line in (info.title, info.source, f"id {info.id}") if line)
            self.documents_list.add((info.title or "(untitled)", f"{info.claim_count:,}",
                                     status), info.id, checked=True, tip=tip)
        for name, claims in annotators:
            mine = " (you)" if name == analyst else ""
            self.annotators_list.add((f"{name or '(no name)'}{mine}", f"{claims:,}"), name,
                                     checked=True)
        names = self.annotators_list.values()
        self.mine_button.setEnabled(analyst in names)
        self.mine_button.setToolTip(plain_tooltip(
            f"Export only the claims by {analyst}" if analyst in names
            else f"{analyst or 'You'} made no claims in this project"))
        self.update_tabs()

    def _on_checks_changed(self, *_changed: object) -> None:
        self.update_tabs()
        self.changed.emit()

    def update_tabs(self) -> None:
        def state(checks: CheckList) -> str:
            checked = len(checks.checked())
            return "all" if checked == checks.count() else f"{checked} of {checks.count()}"

        self.tabs.setTabText(0, f"&Documents ({state(self.documents_list)})")
        self.tabs.setTabText(1, f"&Annotators ({state(self.annotators_list)})")
        filtered = sum(1 for checks in self.label_lists.values() if checks.checked())
        self.tabs.setTabText(2, f"&Labels ({filtered} filtered)" if filtered
                             else "&Labels (any)")

    def only_my_work(self) -> None:
        """Check only the analyst's own name among the annotators."""
        self.annotators_list.check([self._analyst])

    def clear_labels(self) -> None:
        for checks in self.label_lists.values():
            checks.check(())

    def scope(self) -> ExportScope:
        """The scope the controls describe; :class:`ScopeError` when it cannot be one."""
        documents = self.documents_list.checked()
        if not documents:
            raise ScopeError("No documents are checked: check at least one document.")
        gold = self.gold_only.isChecked()
        # The gold layer is the adjudicators' work: the analysts' list does not apply.
        self.tabs.setTabEnabled(1, not gold)
        annotators = self.annotators_list.checked()
        if not gold and self.annotators_list.count() and not annotators:
            raise ScopeError("No annotators are checked: check at least one annotator.")
        labels = {dimension.value: keys for dimension, checks in self.label_lists.items()
                  if (keys := checks.checked())}
        return ExportScope.of(
            documents=() if self.documents_list.all_checked() else documents,
            annotators=() if gold or self.annotators_list.all_checked() else annotators,
            done_only=self.done_only.isChecked(), labels=labels, gold_only=gold)


class PreviewPane(QWidget):
    """How much the export holds and its first records, or why there is nothing
    to export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_label = QLabel()
        self.count_label.setObjectName("exportCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.scope_message = plain(QLabel())     # may name annotators and documents
        self.scope_message.setObjectName("exportScopeMessage")
        self.scope_message.setWordWrap(True)
        set_text_role(self.scope_message, "error")
        self.scope_message.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scope_message.hide()
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("exportPreview")
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.preview.setPlaceholderText("Nothing to export in this scope.")
        self.preview_label = QLabel("Pre&view:")
        self.preview_label.setBuddy(self.preview)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count_label)
        layout.addWidget(self.scope_message)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview, 1)

    def display(self, fmt: str, problem: str, claims: int, documents: int, text: str, *,
                claimed: int | None = None) -> None:
        """Show what exporting as ``fmt`` gives: the count (claims, the ``claimed``
        documents they are in, and the ``documents`` in scope where the format
        lists them all) and the preview ``text``, or the ``problem`` that stops it."""
        self.scope_message.setText(problem[:1].upper() + problem[1:])
        self.scope_message.setVisible(bool(problem))
        if problem:
            self.count_label.setText("Nothing to export")
        elif fmt == "documents":
            self.count_label.setText(plural(documents, "document"))
        else:
            claimed = documents if claimed is None else claimed
            listed = (f" ({plural(documents, 'document')} listed)"
                      if fmt in LIST_DOCUMENTS and documents != claimed else "")
            self.count_label.setText(f"{plural(claims, 'claim')} in "
                                     f"{plural(claimed, 'document')}{listed}")
        what = {"package": "the first claims of claims.jsonl",
                "parquet": "the first rows, as JSON",
                "label-studio": "the first task",
                "doccano": "the first line"}.get(fmt, "the first records")
        self.preview_label.setText(f"Pre&view ({what}):")
        self.preview.setPlainText(text)
        self._stripe_records(fmt in ONE_RECORD_A_LINE)

    def _stripe_records(self, on: bool) -> None:
        """Shade every other line (one record each) so wrapped records stay apart."""
        selections = []
        if on:
            colour = self.preview.palette().color(QPalette.ColorRole.AlternateBase).darker(106)
            block = self.preview.document().firstBlock().next()
            while block.isValid() and block.length() > 1:      # not the empty last line
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(colour)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                    QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
                block = block.next().next()
        self.preview.setExtraSelections(selections)
