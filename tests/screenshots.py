"""Render the README screenshots from the real app, offscreen:
``python -m tests.screenshots`` writes PNGs to resources/screenshots/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from annotator.domain.labels import Stance
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.ui.app import create_application
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
PROPOSITION = "US export controls on AI chips have failed"
CLAIMS = [
    ("The Nasdaq plummeted three percent Monday", Stance.NEUTRAL, "A", 1, ""),
    ("DeepSeek (深度求素 in", None, None, None, ""),
    ("DeepSeek says it trained its R1 model using only about 2,000 Nvidia H800 chips",
     Stance.SUPPORTS, "B", 3, "Company's own figure; not independently verified."),
    ("only about 2,000 Nvidia H800 chips", Stance.SUPPORTS, "B", 4, ""),
    ("the world’s leading AI chipmaker lost USD 589 billion", Stance.UNCLEAR, "A", 1, ""),
    ("US export controls may be forcing China’s", Stance.REFUTES, "C", 3,
     "Argues controls shape, rather than stop, Chinese AI."),
]


def main() -> int:
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        settings = UiSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        settings.set_annotator_name("alice")
        service = ProjectService.open(Path(tmp) / "demo.annotator.sqlite", create=True)
        import_sample_corpus(service)
        window = MainWindow(settings)
        window.set_service(service)
        window.resize(1440, 900)
        window.show()
        text = window.current_document.text  # type: ignore[union-attr]
        last = None
        for quote, stance, source, credibility, note in CLAIMS:
            start = text.index(quote)
            window.view.select_span(start, start + len(quote))
            last = window.mark_claim()
            window.edit_current_claim("proposition", PROPOSITION)
            if stance:
                window.edit_current_claim("stance", stance.value)
            if source:
                window.edit_current_claim("source_reliability", source)
            if credibility:
                window.edit_current_claim("info_credibility", credibility)
            if note:
                window.edit_current_claim("note", note)
        assert last is not None
        window.select_claim(window.claims.claim_at(2).id, reveal=False)
        window.view.verticalScrollBar().setValue(0)
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "main-window.png"))
        window.close()
        service.close()
    print(f"wrote {OUT / 'main-window.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
