"""Shared helpers for the labelling-loop tests: a project with awkward text
(emoji, a multi-code-point emoji, CJK, Cyrillic, CRLF line endings) and many
overlapping and nested claims, a real window on it, real mouse gestures on the
viewer, and the stored claims read through a separate SQLite connection."""

from __future__ import annotations

import random
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from annotator.domain.model import Claim, Document, Source
from annotator.services.project import ProjectService
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings

ANALYST = "alice"

#: Three documents: CRLF and LF line endings, astral emoji (🚀, and 👍🏽, two code
#: points that Qt shows as one grapheme), CJK and Cyrillic.
TEXTS = (
    ("Первый документ",
     "Первый абзац: DeepSeek 🚀 запустил новую модель.\r\n"
     "The 深度求索 team said 👍🏽 results improved by 12 percent.\r\n"
     "Analysts doubt it; others cheer 🚀🚀 loudly, and markets fell.\r\n"
     "Второй абзац: инвесторы продали акции Nvidia в понедельник.\r\n"),
    ("Second document",
     "深度求索 (DeepSeek) released R1 in January.\n"
     "Nasdaq plummeted three percent 🚀 on Monday 👍🏽 analysts said.\n"
     "Москва молчит; Washington worries about export controls.\n"),
    ("Third document",
     "Short note 👍🏽👍🏽 about 深度求索.\r\n"
     "\r\n"
     "Итог: the claim is disputed 🚀.\r\n"),
)

#: Stored columns compared by the tests (``updated_at`` and the context are not).
COLUMNS = ("id", "document_id", "start", '"end"', "quote", "stance", "source_reliability",
           "info_credibility", "claim_type", "proposition", "note", "annotator", "source_id",
           "likelihood", "confidence")


@dataclass(frozen=True)
class Stored:
    id: str
    document_id: str
    start: int
    end: int
    quote: str
    stance: str | None
    source_reliability: str | None
    info_credibility: int | None
    claim_type: str | None
    proposition: str
    note: str
    annotator: str
    source_id: str | None
    likelihood: str | None
    confidence: str | None


def _random_claims(document: Document, rng: random.Random, count: int,
                   sources: list[Source]) -> list[Claim]:
    """Overlapping and nested claims with a spread of labels; some complete."""
    text = document.text
    claims: list[Claim] = []
    while len(claims) < count:
        if claims and rng.random() < 0.35:      # nested inside, or around, an earlier one
            other = rng.choice(claims)
            if rng.random() < 0.5 and other.end - other.start > 2:
                start = rng.randrange(other.start, other.end - 1)
                end = rng.randrange(start + 1, other.end + 1)
            else:
                start = max(0, other.start - rng.randrange(0, 6))
                end = min(len(text), other.end + rng.randrange(1, 6))
        else:
            start = rng.randrange(0, len(text) - 1)
            end = min(len(text), start + rng.randrange(1, 40))
        labels: dict[str, object] = {}
        if rng.random() < 0.5:
            labels["stance"] = rng.choice(("supports", "refutes", "neutral", "unclear"))
        if rng.random() < 0.4:
            labels["source_reliability"] = rng.choice("ABCDEF")
        if rng.random() < 0.4:
            labels["info_credibility"] = rng.randint(1, 6)
        if rng.random() < 0.4:
            labels["claim_type"] = rng.choice(("quantity", "prediction", "other",
                                               "not_a_claim"))
        if sources and rng.random() < 0.2:      # complete: every label, a source of its own
            source = sources.pop()
            labels.update(stance="refutes", source_reliability="B", info_credibility=2,
                          claim_type="quantity", proposition="DeepSeek is cheap",
                          source_id=source.id, source_name=source.name)
        claims.append(Claim.new(document, start, end, annotator=ANALYST, **labels))
    return claims


def build_template(path: Path, *, claims_per_document: int = 14, seed: int = 7,
                   texts: tuple[tuple[str, str], ...] = TEXTS) -> Path:
    """Create the project file once (``texts``: titles and texts of its documents);
    :func:`fresh_project` copies it per example."""
    service = ProjectService.open(path, create=True)
    try:
        rng = random.Random(seed)
        sources = [service.add_source(Source.new(f"Source {n}")) for n in range(8)]
        for title, text in texts:
            document = service.add_document(Document.from_text(text, title=title)).document
            if claims_per_document:
                service.add_claims(_random_claims(document, rng, claims_per_document, sources))
    finally:
        service.close()
    for suffix in ("-wal", "-shm"):
        assert not Path(str(path) + suffix).exists() or \
            Path(str(path) + suffix).stat().st_size == 0
    return path


def fresh_project(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def make_settings(folder: Path) -> UiSettings:
    settings = UiSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name(ANALYST)
    return settings


def open_window(qtbot, path: Path, settings: UiSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    """A real window on ``path``, shown, active, the viewer focused."""
    window = MainWindow(settings)
    window.set_service(ProjectService.open(path))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.view.setFocus()
    QApplication.processEvents()
    return window


def close_window(window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    QApplication.processEvents()


# Reading what is stored --------------------------------------------------------------

class StoredClaims:
    """The project's claims through a separate, read-only SQLite connection."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def all(self) -> dict[str, Stored]:
        rows = self._connection.execute(f"SELECT {', '.join(COLUMNS)} FROM claims").fetchall()
        return {row[0]: Stored(*row) for row in rows}

    def texts(self) -> dict[str, str]:
        return dict(self._connection.execute("SELECT id, text FROM documents").fetchall())

    def document_ids(self) -> list[str]:
        return [row[0] for row in self._connection.execute(
            "SELECT id FROM documents ORDER BY created_at, title")]

    def close(self) -> None:
        self._connection.close()


def stored_claim(path: Path, claim_id: str) -> Claim:
    service = ProjectService.open(path)
    try:
        return service.claim(claim_id)
    finally:
        service.close()


# Driving the viewer ----------------------------------------------------------------------

def caret_point(window: MainWindow, offset: int) -> QPointF:
    """The viewport point of the caret before code point ``offset``."""
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(window.view.offsets.to_display(offset))
    rect = window.view.cursorRect(cursor)
    return QPointF(rect.x(), rect.center().y())


def char_point(window: MainWindow, offset: int) -> QPointF:
    """The viewport point in the middle of the character at code point ``offset``
    (for a click on it); the caret point when the next character is on another line."""
    here = caret_point(window, offset)
    there = caret_point(window, min(offset + 1, window.view.offsets.length))
    if abs(there.y() - here.y()) > 1 or there.x() <= here.x():
        return QPointF(here.x() + 2, here.y())
    return QPointF((here.x() + there.x()) / 2, here.y())


def mouse(window: MainWindow, kind: QMouseEvent.Type, where: QPointF,
          buttons: Qt.MouseButton) -> None:
    viewport = window.view.viewport()
    left = Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, where, viewport.mapToGlobal(where), left, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def drag(window: MainWindow, start: QPointF, end: QPointF) -> None:
    """Press at ``start``, move (half-way, then to ``end``) and release there."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mouse(window, QMouseEvent.Type.MouseButtonPress, start, left)
    mouse(window, QMouseEvent.Type.MouseMove, (start + end) / 2, left)
    mouse(window, QMouseEvent.Type.MouseMove, end, left)
    mouse(window, QMouseEvent.Type.MouseButtonRelease, end, none)


def click(window: MainWindow, where: QPointF) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mouse(window, QMouseEvent.Type.MouseButtonPress, where, left)
    mouse(window, QMouseEvent.Type.MouseButtonRelease, where, none)


def offset_under(window: MainWindow, point: QPointF) -> int:
    """The code point offset Qt puts the caret at for ``point``."""
    position = window.view.cursorForPosition(point.toPoint()).position()
    return window.view.offsets.to_offset(position)


def selection(window: MainWindow) -> tuple[int, int] | None:
    """The viewer's selection in code points, or None."""
    cursor = window.view.textCursor()
    if not cursor.hasSelection():
        return None
    offsets = window.view.offsets
    return (offsets.to_offset(cursor.selectionStart()),
            offsets.to_offset(cursor.selectionEnd(), round_up=True))


def caret(window: MainWindow) -> int:
    return window.view.offsets.to_offset(window.view.textCursor().position())


def table_current_id(window: MainWindow) -> str | None:
    """The claim id of the claims table's current row, or None."""
    from annotator.ui.item_models import ClaimTableModel

    index = window.claim_table.currentIndex()
    return index.data(ClaimTableModel.ID_ROLE) if index.isValid() else None


def table_selected_ids(window: MainWindow) -> list[str]:
    from annotator.ui.item_models import ClaimTableModel

    return [index.data(ClaimTableModel.ID_ROLE)
            for index in window.claim_table.selectionModel().selectedRows()]


def table_ids(window: MainWindow) -> set[str]:
    from annotator.ui.item_models import ClaimTableModel

    model = window.claim_table.model()
    return {model.index(row, 0).data(ClaimTableModel.ID_ROLE)
            for row in range(model.rowCount())}


def open_document(window: MainWindow, document_id: str) -> None:
    """Click the document's row in the document list."""
    from annotator.ui.item_models import DocumentListModel

    proxy = window.document_proxy
    for row in range(proxy.rowCount()):
        index = proxy.index(row, 0)
        if index.data(DocumentListModel.ID_ROLE) == document_id:
            click_in(window.document_list.viewport(),
                     QPointF(window.document_list.visualRect(index).center()))
            return
    raise AssertionError(f"no document {document_id} in the list")


def click_table_row(window: MainWindow, row: int) -> str:
    """Click a row of the claims table; the id of the claim it shows."""
    from annotator.ui.item_models import ClaimTableModel

    table = window.claim_table
    index = table.model().index(row, 0)
    table.scrollTo(index)
    click_in(table.viewport(), QPointF(table.visualRect(index).center()))
    return index.data(ClaimTableModel.ID_ROLE)


def click_table_header(window: MainWindow, column: int) -> None:
    """Click a column header of the claims table (sorts by it, or reverses)."""
    header = window.claim_table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) / 2
    click_in(header.viewport(), QPointF(x, header.height() / 2))


def click_in(widget, where: QPointF) -> None:  # type: ignore[no-untyped-def]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in ((QMouseEvent.Type.MouseButtonPress, left),
                          (QMouseEvent.Type.MouseButtonRelease, none)):
        QApplication.sendEvent(widget, QMouseEvent(kind, where, widget.mapToGlobal(where),
                                                   left, buttons,
                                                   Qt.KeyboardModifier.NoModifier))
