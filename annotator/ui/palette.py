"""Colours for labels: the Okabe–Ito palette, which stays distinct for the common
forms of colour blindness."""

from __future__ import annotations

from PySide6.QtGui import QColor

from annotator.domain.labels import Stance

STANCE_COLOURS: dict[Stance | None, QColor] = {
    Stance.SUPPORTS: QColor("#009E73"),   # bluish green
    Stance.REFUTES: QColor("#D55E00"),    # vermillion
    Stance.NEUTRAL: QColor("#0072B2"),    # blue
    Stance.UNCLEAR: QColor("#CC79A7"),    # reddish purple
    None: QColor("#E69F00"),              # orange: not yet labelled
}


def stance_colour(stance: Stance | None) -> QColor:
    return STANCE_COLOURS[stance]


def stance_name(stance: Stance | None) -> str:
    return stance.label if stance else "Not labelled"
