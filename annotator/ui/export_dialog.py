"""File › Export…: choose a format, where to save, and which claims (scope); see
how many and the first records before writing; export on a worker thread with a
progress bar and Cancel.

Everything here is :mod:`annotator.services.exports`: the dialog only builds an
:class:`~annotator.services.exports.ExportScope` and
:class:`~annotator.services.exports.ExportOptions` from its controls, shows
:func:`~annotator.services.exports.count` and
:func:`~annotator.services.exports.preview` for them, and runs
:func:`~annotator.services.exports.export`. The export is atomic, so a
cancelled or failed export leaves any earlier file at the target as it was.
A target that would overwrite a project is refused here as on the command line
(:func:`~annotator.services.exports.target_problem`), and claims the export
refused (their quote is not their text) are listed when it ends.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QPalette, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension, Label
from annotator.formats.export import doccano, package, parquet
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.exports import (
    FORMATS,
    ExportError,
    ExportOptions,
    ExportResult,
    ExportScope,
    ScopeError,
)
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectError
from annotator.ui.check_list import CheckList
from annotator.ui.export_job import ExportJob
from annotator.ui.item_models import STATUS_NAMES
from annotator.ui.plain import plain, plain_tooltip, show_message
from annotator.ui.settings import UiSettings

#: Records shown in the preview.
PREVIEW_RECORDS = 3
#: Refused claims listed after an export (the rest are counted).
REFUSED_LISTED = 20
#: How long the scope must stay unchanged before the count and preview are redone (ms).
REFRESH_DELAY = 150
#: The label filters offered, in this order (more when the codebook has them).
LABEL_FILTERS = (Dimension.STANCE, Dimension.CLAIM_TYPE, Dimension.SOURCE_RELIABILITY,
                 Dimension.INFO_CREDIBILITY, Dimension.LIKELIHOOD, Dimension.CONFIDENCE)
#: The file name each format suggests, after the project's name.
_NAMES = {"jsonl": "claims", "csv": "claims", "w3c": "annotations", "parquet": "claims",
          "label-studio": "label-studio", "doccano": "doccano", "documents": "documents",
          "package": ""}

#: Formats that list every document in scope, with claims or not.
_LIST_DOCUMENTS = frozenset({"package", "label-studio", "doccano"})
#: Formats whose preview is one record a line (JSON Lines).
_ONE_RECORD_A_LINE = frozenset({"jsonl", "doccano", "documents", "package", "parquet"})

_ERROR = "color: #B00020;"
_NOTE = "color: #5F6368;"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _label_text(label: Label) -> str:
    """How a label is listed: graded scales with their key (``B — Usually
    reliable``), categories by name."""
    text = f"{label.key} — {label.name}" if label.dimension.graded else label.name
    return f"{text} (retired)" if label.retired else text


def _holds_other_files(folder: Path) -> bool:
    """Whether ``folder`` holds anything but an earlier package's files (which
    an export may replace); unreadable counts as holding other files."""
    try:
        return any(child.name not in package.PACKAGE_FILES or not child.is_file()
                   for child in folder.iterdir())
    except OSError:
        return True


class ExportDialog(QDialog):
    """Export the project: format, file, scope, options, a live count and preview.

    Signals:
        exported(object): an export finished (the
            :class:`~annotator.services.exports.ExportResult`); the dialog then closes.
        export_started(object): the :class:`ExportJob` about to start (its
            signals are not yet connected to anything but this dialog).
        refreshed(): the count and preview (or the scope's error) are up to date.
    """

    exported = Signal(object)
    export_started = Signal(object)
    refreshed = Signal()

    def __init__(self, service: ProjectService, settings: UiSettings | None = None, *,
                 analyst: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._service = service
        self._settings = settings or UiSettings()
        self._analyst = analyst
        self._codebook: Codebook = CodebookService(service.database).codebook()
        self._job: ExportJob | None = None
        self._format = ""
        self._scope_problem = ""
        self._path_problem = ""
        self._parquet: bool | None = None
        self.result: ExportResult | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY)
        self._refresh_timer.timeout.connect(self.refresh)

        self._make_widgets()
        self._fill_lists()
        self._connect()
        self._set_tab_order()
        initial = self._settings.export_format()
        self.set_format(initial if initial in FORMATS else "jsonl")
        self.path_edit.setText(str(self._directory() / self._default_name(self.format_name())))
        self.resize(1040, 700)
        self.refresh()

    # Construction ----------------------------------------------------------------

    def _make_widgets(self) -> None:
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormat")
        for info in FORMATS.values():
            self.format_combo.addItem(info.title, info.name)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.setPlaceholderText("Where to save the export")
        self.browse_button = QPushButton("B&rowse…")
        self.browse_button.setAutoDefault(False)
        self.path_note = plain(QLabel())
        self.path_note.setObjectName("exportPathNote")
        self.path_note.setWordWrap(True)

        self.bom_check = QCheckBox("Start with a UTF-8 &BOM (Excel needs it to read accents)")
        self.bom_check.setChecked(self._settings.export_bom())
        self.span_combo = QComboBox()
        for dimension in self._codebook.dimensions() or list(Dimension):
            self.span_combo.addItem(dimension.title, dimension.value)
        self.span_combo.setCurrentIndex(max(0, self.span_combo.findData(
            ExportOptions().span_label)))
        self.span_combo.setToolTip("The label each span gets in the tool's editor")
        self.offset_combo = QComboBox()
        for unit in doccano.OFFSET_UNITS:
            self.offset_combo.addItem({"utf-16": "UTF-16 code units (what doccano counts)",
                                       "codepoint": "Unicode code points"}.get(unit, unit), unit)
        self.zip_check = QCheckBox("As one .&zip file (else a folder)")
        self.sidecar_check = QCheckBox("Write the &codebook beside it")
        self.sidecar_check.setChecked(ExportOptions().codebook_sidecar)
        self.paths_check = QCheckBox("Include local file &paths")
        self.paths_check.setObjectName("exportIncludePaths")
        self.paths_check.setChecked(ExportOptions().include_paths)
        self.paths_check.setToolTip("Keep the folders the documents were imported from "
                                    "(else only their file names): they can show your "
                                    "user name and folders to whoever reads the data")

        what = QGroupBox("Output")
        self.what_form = form = QFormLayout(what)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        label = QLabel("&Format:")
        label.setBuddy(self.format_combo)
        form.addRow(label, self.format_combo)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        label = QLabel("Save &to:")
        label.setBuddy(self.path_edit)
        form.addRow(label, path_row)
        form.addRow("", self.path_note)
        form.addRow("CSV:", self.bom_check)
        self.span_label = QLabel("&Span label:")
        self.span_label.setBuddy(self.span_combo)
        form.addRow(self.span_label, self.span_combo)
        self.offset_label = QLabel("Offset &unit:")
        self.offset_label.setBuddy(self.offset_combo)
        form.addRow(self.offset_label, self.offset_combo)
        form.addRow("Package:", self.zip_check)
        form.addRow("Codebook:", self.sidecar_check)
        form.addRow("Documents:", self.paths_check)

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
        labels_page = QWidget()
        grid = QGridLayout(labels_page)
        grid.setContentsMargins(6, 6, 6, 6)
        explain = QLabel("Keep only claims with one of the checked labels. A dimension "
                         "with nothing checked is not filtered.")
        explain.setWordWrap(True)
        grid.addWidget(explain, 0, 0, 1, 2)
        present = set(self._codebook.dimensions())
        dimensions = [d for d in LABEL_FILTERS if d in present or d in LABEL_FILTERS[:4]]
        for index, dimension in enumerate(dimensions):
            checks = CheckList()
            checks.setObjectName(f"exportLabels_{dimension.value}")
            checks.setMinimumHeight(60)
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
        self.tabs.addTab(labels_page, "")

        self.done_only = QCheckBox("Only documents marked d&one")
        self.gold_only = QCheckBox("Only ad&judicated (gold) claims")
        self.gold_only.setToolTip("The gold layer: the claims adjudicated in review, each "
                                  "with where its span and labels came from")
        scope = QGroupBox("What to export")
        scope_layout = QVBoxLayout(scope)
        scope_layout.addWidget(self.tabs, 1)
        scope_layout.addWidget(self.done_only)
        scope_layout.addWidget(self.gold_only)

        self.count_label = QLabel()
        self.count_label.setObjectName("exportCount")
        font = self.count_label.font()
        font.setBold(True)
        self.count_label.setFont(font)
        self.scope_message = plain(QLabel())     # may name annotators and documents
        self.scope_message.setObjectName("exportScopeMessage")
        self.scope_message.setWordWrap(True)
        self.scope_message.setStyleSheet(_ERROR)
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
        right_pane = QWidget()
        right = QVBoxLayout(right_pane)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.count_label)
        right.addWidget(self.scope_message)
        right.addWidget(self.preview_label)
        right.addWidget(self.preview, 1)

        left_pane = QWidget()
        left = QVBoxLayout(left_pane)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(what)
        left.addWidget(scope, 1)
        self.settings_area = QSplitter(Qt.Orientation.Horizontal)
        self.settings_area.setChildrenCollapsible(False)
        self.settings_area.addWidget(left_pane)
        self.settings_area.addWidget(right_pane)
        self.settings_area.setStretchFactor(0, 5)
        self.settings_area.setStretchFactor(1, 6)
        self.settings_area.setSizes([480, 560])

        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("exportProgress")
        self.progress_bar.setTextVisible(True)
        self.progress_label = QLabel()
        self.progress_label.setObjectName("exportStatus")
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.cancel_button = self.buttons.addButton(
            "&Cancel Export", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label)
        bottom.addWidget(self.progress_bar, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.settings_area, 1)
        layout.addLayout(bottom)
        self._show_progress(False)

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

    def _fill_lists(self) -> None:
        for info in self._service.documents():
            status = STATUS_NAMES.get(info.status, info.status)
            if info.superseded:
                status += " (replaced)"
            tip = "\n".join(line for line in (info.title, info.source, f"id {info.id}") if line)
            self.documents_list.add((info.title or "(untitled)", f"{info.claim_count:,}",
                                     status), info.id, checked=True, tip=tip)
        for name, claims in exports.annotators(self._service):
            mine = " (you)" if name == self._analyst else ""
            self.annotators_list.add((f"{name or '(no name)'}{mine}", f"{claims:,}"), name,
                                     checked=True)
        for dimension, checks in self.label_lists.items():
            for label in self._codebook.of(dimension):
                checks.add((_label_text(label),), label.key, checked=False,
                           tip=f"{label.key}: {label.description}".rstrip(": "))
        names = self.annotators_list.values()
        self.mine_button.setEnabled(self._analyst in names)
        self.mine_button.setToolTip(plain_tooltip(
            f"Export only the claims by {self._analyst}" if self._analyst in names
            else f"{self._analyst or 'You'} made no claims in this project"))
        self._update_tabs()

    def _connect(self) -> None:
        self.format_combo.currentIndexChanged.connect(
            lambda _index: self.set_format(self.format_combo.currentData()))
        self.path_edit.textChanged.connect(self._on_path_changed)
        self.browse_button.clicked.connect(self.browse)
        self.zip_check.toggled.connect(self._on_zip_toggled)
        for widget in (self.bom_check, self.sidecar_check, self.paths_check, self.done_only,
                       self.gold_only):
            widget.toggled.connect(self.schedule_refresh)
        self.sidecar_check.toggled.connect(self._check_path)    # one more file written
        for combo in (self.span_combo, self.offset_combo):
            combo.currentIndexChanged.connect(self.schedule_refresh)
        for checks in (self.documents_list, self.annotators_list, *self.label_lists.values()):
            checks.itemChanged.connect(self._on_scope_changed)
        self.documents_all.clicked.connect(lambda: self.documents_list.check(None))
        self.documents_none.clicked.connect(lambda: self.documents_list.check(()))
        self.annotators_all.clicked.connect(lambda: self.annotators_list.check(None))
        self.annotators_none.clicked.connect(lambda: self.annotators_list.check(()))
        self.mine_button.clicked.connect(self.only_my_work)
        self.labels_clear.clicked.connect(self._clear_labels)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self.cancel_button.clicked.connect(self.cancel_export)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.format_combo, self.path_edit, self.browse_button, self.bom_check,
            self.span_combo, self.offset_combo, self.zip_check, self.sidecar_check,
            self.paths_check, self.tabs,
            self.documents_list, self.documents_all, self.documents_none,
            self.annotators_list, self.annotators_all, self.annotators_none, self.mine_button,
            *self.label_lists.values(), self.labels_clear, self.done_only, self.gold_only,
            self.preview, self.export_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Format and path -------------------------------------------------------------

    def format_name(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, name: str) -> None:
        """Choose a format: its options show, the file name follows it."""
        name = exports.normalise_format(name)
        if self.format_combo.currentData() != name:
            self.format_combo.setCurrentIndex(self.format_combo.findData(name))
            return      # currentIndexChanged comes back here
        previous, self._format = self._format, name
        rows = {self.bom_check: name == "csv",
                self.span_combo: name in ("label-studio", "doccano"),
                self.offset_combo: name == "doccano",
                self.zip_check: name == "package",
                self.sidecar_check: FORMATS[name].claims,
                self.paths_check: name in ("documents", "package")}
        for widget, visible in rows.items():
            self.what_form.setRowVisible(widget, visible)
        if previous and self.path_edit.text().strip():
            self.path_edit.setText(str(self._follow_format(self.target(), previous, name)))
        self.schedule_refresh()
        self._check_path()

    def _project_stem(self) -> str:
        name = Path(self._service.location).name
        for suffix in (".sqlite", ".annotator", ".db"):
            name = name.removesuffix(suffix)
        return name or "export"

    def _suffix(self, fmt: str) -> str:
        if fmt == "package":
            return ".zip" if self.zip_check.isChecked() else ""
        return FORMATS[fmt].suffix

    def _default_name(self, fmt: str, *, stem_only: bool = False) -> str:
        stem = "-".join(part for part in (self._project_stem(), _NAMES[fmt]) if part)
        return stem if stem_only else stem + self._suffix(fmt)

    def _follow_format(self, path: Path | None, previous: str, fmt: str) -> Path:
        """The path for ``fmt`` after ``previous``: a suggested name follows the
        format; a name of the user's keeps its stem and gets the new suffix."""
        if path is None:
            return self._directory() / self._default_name(fmt)
        old_suffix = ".zip" if previous == "package" and path.suffix.lower() == ".zip" \
            else FORMATS[previous].suffix
        stem = path.name[:len(path.name) - len(old_suffix)] if old_suffix and \
            path.name.lower().endswith(old_suffix) else path.name
        if stem == self._default_name(previous, stem_only=True):
            stem = self._default_name(fmt, stem_only=True)
        return path.with_name(stem + self._suffix(fmt))

    def _on_zip_toggled(self, on: bool) -> None:
        path = self.target()
        if path is not None and self.format_name() == "package":
            is_zip = path.suffix.lower() == ".zip"
            if on and not is_zip:
                self.path_edit.setText(str(path.with_name(path.name + ".zip")))
            elif not on and is_zip:
                self.path_edit.setText(str(path.with_name(path.stem)))

    def _on_path_changed(self, _text: str) -> None:
        path = self.target()
        if path is not None and self.format_name() == "package":
            self.zip_check.blockSignals(True)
            self.zip_check.setChecked(path.suffix.lower() == ".zip")
            self.zip_check.blockSignals(False)
        self._check_path()

    def _directory(self) -> Path:
        remembered = self._settings.export_directory()
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
        return Path.home()

    def target(self) -> Path | None:
        """Where the export goes (relative paths from the last export folder)."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else self._directory() / path

    def _check_path(self) -> None:
        path, fmt = self.target(), self.format_name()
        problem, note = "", ""
        if path is None:
            note = "Choose where to save the export."
            problem = note
        elif not path.parent.is_dir():
            problem = f"The folder {path.parent} does not exist."
        elif reason := exports.target_problem(self._service.location, fmt, path,
                                              self.options()):
            problem = f"{reason[:1].upper()}{reason[1:]}."
        elif fmt == "package" and path.suffix.lower() != ".zip":
            if path.exists() and not path.is_dir():
                problem = f"{path.name} is a file; a package is written as a folder."
            elif path.is_dir():
                if _holds_other_files(path):
                    problem = (f"The folder {path.name} holds other files; choose a new "
                               "or empty folder.")
                else:
                    note = f"Replaces the package in {path.name}."
        elif path.is_dir():
            problem = f"{path.name} is a folder; give a file name."
        elif path.exists():
            note = f"Replaces the existing {path.name}."
        self._path_problem = problem
        self.sidecar_check.setText("Write the &codebook beside it" + (
            f" ({exports.sidecar_path(path).name})" if path is not None else ""))
        self.path_note.setText(problem or note)
        self.path_note.setStyleSheet(_ERROR if problem and path is not None else _NOTE)
        self.path_note.setVisible(bool(problem or note))
        self._update_buttons()

    def browse(self) -> None:
        fmt = self.format_name()
        current = self.target() or self._directory() / self._default_name(fmt)
        if fmt == "package" and not self.zip_check.isChecked():
            start = current.parent if not current.is_dir() else current
            folder = QFileDialog.getExistingDirectory(
                self, "Export Package to Folder", str(start))
            if not folder:
                return
            chosen = Path(folder)
            # A folder with other things in it gets the package as a new subfolder.
            self.path_edit.setText(str(chosen / self._default_name(fmt)
                                       if _holds_other_files(chosen) else chosen))
            return
        suffix = self._suffix(fmt)
        kind = "Zip archive" if suffix == ".zip" else FORMATS[fmt].title
        path, _ = QFileDialog.getSaveFileName(self, "Export", str(current),
                                              f"{kind} (*{suffix});;All files (*)")
        if path:
            chosen = Path(path)
            if suffix and not chosen.suffix:
                chosen = chosen.with_name(chosen.name + suffix)
            self.path_edit.setText(str(chosen))

    # Scope -------------------------------------------------------------------------

    def _on_scope_changed(self, *_changed: object) -> None:
        self._update_tabs()
        self.schedule_refresh()

    def _update_tabs(self) -> None:
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

    def _clear_labels(self) -> None:
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

    def options(self) -> ExportOptions:
        return ExportOptions(bom=self.bom_check.isChecked(),
                             span_label=str(self.span_combo.currentData()),
                             offset_unit=str(self.offset_combo.currentData()),
                             codebook_sidecar=self.sidecar_check.isChecked(),
                             include_paths=self.paths_check.isChecked())

    # Count and preview -------------------------------------------------------------

    def schedule_refresh(self) -> None:
        """Redo the count and preview once the controls stop changing."""
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Count and preview the scope now (or show why it is not one)."""
        self._refresh_timer.stop()
        fmt = self.format_name()
        problem = ""
        try:
            scope = self.scope()
            claims, documents, claimed = exports.count(self._service, scope)
            text = exports.preview(self._service, fmt, scope, self.options(),
                                   limit=PREVIEW_RECORDS)
        except (ExportError, ProjectError) as error:
            problem, claims, documents, claimed, text = str(error), 0, 0, 0, ""
        if not problem and fmt == "parquet" and not self._parquet_available():
            problem = parquet.INSTALL_HINT
        self._scope_problem = problem
        self.scope_message.setText(problem[:1].upper() + problem[1:])
        self.scope_message.setVisible(bool(problem))
        if problem:
            self.count_label.setText("Nothing to export")
        elif fmt == "documents":
            self.count_label.setText(_plural(documents, "document"))
        else:   # the documents the claims are in; some formats list the others too
            listed = (f" ({_plural(documents, 'document')} listed)"
                      if fmt in _LIST_DOCUMENTS and documents != claimed else "")
            self.count_label.setText(f"{_plural(claims, 'claim')} in "
                                     f"{_plural(claimed, 'document')}{listed}")
        what = {"package": "the first claims of claims.jsonl",
                "parquet": "the first rows, as JSON",
                "label-studio": "the first task",
                "doccano": "the first line"}.get(fmt, "the first records")
        self.preview_label.setText(f"Pre&view ({what}):")
        self.preview.setPlainText(text)
        self._stripe_records(fmt in _ONE_RECORD_A_LINE)
        self._update_buttons()
        self.refreshed.emit()

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

    def _parquet_available(self) -> bool:
        if self._parquet is None:
            self._parquet = parquet.available()
        return self._parquet

    @property
    def scope_problem(self) -> str:
        """Why the scope cannot be exported ("" when it can)."""
        return self._scope_problem

    @property
    def path_problem(self) -> str:
        return self._path_problem

    def _update_buttons(self) -> None:
        running = self._job is not None
        self.export_button.setEnabled(not running and not self._scope_problem
                                      and not self._path_problem)

    # Exporting ----------------------------------------------------------------------

    @property
    def job(self) -> ExportJob | None:
        """The export running now, if any."""
        return self._job

    def start_export(self) -> bool:
        """Export as the controls say, on a worker thread. Returns False when
        nothing started (an export is running, or the scope or path is not valid)."""
        if self._job is not None:
            return False
        if self._refresh_timer.isActive():
            self.refresh()
        self._check_path()
        out = self.target()
        if out is None or self._scope_problem or self._path_problem:
            return False
        try:
            scope = self.scope()
        except ScopeError as error:
            self.scope_message.setText(str(error))
            self.scope_message.show()
            return False
        job = ExportJob(self, self._service.location, self.format_name(), out, scope,
                        self.options())
        self._job = job
        job.progressed.connect(self._on_progressed)
        job.finished.connect(self._on_finished)
        job.cancelled.connect(self._on_cancelled)
        job.failed.connect(self._on_failed)
        self._show_progress(True)
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("Exporting…")
        self.export_started.emit(job)
        job.start()
        return True

    def cancel_export(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress_label.setText("Cancelling…")

    def _show_progress(self, running: bool) -> None:
        self.settings_area.setEnabled(not running)
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.close_button.setVisible(not running)
        self._update_buttons()
        if running:
            self.cancel_button.setFocus()

    def _on_progressed(self, done: int, total: int) -> None:
        if self._job is None:
            return
        self.progress_bar.setRange(0, max(total, 0))
        self.progress_bar.setValue(min(done, total) if total else 0)
        word = "document" if self._job.format == "documents" else "claim"
        if not self._job.cancel_requested:
            self.progress_label.setText(f"Exporting {done:,} of {_plural(total, word)}…")

    def _end_job(self) -> ExportJob | None:
        """The worker has reported: wait for its thread to end, let the job go."""
        job, self._job = self._job, None
        if job is not None:
            job.wait()
            job.deleteLater()
        self._show_progress(False)
        return job

    def _on_finished(self, result: ExportResult) -> None:
        job = self._end_job()
        if job is None:
            return
        self.result = result
        self._settings.set_export_format(job.format)
        self._settings.set_export_directory(result.path.parent)
        if job.format == "csv":
            self._settings.set_export_bom(job.options.bom)
        self.progress_label.setText("")
        if result.refused:
            self._show_refused(result)
        self.exported.emit(result)
        self.accept()

    def _show_refused(self, result: ExportResult) -> None:
        """List the claims the export left out because their quote is not their text."""
        shown = result.refused[:REFUSED_LISTED]
        more = len(result.refused) - len(shown)
        show_message(self, QMessageBox.Icon.Warning, "Some claims were not exported",
                     f"{result.summary()[:1].upper()}{result.summary()[1:]}.\n\n"
                     "A claim is exported only when its quote is the document's text at "
                     "its offsets; these were not (the project may be damaged):\n\n"
                     + "\n".join(f"• {refusal}" for refusal in shown)
                     + (f"\n… and {more} more" if more else ""))

    def _on_cancelled(self) -> None:
        if self._end_job() is None:
            return
        self.progress_label.setText("Cancelled: nothing was written.")
        self._check_path()

    def _on_failed(self, message: str) -> None:
        job = self._end_job()
        if job is None:
            return
        self.progress_label.setText("Export failed.")
        self._check_path()
        show_message(self, QMessageBox.Icon.Critical, "Export failed",
                     f"Could not export to {job.out}:\n\n{message}")

    def abort(self) -> None:
        """Stop a running export and wait for it (the window is closing)."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel()
            job.wait()
            job.deleteLater()
            self._show_progress(False)

    def reject(self) -> None:
        """Esc and Close: cancel a running export (the dialog stays), else close."""
        if self._job is not None:
            self.cancel_export()
            return
        self._refresh_timer.stop()
        super().reject()
