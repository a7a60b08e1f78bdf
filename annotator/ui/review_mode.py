"""Review mode: comparing analysts, the Compare and Agreement docks, the
per-analyst overlay in the viewer, and the gold layer.

* **Compare Analysts** shows the chosen analysts' claims in the viewer, one
  colour per analyst, with the units of the current document in the Compare
  dock and the agreement figures in the Agreement dock. The analysts' claims
  are read-only while comparing (:class:`~annotator.ui.review_layers.CompareLayer`).
* **Show Gold Layer** puts the document's gold claims in the viewer and the
  claims table instead of the analysts'; the labelling keys, span handles and
  the claim panel then edit the gold claim through the window's one editing
  path (:class:`~annotator.ui.review_layers.GoldLayer`), and Delete takes its
  decision back.
* Decisions, comments and review status: :mod:`annotator.ui.review_decisions`.

Review mode talks to the window only through :class:`ReviewHost`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMenu

from annotator.domain.codebook import Codebook
from annotator.domain.model import Claim, Document
from annotator.domain.review import Adjudication, ReviewComment, ReviewStatus
from annotator.review import Comparison, DocumentComparison, Matching, Unit
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui.actions import make_action
from annotator.ui.agreement_panel import AgreementPanel
from annotator.ui.assignments_panel import Assignments
from annotator.ui.claim_editor import ClaimEditor
from annotator.ui.controller import CodebookController, ProjectController
from annotator.ui.labelling_loop import AnalystLayer, LabellingLoop
from annotator.ui.review_controller import ReviewController
from annotator.ui.review_decisions import ReviewDecisions
from annotator.ui.review_layers import CompareLayer, GoldLayer
from annotator.ui.review_navigation import step_disagreement, unit_key
from annotator.ui.review_panel import ComparePanel, analyst_colour, is_difference, unit_passes
from annotator.ui.text_view import ClaimTextView
from annotator.ui.window_layout import ReviewLayout

if TYPE_CHECKING:
    from annotator.ui.live import LiveUpdates

RECOMPUTE_DELAY_MS = 150


class ReviewHost(Protocol):
    """What review needs of the window (a QWidget: dialogs' parent)."""

    undo_stack: QUndoStack
    view: ClaimTextView
    editor: ClaimEditor
    loop: LabellingLoop
    controller: ProjectController | None
    codebook_controller: CodebookController | None
    review_layout: ReviewLayout
    assignments: Assignments
    live: LiveUpdates

    @property
    def codebook(self) -> Codebook: ...
    @property
    def current_document(self) -> Document | None: ...
    def current_claim(self) -> Claim | None: ...
    def select_claim(self, claim_id: str | None, *, reveal: bool = True) -> None: ...
    def show_claims(self, claims: list[Claim]) -> None: ...
    def analyst_claims(self, document: Document) -> list[Claim]: ...
    def show_claim(self, claim: Claim) -> None: ...
    def unshow_claim(self, claim: Claim) -> None: ...
    def replace_claim(self, before: Claim, after: Claim) -> None: ...
    def reveal_document(self, document_id: str) -> None: ...
    def reveal_claim(self, document_id: str, claim_id: str) -> None: ...
    def document_order(self) -> list[str]: ...
    def document_titles(self) -> dict[str, str]: ...
    def set_document_review_status(self, document_id: str, status: str) -> None: ...
    def selected_span(self) -> tuple[int, int] | None: ...
    def analyst(self) -> str: ...
    def show_message(self, message: str, timeout: int = 5000) -> None: ...
    def show_saved(self, moment: Any) -> None: ...
    def show_failure(self, message: str) -> None: ...
    def set_mode_text(self, text: str | None) -> None: ...
    def update_review_column(self) -> None: ...
    def restyle(self) -> None: ...


class ReviewMode(QObject):
    """Everything review adds to a window (see module doc)."""

    def __init__(self, host: ReviewHost) -> None:
        super().__init__(host)  # type: ignore[arg-type]
        self.host = host
        self.controller: ReviewController | None = None
        self.active = False
        self.gold_shown = False
        self.comparison: Comparison | None = None
        #: Documents of :attr:`comparison` compared from whole claims (the others
        #: from labels only).
        self._full_documents: set[str] = set()
        self.report: dict[str, Any] | None = None
        self.compare_panel: ComparePanel | None = None
        self.agreement_panel: AgreementPanel | None = None
        self.compare_dock: QDockWidget | None = None
        self.agreement_dock: QDockWidget | None = None
        self._analysts: list[tuple[str, int]] = []
        self._colours: dict[str, str] = {}
        self._chosen: tuple[str, ...] | None = None     # None: not chosen yet (all)
        self._matching = Matching()
        self._unit: Unit | None = None
        self.adjudications: list[Adjudication] = []
        self._decided: dict[str, Adjudication] = {}
        self._comment_counts: dict[str, int] = {}
        #: The shown document's review status.
        self.status: ReviewStatus | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        a = lambda *args, **kw: make_action(host, *args, **kw)  # noqa: E731
        self.compare_action = a(
            "&Compare Analysts", self.set_active, "Ctrl+Shift+R",
            "Overlay the chosen analysts' claims, one colour each, with their units, "
            "disagreements and agreement", checkable=True)
        self.gold_action = a(
            "Show &Gold Layer", self.set_gold_shown, "Ctrl+Shift+G",
            "Show the reviewed (gold) claims instead of the analysts'", checkable=True)
        self.next_action = a(
            "&Next Disagreement", lambda: self.step(+1), "F8",
            "The next unit the analysts disagree on, of those the Compare table shows (also ])")
        self.previous_action = a(
            "&Previous Disagreement", lambda: self.step(-1), "Shift+F8",
            "The previous unit the analysts disagree on, of those the Compare table shows "
            "(also [)")
        self.decisions = ReviewDecisions(self, host)
        self.update_actions()
        host.view.claim_clicked.connect(self._on_view_claim_clicked)

    def build_menu(self, menu: QMenu) -> None:
        """Fill the window's Review menu."""
        menu.addActions([self.compare_action, self.gold_action])
        menu.addSeparator()
        menu.addActions([self.next_action, self.previous_action])
        menu.addSeparator()
        self.decisions.add_to_menu(menu)

    def _set_checked(self, action: Any, on: bool) -> None:
        blocker = action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(blocker)

    def update_actions(self) -> None:
        has_project = self.controller is not None
        for action in (self.compare_action, self.gold_action, self.next_action,
                       self.previous_action):
            action.setEnabled(has_project)
        self.decisions.update_actions(
            has_project=has_project,
            has_document=has_project and self.host.current_document is not None,
            status=self.status)

    # Project ------------------------------------------------------------------------------

    def set_service(self, service: ProjectService | None) -> None:
        """Follow the window's project (None when it closes)."""
        if self.controller is not None:
            self._leave()
            self.controller.deleteLater()
            self.controller = None
        self.comparison = self.report = None
        self._chosen = None
        self._analysts = []
        self._unit = None
        self._decided, self.adjudications, self._comment_counts = {}, [], {}
        self.status = None
        if self.gold_shown:
            self.gold_shown = False
            self._set_checked(self.gold_action, False)
        host = self.host
        if service is None:
            host.editor.set_comments_source(None)
            self.update_actions()
            return
        controller = self.controller = ReviewController(ReviewService(service), self)
        controller.adjudication_added.connect(lambda a: self._on_adjudications_changed([a], []))
        controller.adjudication_removed.connect(
            lambda a: self._on_adjudications_changed([], [a]))
        controller.adjudications_changed.connect(self._on_adjudications_changed)
        controller.gold_changed.connect(self._on_gold_changed)
        controller.claim_conflict.connect(self._on_gold_conflict)
        controller.comment_added.connect(self._on_comments_changed)
        controller.comment_removed.connect(self._on_comments_changed)
        controller.review_status_changed.connect(self._on_review_status_changed)
        controller.saved.connect(host.show_saved)
        controller.failed.connect(host.show_failure)
        if host.controller is not None:
            for signal in (host.controller.claim_added, host.controller.claim_changed,
                           host.controller.claim_removed):
                signal.connect(self._on_analyst_claims_changed)
        if host.codebook_controller is not None:
            host.codebook_controller.codebook_changed.connect(self._on_codebook_changed)
        if self.compare_panel is not None:
            self.compare_panel.set_codebook(self.codebook)
        # Claims without comments (nearly all) cost a look-up, not a query.
        host.editor.set_comments_source(
            lambda claim: controller.comments(claim.id)
            if self._comment_counts.get(claim.id) else [])
        mine = len(controller.comments_for(host.analyst()))
        if mine:
            host.show_message(f"{mine} review comment{'s' if mine != 1 else ''} on your "
                              "claims (Review › Comments on My Claims…)", 10000)
        self.apply_layer()
        self.update_actions()

    @property
    def codebook(self) -> Codebook:
        return self.host.codebook

    def apply_layer(self) -> None:
        """Which claims the labelling keys may change: gold claims on the gold
        layer, none while comparing, else the analyst's own."""
        loop, host = self.host.loop, self.host
        if self.gold_shown and self.controller is not None:
            loop.layer = GoldLayer(self.controller, lambda: self.adjudications)
        elif self.active:
            loop.layer = CompareLayer()
        elif host.controller is not None:
            loop.layer = AnalystLayer(host.controller, host.analyst())
        else:
            loop.layer = None
        host.editor.set_claim(host.current_claim())    # locked or not, as the layer says

    # Compare mode -------------------------------------------------------------------------

    def set_active(self, on: bool) -> None:
        """Enter (or leave) compare mode."""
        if bool(on) == self.active:
            return
        if on and self.controller is None:
            self._set_checked(self.compare_action, False)
            return
        if not on:
            self._leave()
            return
        host = self.host
        host.editor.commit_note()
        self._ensure_docks()
        assert self.compare_dock is not None and self.agreement_dock is not None
        self.active = True
        self._set_checked(self.compare_action, True)
        host.review_layout.enter(self.compare_dock, self.agreement_dock)
        self._load_document()
        self.refresh()
        self._restyle()
        host.set_mode_text("Review: highlight colours are analysts · F8 / ] next "
                           "disagreement · Ctrl+1… accept · Ctrl+0 reject")
        host.update_review_column()

    def leave(self) -> None:
        """Back to the usual window: compare mode off, the gold layer hidden."""
        self._leave()
        if self.gold_shown:
            self.gold_action.setChecked(False)

    def _leave(self) -> None:
        if not self.active:
            return
        self._timer.stop()
        self.active = False
        self._set_checked(self.compare_action, False)
        self.host.review_layout.leave([dock for dock in (self.compare_dock,
                                                         self.agreement_dock)
                                       if dock is not None])
        self._unit = None
        self._restyle()
        self.host.set_mode_text(None)
        self.host.update_review_column()
        self.update_actions()

    def _ensure_docks(self) -> None:
        if self.compare_dock is not None:
            return
        panel = self.compare_panel = ComparePanel()
        panel.setObjectName("comparePanel")
        panel.set_codebook(self.codebook)
        d = self.decisions
        panel.set_actions([d.merge_action, d.edit_action, d.reject_action],
                          [d.take_back_action, d.edit_gold_action, d.comment_action,
                           d.accept_agreed_action])
        panel.analysts_changed.connect(self._on_analysts_changed)
        panel.matching_changed.connect(self._on_matching_changed)
        panel.filter_changed.connect(self._show_units)
        panel.unit_selected.connect(self._on_unit_selected)
        panel.review_status_chosen.connect(d.set_review_status)
        self.agreement_panel = AgreementPanel()
        self.agreement_panel.setObjectName("agreementPanel")
        self.compare_dock, self.agreement_dock = self.host.review_layout.add_docks(
            panel, self.agreement_panel)
        for dock in (self.compare_dock, self.agreement_dock):
            dock.visibilityChanged.connect(self._on_dock_visibility)
        self._rebuild_accept_actions()

    def _on_dock_visibility(self, _visible: bool) -> None:
        # Closing both review docks with their close buttons leaves compare mode.
        if self.active and self.compare_dock is not None and self.agreement_dock is not None \
                and self.compare_dock.isHidden() and self.agreement_dock.isHidden():
            self._leave()

    def _rebuild_accept_actions(self) -> None:
        actions = self.decisions.rebuild_accept_actions(self.chosen_analysts())
        if self.compare_panel is not None:
            self.compare_panel.set_accept_actions(actions)
        self.update_actions()

    def accept_actions(self) -> list[Any]:
        return self.decisions.accept_actions()

    def chosen_analysts(self) -> tuple[str, ...]:
        names = [name for name, _ in self._analysts]
        if self._chosen is None:
            return tuple(names)
        return tuple(n for n in names if n in self._chosen)

    def set_analysts(self, names: list[str] | tuple[str, ...]) -> None:
        """Compare exactly these analysts (as checking them in the panel does)."""
        if self.compare_panel is not None:
            self.compare_panel.set_chosen(names)
        else:
            self._chosen = tuple(names)

    def set_matching(self, matching: Matching) -> None:
        if self.compare_panel is not None:
            self.compare_panel.set_matching(matching)
        self._matching = matching
        self.refresh()

    @property
    def matching(self) -> Matching:
        return self._matching

    def _on_analysts_changed(self) -> None:
        assert self.compare_panel is not None
        self._chosen = self.compare_panel.chosen_analysts()
        self._rebuild_accept_actions()
        self._restyle()
        self.refresh()

    def _on_matching_changed(self) -> None:
        assert self.compare_panel is not None
        self._matching = self.compare_panel.matching()
        self._timer.start()

    def _on_analyst_claims_changed(self, *_args: object) -> None:
        if self.active:
            self._timer.start()
        if self.gold_shown:
            self._show_layer()      # an analyst's claim must not slip into the gold view

    def _on_codebook_changed(self, codebook: Codebook) -> None:
        if self.compare_panel is not None:
            self.compare_panel.set_codebook(codebook)
        if self.gold_shown:
            self._show_layer()
        if self.active:
            self._timer.start()

    def refresh(self) -> None:
        """Compare again now (also what the debounce timer runs)."""
        self._timer.stop()
        if self.controller is None or not self.active:
            return
        previous = self._analysts
        self._analysts = self.controller.analysts()
        names = [name for name, _ in self._analysts]
        self._colours = {name: analyst_colour(i) for i, name in enumerate(names)}
        chosen = self.chosen_analysts()
        if self.compare_panel is not None:
            # Rebuilt only when the analysts or their counts changed (never under the
            # user's click on a check box).
            if self._analysts != previous or self.compare_panel.analysts.count() != len(names):
                self.compare_panel.set_analysts(self._analysts, chosen, self._colours)
            self._matching = self.compare_panel.matching()
            if [n for n, _ in previous] != names \
                    or len(self.decisions.accept_actions()) != len(chosen):
                self._rebuild_accept_actions()
        self._full_documents = set()
        if len(chosen) >= 2:
            # Every document from labels only (agreement, finding disagreements); the
            # shown document is compared again from whole claims when it is needed.
            self.comparison = self.controller.compare_labels(chosen, self._matching)
            for blind in self.host.assignments.blind_documents():    # not compared yet
                self.comparison.documents.pop(blind, None)
            self.report = self.controller.agreement_of(self.comparison, self.codebook)
        else:
            self.comparison = self.report = None
        self._show_units()
        self._show_agreement()
        self._restyle()

    def _document_comparison(self) -> DocumentComparison | None:
        """The shown document's units, made from whole claims (the quote, note and
        source the panel shows and a decision copies), compared on first use."""
        document = self.host.current_document
        if self.comparison is None or document is None or self.controller is None:
            return None
        documents = self.comparison.documents
        if document.id in documents and document.id not in self._full_documents:
            whole = self.controller.compare(self.comparison.analysts,
                                            self.comparison.matching, [document.id])
            documents[document.id] = whole.documents[document.id]
            self._full_documents.add(document.id)
        return documents.get(document.id)

    def units(self) -> list[Unit]:
        """The current document's units, all of them, in text order."""
        compared = self._document_comparison()
        return list(compared.units) if compared is not None else []

    def decision_of(self, unit: Unit) -> Adjudication | None:
        return next((self._decided[c.id] for c in unit.claims.values()
                     if c.id in self._decided), None)

    def filter_key(self) -> str:
        return self.compare_panel.filter_key() if self.compare_panel else "all"

    def _show_units(self) -> None:
        panel = self.compare_panel
        if panel is None or not self.active:
            return
        document = self.host.current_document
        chosen = self.chosen_analysts()
        units = self.units()
        if self._unit is not None:      # the same unit after a recomputation
            key = unit_key(self._unit)
            self._unit = next((u for u in units if any(c.id == key
                                                       for c in u.claims.values())), None)
        shown = [u for u in units
                 if unit_passes(u, self.filter_key(), self.decision_of(u) is not None)]
        panel.set_units(shown, text=document.text if document else "", decisions=self._decided,
                        analysts=len(chosen),
                        keep=unit_key(self._unit) if self._unit is not None else None)
        if len(self._analysts) < 2:
            panel.set_hint("Comparing needs claims by two or more analysts.")
        elif len(chosen) < 2:
            panel.set_hint("Check two or more analysts to compare.")
        elif document is None:
            panel.set_hint("")
        elif not units and self.comparison is not None and any(
                doc == document.id for doc, _title in self.comparison.left_out):
            panel.set_hint("Not compared: not every one of these analysts has this "
                           "document (it was not in their imported work).")
        elif not units:
            panel.set_hint("None of these analysts marked a claim in this document.")
        else:
            differences = sum(1 for u in units if is_difference(u))
            undecided = sum(1 for u in units if self.decision_of(u) is None)
            panel.set_hint(f"{len(units)} units, {differences} with a disagreement; "
                           f"{undecided} undecided. Showing {len(shown)}.")
        self._show_details()
        self.update_actions()

    def _show_details(self) -> None:
        if self.compare_panel is None:
            return
        unit = self._unit
        decision = self.decision_of(unit) if unit is not None else None
        self.compare_panel.show_details(unit, self.chosen_analysts(),
                                        decision.gold if decision else None,
                                        self._comment_counts)

    def _show_agreement(self) -> None:
        if self.agreement_panel is not None:
            document = self.host.current_document
            self.agreement_panel.set_report(self.report, document.id if document else None)

    # The viewer ---------------------------------------------------------------------------

    def colours_by_analyst(self) -> bool:
        return self.active and not self.gold_shown

    def analyst_colouring(self) -> Callable[[Claim], QColor | None]:
        colours = {name: QColor(colour) for name, colour in self._colours.items()}
        grey = QColor("#9E9E9E")
        return lambda claim: colours.get(claim.annotator, grey)

    def view_filter(self, shown: Callable[[Claim], bool] | None
                    ) -> Callable[[Claim], bool] | None:
        """The window's claim filter: while comparing, the compared analysts' claims
        (the legend, hidden then, filters nothing)."""
        if not self.colours_by_analyst():
            return shown
        chosen = set(self.chosen_analysts())
        return lambda claim: claim.annotator in chosen

    def _restyle(self) -> None:
        self.host.review_layout.show_label_legend(not self.colours_by_analyst())
        self.host.restyle()
        self.apply_layer()

    def document_shown(self) -> None:
        """The window opened another document (or none)."""
        if self.controller is None:
            return
        self._unit = None
        self._load_document()
        if self.gold_shown:
            self._show_layer()
        if self.active:
            self._show_units()
            self._show_agreement()
        self.update_actions()

    def _load_document(self) -> None:
        """The current document's review status, comment counts and (when reviewing)
        decisions."""
        document = self.host.current_document
        if self.controller is None or document is None:
            self.adjudications, self._decided, self._comment_counts = [], {}, {}
            self.status = None
        else:
            reviewing = self.active or self.gold_shown
            self.adjudications = (self.controller.adjudications(document.id) if reviewing
                                  else [])
            self._decided = {claim_id: a for a in self.adjudications
                             for claim_id in a.considered}
            self._comment_counts = self.controller.comment_counts(document.id)
            self.status = self.controller.review_status(document.id)
        if self.compare_panel is not None:
            self.compare_panel.set_review_status(self.status)

    def set_gold_shown(self, on: bool) -> None:
        """Show the gold layer (True) or the analysts' claims (False) in the viewer."""
        if bool(on) == self.gold_shown:
            return
        self.host.editor.commit_note()
        self.gold_shown = bool(on)
        self._set_checked(self.gold_action, self.gold_shown)
        self._load_document()
        self._show_layer()
        self._restyle()
        if self._unit is not None:
            self._reveal_unit(self._unit)

    def _show_layer(self) -> None:
        """Put the current document's gold (or analysts') claims in the viewer and table."""
        host = self.host
        document = host.current_document
        if document is None or self.controller is None or host.controller is None:
            return
        host.show_claims(self.controller.gold_claims(document.id) if self.gold_shown
                         else host.analyst_claims(document))

    # Units and navigation -----------------------------------------------------------------

    @property
    def current_unit(self) -> Unit | None:
        return self._unit

    def _on_unit_selected(self, unit: Unit | None) -> None:
        if unit is None:
            return
        self._unit = unit
        self._reveal_unit(unit)
        self._show_details()
        self.update_actions()

    def select_unit(self, unit: Unit) -> None:
        """Make ``unit`` current: its row in the table, its span in the viewer."""
        self._unit = unit
        if self.compare_panel is not None:
            self.compare_panel.select_row(self.compare_panel.units.row_of(unit), notify=False)
        self._reveal_unit(unit)
        self._show_details()
        self.update_actions()

    def _reveal_unit(self, unit: Unit) -> None:
        host = self.host
        if self.gold_shown:
            decision = self.decision_of(unit)
            if decision is not None and decision.gold is not None:
                host.select_claim(decision.gold.id, reveal=True)
                return
            host.select_claim(None)
            view = host.view
            cursor = view.textCursor()
            cursor.setPosition(view.offsets.to_display(unit.start))
            view.setTextCursor(cursor)
            view.centerCursor()
            return
        chosen = self.chosen_analysts()
        first = next((unit.claims[a] for a in chosen if a in unit.claims),
                     next(iter(unit.claims.values())))
        host.select_claim(first.id, reveal=True)

    def _on_view_claim_clicked(self, claim_id: str) -> None:
        if not self.active:
            return
        if self.gold_shown:
            decision = next((a for a in self.adjudications
                             if a.gold is not None and a.gold.id == claim_id), None)
            wanted = set(decision.considered) if decision else set()
        else:
            wanted = {claim_id}
        unit = next((u for u in self.units()
                     if any(c.id in wanted for c in u.claims.values())), None)
        if unit is None:
            return
        self._unit = unit
        if self.compare_panel is not None:
            self.compare_panel.select_row(self.compare_panel.units.row_of(unit), notify=False)
        self._show_details()
        self.update_actions()

    def step(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) disagreement (see
        :mod:`annotator.ui.review_navigation`)."""
        step_disagreement(self, direction)

    # Signals from the controllers -----------------------------------------------------------

    def _on_adjudications_changed(self, added: list[Adjudication],
                                  removed: list[Adjudication]) -> None:
        document = self.host.current_document
        if document is None:
            return
        added = [a for a in added if a.document_id == document.id]
        removed = [a for a in removed if a.document_id == document.id]
        if not (added or removed):
            return
        self._refresh_document_state()      # once, however many decisions
        if not self.gold_shown:
            return
        for adjudication in removed:
            if adjudication.gold is not None:
                self.host.unshow_claim(adjudication.gold)
        for adjudication in added:
            if adjudication.gold is not None:
                self.host.show_claim(adjudication.gold)

    def _refresh_document_state(self) -> None:
        self._load_document()
        if self.active:
            self._show_units()
        self.update_actions()

    def _on_gold_changed(self, before: Claim, after: Claim) -> None:
        document = self.host.current_document
        if document is None or after.document_id != document.id:
            return
        self._refresh_document_state()
        if self.gold_shown:
            self.host.replace_claim(before, after)

    def _on_gold_conflict(self, stored: Claim) -> None:
        """A gold edit made on an older version than ``stored`` was not saved: show
        the stored one in its place, as for an analyst's claim (its decision is read
        again even when the gold layer is hidden: the next edit starts from it)."""
        self.host.live.show_stored(stored, self._on_gold_changed)
        if not self.gold_shown:
            self._on_gold_changed(stored, stored)

    def _on_comments_changed(self, comment: ReviewComment) -> None:
        document = self.host.current_document
        if document is not None and self.controller is not None:
            self._comment_counts = self.controller.comment_counts(document.id)
            self._show_details()
        claim = self.host.editor.claim
        if claim is not None and claim.id == comment.claim_id:
            self.host.editor.refresh_comments()

    def _on_review_status_changed(self, document_id: str, status: ReviewStatus) -> None:
        self.host.set_document_review_status(document_id, status.value)
        document = self.host.current_document
        if document is not None and document.id == document_id:
            self.status = status
            if self.compare_panel is not None:
                self.compare_panel.set_review_status(status)
            self.update_actions()

