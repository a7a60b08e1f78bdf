"""The document's details: what the analyst may edit (title, source, date,
publisher) and what the import recorded (importer, encoding, file, hashes,
pages, sections, versions). The text itself is never editable; everything is
shown as written (a web page's author can be any text, HTML included)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.model import Document
from annotator.ui.plain import plain_label, plain_tooltip

#: Metadata shown read-only, in this order, with their labels.
_INFO = (
    ("author", "Author"), ("site", "Site"), ("canonical_url", "URL"),
    ("language", "Language"), ("importer", "Importer"), ("encoding", "Encoding"),
    ("original_filename", "Original file"), ("original_sha256", "File SHA-256"),
)


def _reflow_text(value: object) -> str:
    if isinstance(value, dict):
        return ("lines joined: " if value.get("applied") else "as read: ") + \
            str(value.get("reason", ""))
    return ""


class DocumentPanel(QWidget):
    """Signals:
        details_edited(dict): the user changed title/source/published/publisher.
    """

    details_edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: Document | None = None
        self._loading = False
        self.title = QLineEdit()
        self.source = QLineEdit()
        self.published = QLineEdit()
        self.published.setPlaceholderText("YYYY-MM-DD")
        self.publisher = QLineEdit()
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Source", self.source)
        form.addRow("Published", self.published)
        form.addRow("Publisher", self.publisher)
        self.info = QFormLayout()
        self.info_labels: dict[str, QLabel] = {}
        for key, label in (*_INFO, ("pages", "Pages"), ("reflow", "Line breaks"),
                           ("sha256", "Text SHA-256"), ("version", "Version")):
            value = plain_label()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            # Hashes and URLs have no spaces to wrap at: never let them widen the dock.
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            value.setObjectName(f"info_{key}")
            self.info_labels[key] = value
            self.info.addRow(label, value)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(self.info)
        layout.addStretch(1)
        for edit in (self.title, self.source, self.published, self.publisher):
            edit.editingFinished.connect(self._on_edited)
        self.set_document(None)

    def set_document(self, document: Document | None, *, version: str = "") -> None:
        self._document = document
        self._loading = True
        try:
            for edit in (self.title, self.source, self.published, self.publisher):
                edit.setEnabled(document is not None)
            meta = document.metadata if document else {}
            self.title.setText(document.title if document else "")
            self.source.setText(document.source if document else "")
            self.published.setText(document.published if document else "")
            self.publisher.setText(str(meta.get("publisher", "")) if document else "")
            for edit in (self.title, self.source, self.published, self.publisher):
                if not edit.hasFocus():
                    # A long title shows its start (the whole of it in the tooltip).
                    edit.setCursorPosition(0)
                    edit.setToolTip(plain_tooltip(edit.text()))
            for key, _label in _INFO:
                value = meta.get(key, "")
                if key == "importer" and value:
                    value = f"{value} {meta.get('importer_version', '')}".strip()
                if key == "encoding" and value and meta.get("encoding_guessed"):
                    value = f"{value} (guessed)"
                self.info_labels[key].setText(str(value) if value else "—")
            pages = meta.get("pages")
            self.info_labels["pages"].setText(str(len(pages)) if pages else "—")
            self.info_labels["reflow"].setText(_reflow_text(meta.get("reflow")) or "—")
            self.info_labels["sha256"].setText(document.sha256 if document else "—")
            self.info_labels["version"].setText(version or "—")
        finally:
            self._loading = False

    def set_version(self, version: str) -> None:
        """Only the Version line (a newer version imported meanwhile): what is
        being typed in the other fields stays."""
        self.info_labels["version"].setText(version or "—")

    def _on_edited(self) -> None:
        if self._loading or self._document is None:
            return
        values = {"title": self.title.text().strip() or self._document.title,
                  "source": self.source.text().strip(),
                  "published": self.published.text().strip(),
                  "publisher": self.publisher.text().strip()}
        current = {"title": self._document.title, "source": self._document.source,
                   "published": self._document.published,
                   "publisher": str(self._document.metadata.get("publisher", ""))}
        if values != current:
            self.details_edited.emit(values)
