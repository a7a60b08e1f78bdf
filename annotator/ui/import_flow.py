"""Importing files from the window: encoding preview, and the import as a
background task (:mod:`annotator.ui.tasks`) with a progress dialog that can be
cancelled, and a summary.

The task opens its own connection to the project (SQLite serialises the
writes), so the window stays responsive while a large folder or a PDF imports.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions
from annotator.formats.text import EncodingCandidate, encoding_candidates_for
from annotator.services.project import ProjectService
from annotator.services.transfer import ImportReport, import_files
from annotator.ui.mapping_dialog import import_buttons
from annotator.ui.tasks import BackgroundTask, Cancelled, Progress, with_project

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_UNICODE = ("utf-8", "utf_8", "utf-8-sig", "utf_8_sig", "utf-16", "utf_16", "utf-32",
            "utf_32", "ascii")


def needs_encoding_review(candidates: list[EncodingCandidate]) -> bool:
    """A text file whose encoding was guessed (a legacy single-byte code page),
    or could not be found: the analyst should see a preview and may override."""
    if not candidates or not candidates[0].detected:
        return True
    return candidates[0].encoding.lower().replace("-", "_") not in {
        name.replace("-", "_") for name in _UNICODE}


def files_to_review(paths: list[Path]) -> dict[Path, list[EncodingCandidate]]:
    found: dict[Path, list[EncodingCandidate]] = {}
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix.lower() not in TEXT_SUFFIXES:
                continue
            try:
                candidates = encoding_candidates_for(file)
            except ImportProblem:
                continue          # the import itself reports why
            if candidates and needs_encoding_review(candidates):
                found[file] = candidates
    return found


def candidate_label(candidate: EncodingCandidate) -> str:
    """"Windows-1252 (Western European) — detected", with what else is known."""
    notes = []
    if candidate.detected:
        notes.append("detected")
    elif candidate.same_text:
        notes.append("reads the same")
    if candidate.errors:
        notes.append(f"{candidate.errors} bad bytes")
    return " — ".join([candidate.label, *notes])


class EncodingDialog(QDialog):
    """Shows each guessed text file decoded several ways; the analyst picks one."""

    def __init__(self, files: dict[Path, list[EncodingCandidate]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check Text Encodings")
        self._files = files
        self._chosen: dict[Path, str] = {
            path: (next((c for c in cands if c.detected), cands[0])).encoding
            for path, cands in files.items()}
        self.list = QListWidget()
        self.list.addItems([path.name for path in files])
        self.encoding = QComboBox()
        self.encoding.setObjectName("encodingChoice")
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setObjectName("encodingPreview")
        explain = QLabel("These files are not Unicode, so their encoding was guessed from how "
                         "plausibly each reading looks (letters of one script, no stray "
                         "symbols). Short texts can read the same in several encodings, so "
                         "a guess may be wrong. Every encoding considered is listed, the "
                         "detected one first; check the preview and pick another if letters "
                         "look wrong.")
        explain.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.encoding)
        right.addWidget(self.preview, 1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 3)
        buttons = import_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._on_file_changed)
        self.encoding.currentIndexChanged.connect(self._on_encoding_changed)
        self.list.setCurrentRow(0)
        self.resize(820, 480)

    def _path(self) -> Path:
        return list(self._files)[max(0, self.list.currentRow())]

    def _on_file_changed(self, _row: int) -> None:
        path = self._path()
        self.encoding.blockSignals(True)
        self.encoding.clear()
        for candidate in self._files[path]:
            self.encoding.addItem(candidate_label(candidate), candidate.encoding)
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(self._chosen[path])))
        self.encoding.blockSignals(False)
        self._show_preview()

    def _on_encoding_changed(self, _index: int) -> None:
        self._chosen[self._path()] = self.encoding.currentData()
        self._show_preview()

    def _show_preview(self) -> None:
        encoding = self.encoding.currentData()
        for candidate in self._files[self._path()]:
            if candidate.encoding == encoding:
                self.preview.setPlainText(candidate.preview)

    def choose(self, path: Path, encoding: str) -> None:
        self._chosen[path] = encoding
        if path == self._path():
            self._on_file_changed(self.list.currentRow())

    def chosen(self) -> dict[Path, str]:
        return dict(self._chosen)


class ImportJob(BackgroundTask):
    """Imports files (:func:`import_files`) as a :class:`BackgroundTask`, on its
    own connection to the project.

    Signals:
        progressed(str, int, int): the file being read, its index, the total
            (emitted from the worker thread).
        finished(object): the :class:`ImportReport`; a cancelled import finishes
            too, with ``report.cancelled`` set and the files not read skipped.
        failed(str): the project could not be opened or written, or a bug
            (message for the user).
    """

    progressed = Signal(str, int, int)

    def __init__(self, parent: QObject, location: str, paths: list[Path],
                 options: ImportOptions, encodings: dict[Path, str]) -> None:
        super().__init__(with_project(location, partial(_import, list(paths), options,
                                                        dict(encodings))),
                         parent, name="annotator-import")


def _import(paths: list[Path], options: ImportOptions, encodings: dict[Path, str],
            service: ProjectService, progress: Progress, cancelled: Cancelled
            ) -> ImportReport:
    """The import itself, on the worker thread: each text file in the encoding
    the analyst chose, if any."""
    def overrides(path: Path) -> dict:
        encoding = encodings.get(path)
        return {"options": replace(options, encoding=encoding)} if encoding else {}

    return import_files(service, paths, overrides=overrides,
                        progress=lambda path, index, total: progress(str(path), index, total),
                        options=options, cancel=cancelled)
