"""WCAG contrast: the ratio, and choosing a readable variant of a colour."""

from __future__ import annotations

import pytest

from annotator.domain.contrast import (
    AA_TEXT,
    contrast_ratio,
    hex_colour,
    mix,
    readable,
    relative_luminance,
    rgb,
    tinted,
)


def test_known_ratios() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # Published WCAG examples: #777 on white is just under AA, #767676 just over.
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    # Symmetric.
    assert contrast_ratio("#B35C00", "#353535") == contrast_ratio("#353535", "#B35C00")


def test_the_reported_notice_colour_fails_on_dark_grey() -> None:
    assert contrast_ratio("#555555", "#353535") < 2     # the "nearly invisible"


def test_parsing() -> None:
    assert rgb("#abc") == (0xAA, 0xBB, 0xCC)
    assert rgb((1, 2, 3)) == (1, 2, 3)
    assert hex_colour((255, 0, 16)) == "#FF0010"
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="not a #RRGGBB colour"):
        rgb("#12345")
    assert mix("#000000", "#FFFFFF", 0.5) == "#808080"


@pytest.mark.parametrize("background", ["#FFFFFF", "#F0F0F0", "#353535", "#1E1E1E",
                                        "#000000", "#2A2A2A"])
@pytest.mark.parametrize("colour", ["#B35C00", "#007A55", "#B00020", "#555555", "#FFB000"])
def test_readable_reaches_aa_and_keeps_colours_that_already_do(colour: str,
                                                                background: str) -> None:
    chosen = readable(colour, background)
    assert contrast_ratio(chosen, background) >= AA_TEXT
    if contrast_ratio(colour, background) >= AA_TEXT:
        assert chosen == hex_colour(colour)


@pytest.mark.parametrize(("base", "text"), [("#FFFFFF", "#000000"), ("#2A2A2A", "#FFFFFF"),
                                            ("#000000", "#FFFF00")])
def test_tinted_backgrounds_keep_the_text_readable(base: str, text: str) -> None:
    fill = tinted("#FFB000", base, text)
    assert contrast_ratio(text, fill) >= AA_TEXT
    assert fill != hex_colour(base) or contrast_ratio(text, mix(base, "#FFB000", 0.05)) \
        < AA_TEXT
