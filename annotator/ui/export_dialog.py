"""File › Export…: choose a format, where to save, and which claims (scope); see
how many and the first records before writing; export as a background task
(:mod:`annotator.ui.tasks`) with a progress bar and Cancel.

Everything here is :mod:`annotator.services.exports`: the dialog only builds an
:class:`~annotator.services.exports.ExportScope` and
:class:`~annotator.services.exports.ExportOptions` from its controls, shows
:func:`~annotator.services.exports.count` and
:func:`~annotator.services.exports.preview` for them, and runs
:func:`~annotator.services.exports.export`. The export is atomic, so a
cancelled or failed export leaves any earlier file at the target as it was.
"""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.wording import plural
from annotator.formats.export import doccano, package, parquet
from annotator.services import exports
from annotator.services.codebook import CodebookService
from annotator.services.exports import (
    FORMATS,
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportResult,
    ExportScope,
    ScopeError,
)
from annotator.services.project import ProjectService
from annotator.storage.errors import ProjectError
from annotator.ui.colours import set_text_role
from annotator.ui.export_panes import (
    _DATA,
    LABEL_FILTERS,
    CheckList,
    PreviewPane,
    ScopePane,
)
from annotator.ui.plain import plain, show_message
from annotator.ui.settings import UiSettings
from annotator.ui.tasks import (
    USER_ERRORS,
    BackgroundTask,
    Cancelled,
    Progress,
    TaskCancelled,
    with_project,
)

#: The names this module has always offered; the scope and preview widgets now
#: live in :mod:`annotator.ui.export_panes` (``_DATA``: a CheckList row's value role).
__all__ = ["LABEL_FILTERS", "PREVIEW_RECORDS", "REFRESH_DELAY", "_DATA", "CheckList",
           "ExportDialog", "ExportJob", "PreviewPane", "ScopePane"]

#: Records shown in the preview.
PREVIEW_RECORDS = 3
#: How long the scope must stay unchanged before the count and preview are redone (ms).
REFRESH_DELAY = 150
#: The file name each format suggests, after the project's name.
_NAMES = {"jsonl": "claims", "csv": "claims", "w3c": "annotations", "parquet": "claims",
          "label-studio": "label-studio", "doccano": "doccano", "documents": "documents",
          "package": ""}

def _holds_other_files(folder: Path) -> bool:
    """Whether ``folder`` holds anything but an earlier package's files (which
    an export may replace); unreadable counts as holding other files."""
    try:
        return any(child.name not in package.PACKAGE_FILES or not child.is_file()
                   for child in folder.iterdir())
    except OSError:
        return True

#: Refused claims listed after an export (the rest are counted).
REFUSED_LISTED = 20


class ExportJob(BackgroundTask):
    """Runs :func:`exports.export` as a :class:`BackgroundTask`, on its own
    connection to the project (as :class:`annotator.ui.import_flow.ImportJob`
    does). Besides the user's errors every task knows, an :class:`ExportError`
    (scope, options, pyarrow missing) is one the user can fix.

    Signals:
        progressed(int, int): records written so far, and the total (emitted
            from the worker thread).
        finished(object): the :class:`~annotator.services.exports.ExportResult`.
        cancelled(): the export stopped; nothing was written in place of the target.
        failed(str): why the export could not be done (for the user).
    """

    def __init__(self, parent: QObject, location: str, fmt: str, out: Path,
                 scope: ExportScope, options: ExportOptions) -> None:
        super().__init__(with_project(location, partial(_export, fmt, out, scope, options),
                                      read_only=True),
                         parent, name="annotator-export",
                         user_errors=(*USER_ERRORS, ExportError))
        self.location, self.format, self.out = location, fmt, out
        self.scope, self.options = scope, options


def _export(fmt: str, out: Path, scope: ExportScope, options: ExportOptions,
            service: ProjectService, progress: Progress, cancelled: Cancelled
            ) -> ExportResult:
    """The export itself, on the worker thread (``cancelled`` is polled every few
    hundred records and once more before anything is renamed into place)."""
    try:
        return exports.export(service, fmt, out, scope, options, progress=progress,
                              cancel=cancelled)
    except ExportCancelled as stop:
        raise TaskCancelled(str(stop)) from stop


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
        self.paths_check = QCheckBox("Include local file &paths")
        self.paths_check.setObjectName("exportIncludePaths")
        self.paths_check.setChecked(ExportOptions().include_paths)
        self.paths_check.setToolTip("Keep the folders the documents were imported from "
                                    "(else only their file names): they can show your "
                                    "user name and folders to whoever reads the data")

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
            self.offset_combo.addItem({
                "utf-16": "UTF-16 code units (for doccano's editor)",
                "codepoint": "Unicode code points (for Python scripts, not doccano)"}.get(
                    unit, unit), unit)
        self.offset_combo.setToolTip(
            "doccano's editor counts UTF-16 code units: with code points every span after "
            "an emoji lands on the wrong characters there. Code points are Python's string "
            "indexes, for reading the file with a script.")
        self.zip_check = QCheckBox("As one .&zip file (else a folder)")
        self.sidecar_check = QCheckBox("Write the &codebook beside it")
        self.sidecar_check.setChecked(ExportOptions().codebook_sidecar)

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

        self.scope_pane = ScopePane(self._codebook)
        self.preview_pane = PreviewPane()
        # The panes' controls, by the names the dialog has always given them.
        scope, preview = self.scope_pane, self.preview_pane
        self.tabs, self.documents_list, self.annotators_list = (
            scope.tabs, scope.documents_list, scope.annotators_list)
        self.label_lists, self.done_only, self.gold_only = (
            scope.label_lists, scope.done_only, scope.gold_only)
        self.documents_all, self.documents_none, self.annotators_all = (
            scope.documents_all, scope.documents_none, scope.annotators_all)
        self.annotators_none, self.mine_button, self.labels_clear = (
            scope.annotators_none, scope.mine_button, scope.labels_clear)
        self.count_label, self.scope_message, self.preview_label, self.preview = (
            preview.count_label, preview.scope_message, preview.preview_label,
            preview.preview)

        left_pane = QWidget()
        left = QVBoxLayout(left_pane)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(what)
        left.addWidget(self.scope_pane, 1)
        self.settings_area = QSplitter(Qt.Orientation.Horizontal)
        self.settings_area.setChildrenCollapsible(False)
        self.settings_area.addWidget(left_pane)
        self.settings_area.addWidget(self.preview_pane)
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

    def _fill_lists(self) -> None:
        self.scope_pane.fill(self._service.documents(), exports.annotators(self._service),
                             self._analyst)

    def _connect(self) -> None:
        self.format_combo.currentIndexChanged.connect(
            lambda _index: self.set_format(self.format_combo.currentData()))
        self.path_edit.textChanged.connect(self._on_path_changed)
        self.browse_button.clicked.connect(self.browse)
        self.zip_check.toggled.connect(self._on_zip_toggled)
        for widget in (self.bom_check, self.sidecar_check, self.paths_check):
            widget.toggled.connect(self.schedule_refresh)
        self.sidecar_check.toggled.connect(self._check_path)    # one more file written
        for combo in (self.span_combo, self.offset_combo):
            combo.currentIndexChanged.connect(self.schedule_refresh)
        self.scope_pane.changed.connect(self.schedule_refresh)
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
                self.span_combo: name in ("label-studio", "doccano", "spacy"),
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
        stem = "-".join(part for part in (self._project_stem(), _NAMES.get(fmt, fmt)) if part)
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
        set_text_role(self.path_note, "error" if problem and path is not None else "muted")
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

    def only_my_work(self) -> None:
        """Check only the analyst's own name among the annotators."""
        self.scope_pane.only_my_work()

    def scope(self) -> ExportScope:
        """The scope the controls describe; :class:`ScopeError` when it cannot be one."""
        return self.scope_pane.scope()

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
        self.preview_pane.display(fmt, problem, claims, documents, text, claimed=claimed)
        self._update_buttons()
        self.refreshed.emit()

    def _parquet_available(self) -> bool:
        if self._parquet is None:
            self._parquet = parquet.available()
        return self._parquet

    @property
    def scope_problem(self) -> str:
        """Why the scope cannot be exported ("" when it can)."""
        return self._scope_problem

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
            self.progress_label.setText(f"Exporting {done:,} of {plural(total, word)}…")

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
        self.exported.emit(result)
        if result.refused:
            self._show_refused(result)
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
