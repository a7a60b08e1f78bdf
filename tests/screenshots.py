"""Render the README screenshots from the real app, offscreen:
``python -m tests.screenshots`` writes PNGs to resources/screenshots/.

The scenes (:func:`open_scene`, :func:`label_claims`, :func:`review_shots`,
:func:`export_dialog`) are shared with tests/ui/test_window_geometry.py, which
renders them at 1024×700, 1280×800 and 1920×1080 in light and dark palettes."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QTabWidget

from annotator.domain.codebook import Dimension
from annotator.domain.labels import Stance
from annotator.services.project import ProjectService
from annotator.services.sample import AS_USER_FILES, import_sample_corpus
from annotator.ui.app import create_application
from annotator.ui.codebook_dialog import CodebookDialog
from annotator.ui.export_dialog import ExportDialog
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

#: bob's work on the MERICS text, against alice's (CLAIMS): the same span and labels,
#: a stance disagreement, a span boundary disagreement, a reliability disagreement,
#: and a claim of his own.
BOB_CLAIMS = [
    ("The Nasdaq plummeted three percent Monday", Stance.NEUTRAL, "A", 1, "quantity",
     "MERICS"),
    ("DeepSeek says it trained its R1 model using only about 2,000 Nvidia H800 chips",
     Stance.REFUTES, "B", 3, "quantity", "DeepSeek"),
    ("leading AI chipmaker lost USD 589 billion in market", Stance.UNCLEAR, "A", 1,
     "quantity", "MERICS"),
    ("US export controls may be forcing China’s", Stance.REFUTES, "B", 3,
     "correlation_causation", "Rebecca Arcesati, MERICS"),
    ("the model outdoes the industry’s best models", Stance.SUPPORTS, "B", 2, "quantity",
     "MERICS"),
]
#: Both analysts on a second text, so the corpus differs from one document:
#: quote, (alice's stance, grade, credibility), (bob's ...) -- None: not marked.
SECOND = [
    ("The Nasdaq index lost approximately 3.15%", ("neutral", "B", 2), ("neutral", "B", 2)),
    ("This low-cost Chinese innovation triggered a wave of shock in global financial markets",
     ("supports", "C", 3), ("neutral", "C", 3)),
    ("a potential burst of the AI bubble", None, ("unclear", "C", 4)),
]


def review_shots(app, window: MainWindow, service: ProjectService,  # type: ignore[no-untyped-def]
                 settings: UiSettings) -> dict:
    """bob's claims next to alice's; carol compares them, accepts what they agree on
    and looks at the stance disagreement: the compare view and the agreement panel."""
    from annotator.domain.model import Claim
    from annotator.review import Matching

    assert window.controller is not None and window.current_document is not None
    merics = window.current_document
    source = window.controller.source_for
    claims = []
    for quote, stance, grade, credibility, claim_type, name in BOB_CLAIMS:
        start = merics.text.index(quote)
        found = source(name)
        claims.append(Claim.new(merics, start, start + len(quote), annotator="bob",
                                proposition=PROPOSITION, stance=stance,
                                source_reliability=grade, info_credibility=credibility,
                                claim_type=claim_type, source_id=found.id,
                                source_name=found.name))
    second = next(service.document(d.id) for d in service.documents()
                  if SECOND[0][0] in service.document(d.id).text)
    for quote, *labels in SECOND:
        start = second.text.index(quote)
        for analyst, values in zip(("alice", "bob"), labels, strict=True):
            if values is not None:
                stance, grade, credibility = values
                claims.append(Claim.new(second, start, start + len(quote), annotator=analyst,
                                        proposition=PROPOSITION, stance=stance,
                                        source_reliability=grade,
                                        info_credibility=credibility, claim_type="quantity"))
    service.add_claims(claims)
    settings.set_annotator_name("carol")
    window.reload_documents(select=merics.id)
    window.show_document(merics.id)
    window.review.compare_action.trigger()
    window.review.set_matching(Matching("jaccard", 0.5))
    window.review.decisions.accept_agreed()
    unit = next(u for u in window.review.units() if u.disagreements and any(
        d.dimension == Dimension.STANCE for d in u.disagreements))
    window.review.select_unit(unit)
    window.view.verticalScrollBar().setValue(0)
    settle(app)
    shots = {"compare-view.png": window.grab()}
    dock = window.review.agreement_dock
    assert dock is not None and window.review.agreement_panel is not None
    window.review.agreement_panel.set_scope("corpus")
    settle(app)
    shots["agreement-panel.png"] = dock.grab()
    return shots


#: The window sizes the screenshots and the geometry tests use.
SIZES = {"1024": (1024, 700), "1280": (1280, 800), "1920": (1920, 1080)}


def across_documents_shots(app: QApplication, window: MainWindow) -> dict:
    """The Elsewhere panel on alice's market-value claim (its similar passages in
    the other articles found), and the evidence board of the proposition."""
    from annotator.ui.evidence_board import EvidenceBoardDialog

    claim = next(c for c in window.claims.claims() if "589" in c.quote)
    window.select_claim(claim.id, reveal=True)
    window.elsewhere.show()
    panel = window.elsewhere.panel

    def found() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
                window.elsewhere._timer.isActive()
                or panel.candidates_title.text().endswith("looking…")):
            app.processEvents()
            time.sleep(0.02)
        settle(app)

    found()
    # The other article's "$600 billion" is the same claim: confirm it (Ctrl+Return).
    tree = panel.candidates
    offered = [tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole).candidate
               for i in range(tree.topLevelItemCount())]
    window.elsewhere.confirm(next(c for c in offered if "600 billion" in c.quote))
    window.select_claim(claim.id, reveal=True)
    window.elsewhere.refresh()
    found()
    shots = {"elsewhere.png": window.grab()}
    assert window.service is not None
    board = EvidenceBoardDialog(window.service, PROPOSITION, parent=window)
    board.resize(1200, 420)
    board.show()
    settle(app)
    shots["evidence-board.png"] = board.grab()
    board.close()
    window.elsewhere.dock.hide()
    return shots


def settle(app: QApplication, rounds: int = 5) -> None:
    """Let deferred layout work (dock sizes, column widths) run."""
    for _ in range(rounds):
        app.processEvents()


def open_scene(folder: Path, size: tuple[int, int] = SIZES["1280"]
               ) -> tuple[MainWindow, ProjectService, UiSettings]:
    """A fresh project with the sample corpus imported as on a first launch, in a
    window of ``size`` with the default layout (no saved window state)."""
    settings = UiSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    settings.set_annotator_name("alice")
    service = ProjectService.open(folder / "demo.annotator.sqlite", create=True)
    import_sample_corpus(service, options=AS_USER_FILES)
    window = MainWindow(settings)
    window.set_service(service)
    window.resize(*size)
    window.show()
    return window, service, settings


def label_claims(app: QApplication, window: MainWindow) -> None:
    """alice's claims on the MERICS briefing (the document shown first)."""
    text = window.current_document.text  # type: ignore[union-attr]
    for quote, stance, grade, credibility, claim_type, source, note in CLAIMS:
        start = text.index(quote)
        window.view.select_span(start, start + len(quote))
        assert window.mark_claim() is not None
        window.edit_current_claim("proposition", PROPOSITION)
        for field, value in (("source", source), ("stance", stance),
                             ("source_reliability", grade),
                             ("info_credibility", credibility),
                             ("claim_type", claim_type), ("note", note)):
            if value:
                window.edit_current_claim(field, value)
    window.select_claim(window.claims.claim_at(2).id, reveal=False)
    window.view.verticalScrollBar().setValue(0)
    settle(app)


def export_dialog(window: MainWindow, service: ProjectService, settings: UiSettings,
                  folder: Path) -> ExportDialog:
    """The export dialog on the label filters, sized to the window it belongs to."""
    settings.set_export_directory(folder)
    export = ExportDialog(service, settings, analyst="alice", parent=window)
    export.label_lists[Dimension.STANCE].check(["supports", "refutes"])
    export.tabs.setCurrentIndex(2)                      # the label filters
    export.refresh()
    hint = export.sizeHint()
    export.resize(min(max(hint.width(), 900), window.width() - 40),
                  min(max(hint.height(), 560), window.height() - 40))
    export.show()
    return export


def render(app: QApplication, folder: Path, size: tuple[int, int],
           palette: QPalette | None = None, *, extras: bool = False) -> dict:
    """The main window, Compare and the export dialog at ``size`` (and, with
    ``extras``, the legend, codebook and agreement pictures): name → QPixmap."""
    before = app.palette()
    if palette is not None:
        app.setPalette(palette)
    window, service, settings = open_scene(folder, size)
    try:
        settle(app)
        label_claims(app, window)
        shots = {"main-window.png": window.grab()}
        if extras:
            window.legend.set_dimension(Dimension.SOURCE_RELIABILITY)
            settle(app)
            shots["legend-reliability.png"] = window.grab()
            window.legend.set_dimension(Dimension.STANCE)
            dialog = CodebookDialog(window.codebook_controller, window.undo_stack, window)
            dialog.resize(1100, 560)
            dialog.show()
            dialog.findChild(QTabWidget).setCurrentIndex(0)     # the Stance tab
            settle(app)
            shots["codebook.png"] = dialog.grab()
            dialog.close()
        if extras:
            shots.update(across_documents_shots(app, window))
        export = export_dialog(window, service, settings, folder)
        settle(app)
        shots["export-dialog.png"] = export.grab()
        export.close()
        review = review_shots(app, window, service, settings)
        shots["compare-view.png"] = review["compare-view.png"]
        if extras:
            shots["agreement-panel.png"] = review["agreement-panel.png"]
    finally:
        window.close()
        service.close()
        app.setPalette(before)
    return shots


def main() -> int:
    from tests.ui.palettes import dark_palette

    app = create_application()
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = {  # README picture: (size, palette, the scene's picture)
        "main-window.png": ("1280", None, "main-window.png"),
        "main-window-dark.png": ("1280", dark_palette, "main-window.png"),
        "main-window-1024.png": ("1024", None, "main-window.png"),
        "compare-view.png": ("1280", None, "compare-view.png"),
        "compare-view-dark.png": ("1280", dark_palette, "compare-view.png"),
        "export-dialog.png": ("1280", None, "export-dialog.png"),
        "legend-reliability.png": ("1280", None, "legend-reliability.png"),
        "codebook.png": ("1280", None, "codebook.png"),
        "agreement-panel.png": ("1280", None, "agreement-panel.png"),
        "elsewhere.png": ("1280", None, "elsewhere.png"),
        "evidence-board.png": ("1280", None, "evidence-board.png"),
    }
    rendered: dict[tuple[str, object], dict] = {}
    for name, (size, palette, picture) in wanted.items():
        key = (size, palette)
        if key not in rendered:
            with tempfile.TemporaryDirectory() as tmp:
                rendered[key] = render(app, Path(tmp), SIZES[size],
                                       palette() if palette else None,
                                       extras=palette is None and size == "1280")
        rendered[key][picture].save(str(OUT / name))
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
