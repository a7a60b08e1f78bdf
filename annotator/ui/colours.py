"""Every colour the app draws text or marks with, taken from the system's palette
(light, dark or high contrast: the app has no theme of its own) or chosen
against it with a WCAG contrast check (:mod:`annotator.domain.contrast`).

Labels that show a warning, a success, an error or a muted notice get their
colour with :func:`set_text_role`; it is chosen again when the system's palette
changes. Item models ask :func:`foreground` and :func:`background`."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from annotator.domain.contrast import AA_LARGE, AA_TEXT, mix, readable, tinted

_ROLE = QPalette.ColorRole

#: The hue each text role starts from (the colour used on a light palette);
#: "muted" is the palette's text faded towards its background.
TEXT_HUES: dict[str, str | None] = {
    "warning": "#B35C00",     # "Still to label ...", disagreements
    "success": "#007A55",     # "Complete", decided
    "error": "#B00020",       # a path or scope that cannot be used
    "muted": None,            # read-only notices, "(not marked)", retired labels
}
#: The hue each background role is tinted with.
BACKGROUND_HUES: dict[str, str | None] = {
    "different": "#FFB000",   # a cell whose value differs between analysts
    "not_applicable": None,   # a measure that does not apply (a faint shade)
}
_PROPERTY = "annotatorTextRole"


def _hex(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QGuiApplication.palette()


def text_hex(role: str, palette: QPalette | None = None) -> str:
    """The ``#RRGGBB`` for text of ``role``, readable (WCAG AA) on both the
    palette's window (labels) and base (tables, fields) colours."""
    palette = _palette(palette)
    window, base = _hex(palette.color(_ROLE.Window)), _hex(palette.color(_ROLE.Base))
    hue = TEXT_HUES[role]
    if hue is None:
        hue = mix(_hex(palette.color(_ROLE.WindowText)), window, 0.4)
    colour = readable(readable(hue, window, AA_TEXT), base, AA_TEXT)
    return readable(colour, window, AA_TEXT)


def text_colour(role: str, palette: QPalette | None = None) -> QColor:
    return QColor(text_hex(role, palette))


def background_hex(role: str, palette: QPalette | None = None) -> str:
    """A faint background of ``role`` under the palette's text (kept readable)."""
    palette = _palette(palette)
    base, text = _hex(palette.color(_ROLE.Base)), _hex(palette.color(_ROLE.Text))
    hue = BACKGROUND_HUES[role]
    # The palette's text and every text role stay readable on it.
    others = [text_hex(name, palette) for name in TEXT_HUES]
    if hue is None:
        return tinted(text, base, text, strength=0.08, others=others)
    return tinted(hue, base, text, others=others)


_cache: dict[tuple[str, str, int], QColor] = {}


def foreground(role: str) -> QColor:
    """For item models: the text colour of ``role`` on the application's palette."""
    palette = QGuiApplication.palette()
    key = ("fg", role, palette.cacheKey())
    if key not in _cache:
        _cache[key] = text_colour(role, palette)
    return _cache[key]


def background(role: str) -> QColor:
    palette = QGuiApplication.palette()
    key = ("bg", role, palette.cacheKey())
    if key not in _cache:
        _cache[key] = QColor(background_hex(role, palette))
    return _cache[key]


def outline() -> QColor:
    """The edge of a colour swatch: visible (3:1, WCAG's figure for marks) on the
    palette's base, so pale swatches keep their shape in light and dark."""
    palette = QGuiApplication.palette()
    key = ("outline", "", palette.cacheKey())
    if key not in _cache:
        base = _hex(palette.color(_ROLE.Base))
        _cache[key] = QColor(readable(mix(_hex(palette.color(_ROLE.Text)), base, 0.55),
                                      base, AA_LARGE))
    return _cache[key]


def comment_box_style(palette: QPalette | None = None) -> str:
    """Review comments: a box in the palette's alternate base, its text colour."""
    palette = _palette(palette)
    text = _hex(palette.color(_ROLE.Text))
    fill = tinted("#FFD54F", _hex(palette.color(_ROLE.Base)), text, strength=0.18)
    border = _hex(palette.color(_ROLE.Mid))
    return (f"background: {fill}; color: {text}; border: 1px solid {border}; "
            "padding: 4px;")


def _style(role: str) -> str:
    return comment_box_style() if role == "comment" else f"color: {text_hex(role)};"


def set_text_role(widget: QWidget, role: str | None) -> None:
    """Colour ``widget``'s text for ``role`` (one of :data:`TEXT_HUES`,
    ``"comment"`` for a review-comment box, None for the palette's own text
    colour); chosen again whenever the system's palette changes."""
    widget.setProperty(_PROPERTY, role or "")
    _watch_palette()
    widget.setStyleSheet(_style(role) if role else "")


class _PaletteWatcher(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationPaletteChange and \
                watched is QApplication.instance():
            _cache.clear()
            for widget in QApplication.allWidgets():
                role = widget.property(_PROPERTY)
                if role:
                    widget.setStyleSheet(_style(str(role)))
        return False


_watcher: _PaletteWatcher | None = None


def _watch_palette() -> None:
    global _watcher
    app = QApplication.instance()
    if _watcher is None and app is not None:
        _watcher = _PaletteWatcher(app)
        app.installEventFilter(_watcher)
