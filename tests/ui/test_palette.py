"""Every colour the app gives text, checked for WCAG AA contrast against its
background in a light, a dark and a high-contrast palette; and widgets that
follow the system's palette when it changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from annotator.domain.contrast import AA_TEXT, contrast_ratio
from annotator.ui import colours
from annotator.ui.claim_editor import ClaimEditor
from tests.ui.palettes import PALETTES, applied

_R = QPalette.ColorRole
UI = Path(__file__).resolve().parents[2] / "annotator" / "ui"


def _hex(palette: QPalette, role: QPalette.ColorRole) -> str:
    return palette.color(role).name()


def _style_colour(style: str, prop: str = "color") -> str:
    found = re.search(rf"(?<![-\w]){prop}:\s*(#[0-9A-Fa-f]{{6}})", style)
    assert found is not None, style
    return found.group(1)


@pytest.mark.parametrize("name", list(PALETTES))
def test_every_text_role_is_readable_on_window_and_base(qapp, name: str) -> None:  # type: ignore[no-untyped-def]
    with applied(PALETTES[name]()) as palette:
        for role in colours.TEXT_HUES:
            text = colours.text_hex(role)
            for background in (_R.Window, _R.Base):
                ratio = contrast_ratio(text, _hex(palette, background))
                assert ratio >= AA_TEXT, (name, role, background, text, ratio)
            assert colours.foreground(role).name().upper() == text.upper()
        # Swatch outlines are marks, not text: WCAG's 3:1 on the base.
        assert contrast_ratio(colours.outline().name(), _hex(palette, _R.Base)) >= 3.0


@pytest.mark.parametrize("name", list(PALETTES))
def test_tinted_backgrounds_and_the_comment_box_keep_text_readable(qapp, name: str) -> None:  # type: ignore[no-untyped-def]
    with applied(PALETTES[name]()) as palette:
        text = _hex(palette, _R.Text)
        for role in colours.BACKGROUND_HUES:
            fill = colours.background(role).name()
            assert contrast_ratio(text, fill) >= AA_TEXT, (name, role, fill)
            for hue in colours.TEXT_HUES:       # coloured text on shaded cells
                assert contrast_ratio(colours.text_hex(hue), fill) >= AA_TEXT, \
                    (name, role, hue)
        style = colours.comment_box_style()
        fill, colour = _style_colour(style, "background"), _style_colour(style)
        assert contrast_ratio(colour, fill) >= AA_TEXT, (name, style)


def test_the_read_only_notice_is_readable_in_the_dark(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The issue: #555 on dark grey. The notice now follows the palette."""
    with applied(PALETTES["dark"]()) as palette:
        editor = ClaimEditor()
        qtbot.addWidget(editor)
        colours.set_text_role(editor.missing, "muted")
        notice = _style_colour(editor.missing.styleSheet())
        assert contrast_ratio(notice, _hex(palette, _R.Window)) >= AA_TEXT
        comment = editor.comments.styleSheet()
        assert "#FFF6DC" not in comment.upper()
        assert contrast_ratio(_style_colour(comment), _style_colour(comment, "background")) \
            >= AA_TEXT


def test_labels_follow_a_change_of_the_system_palette(qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel("Still to label: stance")
    qtbot.addWidget(label)
    with applied(PALETTES["light"]()):
        colours.set_text_role(label, "warning")
        light = _style_colour(label.styleSheet())
        with applied(PALETTES["dark"]()) as dark:
            QApplication.processEvents()
            now = _style_colour(label.styleSheet())
            assert now != light
            assert contrast_ratio(now, _hex(dark, _R.Window)) >= AA_TEXT


def test_no_widget_sets_a_hard_coded_text_colour() -> None:
    """Style sheets with colours are made by annotator.ui.colours only."""
    offenders = []
    for path in UI.glob("*.py"):
        if path.name == "colours.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "setStyleSheet(" in line and re.search(r"#[0-9A-Fa-f]{3,6}", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
            if re.search(r"set(Foreground|Pen)\(QColor\(\"#", line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
