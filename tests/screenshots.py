"""Render the README screenshots from the real app, offscreen:
``python -m tests.screenshots`` writes PNGs to resources/screenshots/."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTabWidget

from annotator.domain.codebook import Dimension
from annotator.domain.labels import Stance
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.ui.app import create_application
from annotator.ui.codebook_dialog import CodebookDialog
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings

OUT = Path(__file__).resolve().parent.parent / "resources" / "screenshots"
PROPOSITION = "US export controls on AI chips have failed"
CLAIMS = [  # quote, stance, source reliability, credibility, claim type, source, note
    ("The Nasdaq plummeted three percent Monday", Stance.NEUTRAL, "A", 1, "quantity",
     "MERICS", ""),
    ("DeepSeek (深度求素 in", None, None, None, None, "", ""),
    ("DeepSeek says it trained its R1 model using only about 2,000 Nvidia H800 chips",
     Stance.SUPPORTS, "B", 3, "quantity", "DeepSeek",
     "Company's own figure; not independently verified."),
    ("only about 2,000 Nvidia H800 chips", Stance.SUPPORTS, "B", 4, "quantity", "DeepSeek",
     ""),
    ("the world’s leading AI chipmaker lost USD 589 billion", Stance.UNCLEAR, "A", 1,
     "quantity", "MERICS", ""),
    ("US export controls may be forcing China’s", Stance.REFUTES, "C", 3,
     "correlation_causation", "Rebecca Arcesati, MERICS",
     "Argues controls shape, rather than stop, Chinese AI."),
    ("will not blindly follow the trend", Stance.REFUTES, "F", 6, "prediction",
     "Ding Xuexiang", ""),
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
        for quote, stance, grade, credibility, claim_type, source, note in CLAIMS:
            start = text.index(quote)
            window.view.select_span(start, start + len(quote))
            last = window.mark_claim()
            window.edit_current_claim("proposition", PROPOSITION)
            for field, value in (("source", source), ("stance", stance),
                                 ("source_reliability", grade),
                                 ("info_credibility", credibility),
                                 ("claim_type", claim_type), ("note", note)):
                if value:
                    window.edit_current_claim(field, value)
        assert last is not None
        window.select_claim(window.claims.claim_at(2).id, reveal=False)
        window.view.verticalScrollBar().setValue(0)
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        shots = {"main-window.png": window.grab()}
        window.legend.set_dimension(Dimension.SOURCE_RELIABILITY)
        app.processEvents()
        shots["legend-reliability.png"] = window.grab()
        window.legend.set_dimension(Dimension.STANCE)
        dialog = CodebookDialog(window.codebook_controller, window.undo_stack, window)
        dialog.resize(1100, 560)
        dialog.show()
        dialog.findChild(QTabWidget).setCurrentIndex(0)     # the Stance tab
        app.processEvents()
        shots["codebook.png"] = dialog.grab()
        dialog.close()
        for name, pixmap in shots.items():
            pixmap.save(str(OUT / name))
            print(f"wrote {OUT / name}")
        window.close()
        service.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
