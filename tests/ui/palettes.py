"""Palettes for tests: the light one Fusion gives, a dark one built by hand as
Fusion's dark themes are, and a high-contrast one (white on black, yellow
selection), applied with ``QApplication.setPalette``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_R = QPalette.ColorRole


def light_palette() -> QPalette:
    return QStyleFactory.create("Fusion").standardPalette()


def _palette(colours: dict[QPalette.ColorRole, str], disabled_text: str) -> QPalette:
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (_R.Text, _R.WindowText, _R.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def dark_palette() -> QPalette:
    return _palette({
        _R.Window: "#353535", _R.WindowText: "#FFFFFF", _R.Base: "#2A2A2A",
        _R.AlternateBase: "#424242", _R.ToolTipBase: "#353535", _R.ToolTipText: "#FFFFFF",
        _R.Text: "#FFFFFF", _R.Button: "#353535", _R.ButtonText: "#FFFFFF",
        _R.BrightText: "#FF4040", _R.Link: "#56B4E9", _R.Highlight: "#2A82DA",
        _R.HighlightedText: "#000000", _R.Mid: "#606060", _R.Dark: "#232323",
        _R.Light: "#505050", _R.PlaceholderText: "#A0A0A0",
    }, "#8A8A8A")


def high_contrast_palette() -> QPalette:
    return _palette({
        _R.Window: "#000000", _R.WindowText: "#FFFFFF", _R.Base: "#000000",
        _R.AlternateBase: "#1A1A1A", _R.ToolTipBase: "#000000", _R.ToolTipText: "#FFFFFF",
        _R.Text: "#FFFFFF", _R.Button: "#000000", _R.ButtonText: "#FFFFFF",
        _R.BrightText: "#FFFF00", _R.Link: "#FFFF00", _R.Highlight: "#FFFF00",
        _R.HighlightedText: "#000000", _R.Mid: "#FFFFFF", _R.Dark: "#FFFFFF",
        _R.Light: "#FFFFFF", _R.PlaceholderText: "#C0C0C0",
    }, "#C0C0C0")


PALETTES: dict[str, Callable[[], QPalette]] = {
    "light": light_palette, "dark": dark_palette, "high-contrast": high_contrast_palette}


@contextmanager
def applied(palette: QPalette) -> Iterator[QPalette]:
    """``palette`` as the application's for the block; the one before after it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(palette)
    try:
        yield palette
    finally:
        app.setPalette(before)
