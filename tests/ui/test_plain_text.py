"""Document and claim data are shown as written, never as HTML.

Qt takes text with a tag on its first line for rich text, and rich text loads
the files its ``<img>`` tags name: a web page whose author is
``<img src=/dev/zero>`` made the app read ``/dev/zero`` until it aborted.
Here every field of a document, a claim, its source and a review comment holds
``<img src="PNG">``, where PNG is a real 300×300 image: the window is rendered
and every label showing the data must be plain text (and not as tall as the
image), every tooltip an item model or item widget gives must be escaped (and
not load the image when rendered as Qt renders tooltips)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QLabel

from annotator.domain.model import Claim, Document, Source
from annotator.domain.review import ReviewComment
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui.main_window import MainWindow
from annotator.ui.plain import plain_label, plain_tooltip
from annotator.ui.settings import UiSettings
from tests.ui.tooltips import tooltip_text

#: Side of the planted image: a label or tooltip that loaded it is at least this tall.
IMAGE = 300
#: Metadata the document panel shows, and the other keys an importer records.
METADATA_KEYS = ("author", "site", "canonical_url", "language", "importer", "importer_version",
                 "encoding", "original_filename", "original_sha256", "publisher", "description")


def _plant(folder: Path) -> str:
    png = folder / "planted.png"
    image = QImage(IMAGE, IMAGE, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    assert image.save(str(png))
    return f'<img src="{png}">'


def _project(path: Path, html: str) -> tuple[Document, Claim, Source]:
    """A project whose every text field holds ``html``."""
    text = f"The report quotes {html} as its source.\nA second line.\n"
    service = ProjectService.open(path, create=True)
    try:
        document = service.add_document(Document.from_text(
            text, title=html, source=html, published=html,
            metadata={**dict.fromkeys(METADATA_KEYS, html), "pages": [0],
                      "reflow": {"applied": True, "reason": html}})).document
        source = service.add_source(Source.new(html))
        service.update_source(dataclasses.replace(source, note=html))
        start = text.index(html)
        claim = service.add_claim(dataclasses.replace(
            Claim.new(document, start, start + len(html), annotator=html, note=html,
                      proposition=html, tags=(html,), stance="supports",
                      source_reliability="B", info_credibility=2),
            source_id=source.id, source_name=source.name))
        ReviewService(service).add_comment(ReviewComment.new(claim.id, html, html))
    finally:
        service.close()
    return document, claim, source


def _tooltips(model: QAbstractItemModel) -> list[str]:
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:       # a list model: one column (columnCount is private there)
        columns = 1
    tips = []
    for row in range(model.rowCount(QModelIndex())):
        for column in range(max(1, columns)):
            tip = model.data(model.index(row, column, QModelIndex()),
                             Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str) and tip:
                tips.append(tip)
    return tips


def _renders_small(text: str, *, auto: bool) -> bool:
    """Whether ``text`` lays out shorter than the image (rendered as rich text
    when Qt would take it for some, as a tooltip is)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.AutoText if auto else Qt.TextFormat.PlainText)
    label.setText(text)
    return label.sizeHint().height() < IMAGE


def test_the_check_would_see_an_image_load(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The figures below mean something: the planted tag, shown as Qt guesses,
    loads the image; through the helpers it does not."""
    html = _plant(tmp_path)
    assert not _renders_small(html, auto=True)
    assert _renders_small(plain_tooltip(html), auto=True)
    assert plain_label(html).textFormat() == Qt.TextFormat.PlainText
    assert tooltip_text(plain_tooltip(html)) == html


def test_every_label_and_tooltip_shows_document_and_claim_data_as_written(
        qtbot, tmp_path: Path, ui_settings: UiSettings) -> None:  # type: ignore[no-untyped-def]
    html = _plant(tmp_path)
    document, claim, source = _project(tmp_path / "planted.annotator.sqlite", html)
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.set_service(ProjectService.open(tmp_path / "planted.annotator.sqlite"))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.identity.all_action.trigger()     # the claim's analyst is the planted HTML
    window.show_document(document.id)
    window.select_claim(claim.id)
    assert window.current_claim() is not None
    assert window.sources.select_source(source.id)
    for dock in (window.details_dock, window.sources_dock):
        dock.raise_()
        window.grab()
    dialog = window.show_export_dialog()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert not window.grab().isNull() and not dialog.grab().isNull()

    shown = [label for label in window.findChildren(QLabel) if "<img" in label.text()]
    names = {label.objectName() for label in shown}
    # The document panel's metadata, the claim's quote and comments, the source.
    assert {"info_author", "info_site", "info_canonical_url", "info_original_filename",
            "info_encoding", "info_reflow", "claimQuote", "claimComments",
            "sourceTitle"} <= names
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert label.sizeHint().height() < IMAGE, label.objectName()

    models = window.findChildren(QAbstractItemModel)
    planted = 0
    for model in models:
        for tip in _tooltips(model):
            assert "<img" not in tip, (type(model).__name__, tip)
            if "&lt;img" in tip:
                planted += 1
                assert _renders_small(tip, auto=True)
                assert html in tooltip_text(tip)
    # The documents list, the claims table (quote, note, proposition), the
    # sources and their claims, the export dialog's documents, the combos.
    assert planted >= 8
    combos = [combo for combo in window.findChildren(QComboBox)
              if any(html in combo.itemText(i) for i in range(combo.count()))]
    assert combos        # the claim panel's proposition and source lists
    for combo in combos:
        for i in range(combo.count()):
            tip = combo.itemData(i, Qt.ItemDataRole.ToolTipRole)
            assert not (isinstance(tip, str) and "<img" in tip), tip
    dialog.reject()


_SCRIPT = textwrap.dedent("""
    import os, resource, sys
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from annotator.services.project import ProjectService
    from annotator.ui.main_window import MainWindow
    from annotator.ui.settings import UiSettings

    app = QApplication([])
    settings = UiSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.set_service(ProjectService.open(sys.argv[1]))
    window.resize(1280, 800)
    window.show()
    window.show_document(window.service.documents()[0].id)
    window.details_dock.raise_()
    app.processEvents()
    assert not window.grab().isNull()
    print("rendered", flush=True)
    window.close()
""")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_author_naming_dev_zero_does_not_bring_the_app_down(tmp_path: Path) -> None:
    """In a child process with a memory limit, so a regression fails this test
    instead of taking pytest down with it."""
    html = "<img src=/dev/zero>"
    project = tmp_path / "zero.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    try:
        document = service.add_document(Document.from_text(
            "A page whose author is an image.\n", title="Zero",
            metadata={"author": html, "site": html})).document
        service.add_claim(Claim.new(document, 2, 6, annotator="ana", note=html))
    finally:
        service.close()
    limit = 1536 * 1024 * 1024
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT.format(limit=limit), str(project),
         str(tmp_path / "settings.ini")],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "XDG_CONFIG_HOME": str(tmp_path / "config"),
             "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[2]),
                                                          os.environ.get("PYTHONPATH")]))})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "rendered"
