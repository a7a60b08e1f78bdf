"""First launch: the sample corpus imported as the user's own files would be, and
the dismissible "first steps" guide above the text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.paths import seeds_dir
from annotator.ui.app import first_project
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings

MERICS = "DeepSeek shocks the tech world"


def test_first_launch_reflows_the_pdf_extracted_briefing(ui_settings: UiSettings) -> None:
    service = first_project(None, ui_settings)
    try:
        infos = {d.title: d for d in service.documents()}
        merics = service.document(next(d.id for t, d in infos.items() if MERICS in t))
        assert merics.metadata["reflow"]["applied"] is True
        # The lines of a paragraph are joined: no blank line mid-sentence.
        assert "startup shocked the tech world" in merics.text
        raw = (seeds_dir() / "merics-deepseek-us-china-ai-race.txt").read_text(
            encoding="utf-8")
        assert merics.text.count("\n\n") * 3 < raw.count("\n\n")
        assert "fresh graduates at DeepSeek (深度求素 in Mandarin)" in merics.text
        assert "深度求素" in merics.text
        # The web articles are not PDF text: stored as read.
        others = [service.document(d.id) for t, d in infos.items() if MERICS not in t]
        assert all(not (o.metadata.get("reflow") or {}).get("applied") for o in others)
    finally:
        service.close()


def test_the_first_steps_guide_points_at_the_loop_and_stays_dismissed(
        qtbot, window: MainWindow, ui_settings: UiSettings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    guide = window.first_steps
    assert guide.isVisible()
    text = guide.text.text()
    for step in ("select", "Enter", "digit"):
        assert step in text
    # Above the text, as wide as the viewer.
    assert guide.geometry().bottom() <= window.view.geometry().top()
    guide.close_button.click()
    assert not guide.isVisible()
    assert ui_settings.first_steps_dismissed()
    again = MainWindow(ui_settings)
    qtbot.addWidget(again)
    again.show()
    assert not again.first_steps.isVisible()
    fresh = UiSettings(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat))
    assert not fresh.first_steps_dismissed()
