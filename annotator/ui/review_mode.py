"""Review mode: the main window's Review menu, the Compare and Agreement docks,
the per-analyst overlay in the viewer, and the gold layer.

* **Compare Analysts** shows the chosen analysts' claims in the viewer, one
  colour per analyst (through the window's colouring hook), with the units of
  the current document in the Compare dock and the agreement figures in the
  Agreement dock. The analysts' claims are read-only while comparing: labelling
  keys, the claim panel, span handles and Delete refuse with a message.
* **Show Gold Layer** puts the document's gold claims in the viewer and the
  claims table instead of the analysts'; labelling, span handles and the claim
  panel then edit the gold claim (undoable), and Delete takes its decision back.
* Decisions (accept, merge, edit, reject), gold edits, comments and review
  status are undo commands on the window's stack (:mod:`annotator.ui.review_commands`),
  saved at once by :class:`~annotator.ui.review_controller.ReviewController`.

Nothing here writes to an analyst's claim.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence
from PySide6.QtWidgets import QDialog, QDockWidget, QMenu

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.editing import adjust_span, snap_to_words, with_span
from annotator.domain.model import Claim, normalise_tags
from annotator.domain.review import (
    Adjudication,
    Decision,
    ReviewComment,
    ReviewStatus,
    adjudicate,
)
from annotator.review import Comparison, DocumentComparison, Matching, Unit
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui.agreement_panel import AgreementPanel
from annotator.ui.controller import ChangeFailed
from annotator.ui.review_commands import (
    AddCommentCommand,
    AdjudicateCommand,
    AdjudicateManyCommand,
    DeleteCommentCommand,
    EditGoldCommand,
    SetReviewStatusCommand,
    TakeBackDecisionCommand,
)
from annotator.ui.review_controller import ReviewController
from annotator.ui.review_dialogs import (
    ClaimHistoryDialog,
    CommentDialog,
    GoldClaimDialog,
    MergeDialog,
    MyCommentsDialog,
)
from annotator.ui.review_panel import (
    ComparePanel,
    analyst_colour,
    is_difference,
    unit_passes,
)

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

RECOMPUTE_DELAY_MS = 150
COMPARE_WIDTH = 600
AGREEMENT_HEIGHT = 250


def _key(unit: Unit) -> str:
    """A unit's identity across recomputations: its first claim's id."""
    return next(iter(unit.claims.values())).id


def _label_value(dimension: Dimension, key: object) -> object:
    if key is None or key == "":
        return None
    return int(str(key)) if dimension is Dimension.INFO_CREDIBILITY else str(key)


class ReviewMode(QObject):
    """Everything review adds to a :class:`MainWindow`; the window calls in
    through a few hooks (its colouring and filter, document switches, and the
    claim-editing entry points, which review mode may take over)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
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
        self.menu: QMenu | None = None
        self._analysts: list[tuple[str, int]] = []
        self._colours: dict[str, str] = {}
        self._chosen: tuple[str, ...] | None = None     # None: not chosen yet (all)
        self._matching = Matching()
        self._unit: Unit | None = None
        self._adjudications: list[Adjudication] = []
        self._decided: dict[str, Adjudication] = {}
        self._comment_counts: dict[str, int] = {}
        self._status: ReviewStatus | None = None
        self._claim_table_shown = True
        self._saved_sizes: tuple[int, int, int, int] | None = None
        self._legend_docks: dict[QDockWidget, bool] | None = None
        self._accept_actions: list[QAction] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._make_actions()
        window.view.claim_clicked.connect(self._on_view_claim_clicked)

    # Actions and menu ------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[..., object], shortcut: str | None = None,
                tip: str = "", *, checkable: bool = False) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(lambda _checked=False: slot())
        return action

    def _make_actions(self) -> None:
        self.compare_action = self._action(
            "&Compare Analysts", self.set_active, "Ctrl+Shift+R",
            "Overlay the chosen analysts' claims, one colour each, with their units, "
            "disagreements and agreement", checkable=True)
        self.gold_action = self._action(
            "Show &Gold Layer", self.set_gold_shown, "Ctrl+Shift+G",
            "Show the reviewed (gold) claims instead of the analysts'", checkable=True)
        self.next_action = self._action(
            "&Next Disagreement", lambda: self.step(+1), "F8",
            "The next unit the analysts disagree on, of those the Compare table shows (also ])")
        self.previous_action = self._action(
            "&Previous Disagreement", lambda: self.step(-1), "Shift+F8",
            "The previous unit the analysts disagree on, of those the Compare table shows "
            "(also [)")
        self.merge_action = self._action(
            "&Merge…", self.merge, "Ctrl+Shift+M",
            "Gold claim with the span of one analyst's claim and the labels of another's")
        self.edit_action = self._action(
            "&Edit Decision…", self.edit_decision, "F2",
            "Gold claim with a span and labels of your own, starting from an analyst's")
        self.reject_action = self._action("&Reject", self.reject, "Ctrl+0",
                                          "Not a claim: no gold claim for this unit")
        self.accept_agreed_action = self._action(
            "Accept All A&greed Units", self.accept_agreed, None,
            "Accept every undecided unit all analysts marked alike (span and labels)")
        self.take_back_action = self._action(
            "&Take Back Decision", self.take_back, None,
            "Remove the decision on this unit (and its gold claim)")
        self.edit_gold_action = self._action("Edit Gold &Claim…", self.edit_gold, None,
                                             "Change the span or labels of this unit's "
                                             "gold claim")
        self.comment_action = self._action("Comment on Claim…", self.comment, "Ctrl+Shift+C",
                                           "A review comment its author will see")
        self.my_comments_action = self._action("Comments on My Claims…", self.show_my_comments)
        self.history_action = self._action(
            "Claim &History…", self.show_history, None,
            "The current claim's earlier versions, kept when work was exchanged")
        self.status_group = QActionGroup(self.window)
        self.status_actions: dict[ReviewStatus, QAction] = {}
        for status in ReviewStatus:
            action = QAction(f"Mark {status.title}", self.window)
            action.setCheckable(True)
            action.triggered.connect(lambda _c=False, s=status: self.set_review_status(s))
            self.status_group.addAction(action)
            self.status_actions[status] = action
        self._update_actions()

    def build_menu(self, menu: QMenu) -> None:
        """Fill the window's Review menu."""
        self.menu = menu
        menu.addActions([self.compare_action, self.gold_action])
        menu.addSeparator()
        menu.addActions([self.next_action, self.previous_action])
        menu.addSeparator()
        menu.addActions([self.merge_action, self.edit_action, self.reject_action,
                         self.accept_agreed_action, self.take_back_action,
                         self.edit_gold_action])
        menu.addSeparator()
        menu.addActions([self.comment_action, self.my_comments_action, self.history_action])
        menu.addSeparator()
        status_menu = menu.addMenu("Review &Status")
        status_menu.addActions(list(self.status_actions.values()))

    def _rebuild_accept_actions(self) -> None:
        """One "Accept <analyst>" per compared analyst (Ctrl+1, Ctrl+2, ...)."""
        for action in self._accept_actions:
            if self.menu is not None:
                self.menu.removeAction(action)
            action.deleteLater()
        self._accept_actions = []
        for number, name in enumerate(self.chosen_analysts(), start=1):
            action = self._action(f"Accept {name}", lambda n=name: self.accept(n),
                                  f"Ctrl+{number}" if number <= 9 else None,
                                  f"{name}'s claim, span and labels, becomes gold")
            action.setData(name)
            self._accept_actions.append(action)
            if self.menu is not None:
                self.menu.insertAction(self.merge_action, action)
        if self.compare_panel is not None:
            self.compare_panel.set_accept_actions(self._accept_actions)
        self._update_actions()

    def accept_actions(self) -> list[QAction]:
        return list(self._accept_actions)

    def _update_actions(self) -> None:
        has_project = self.controller is not None
        unit = self._unit if self.active else None
        decision = self.decision_of(unit) if unit is not None else None
        undecided = unit is not None and decision is None
        for action in self._accept_actions:
            action.setEnabled(undecided and action.data() in unit.claims)  # type: ignore[union-attr]
        self.merge_action.setEnabled(undecided and len(unit.claims) > 1)  # type: ignore[union-attr]
        self.edit_action.setEnabled(undecided)
        self.reject_action.setEnabled(undecided)
        self.take_back_action.setEnabled(decision is not None)
        self.edit_gold_action.setEnabled(decision is not None and decision.gold is not None)
        self.accept_agreed_action.setEnabled(self.active and bool(self._agreed_undecided()))
        for action in (self.compare_action, self.gold_action, self.next_action,
                       self.previous_action, self.comment_action, self.my_comments_action,
                       self.history_action):
            action.setEnabled(has_project)
        has_document = has_project and self.window.current_document is not None
        for status, action in self.status_actions.items():
            action.setEnabled(has_document)
            if status is self._status:
                action.setChecked(True)

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
        self._decided, self._adjudications, self._comment_counts = {}, [], {}
        self._status = None
        if self.gold_shown:
            self.gold_shown = False
            blocker = self.gold_action.blockSignals(True)
            self.gold_action.setChecked(False)
            self.gold_action.blockSignals(blocker)
        if service is None:
            self.window.editor.set_comments_source(None)
            self._update_actions()
            return
        controller = self.controller = ReviewController(ReviewService(service), self)
        controller.adjudication_added.connect(self._on_adjudication_added)
        controller.adjudication_removed.connect(self._on_adjudication_removed)
        controller.adjudications_changed.connect(self._on_adjudications_changed)
        controller.gold_changed.connect(self._on_gold_changed)
        controller.comment_added.connect(self._on_comments_changed)
        controller.comment_removed.connect(self._on_comments_changed)
        controller.review_status_changed.connect(self._on_review_status_changed)
        controller.saved.connect(self.window._on_saved)
        controller.failed.connect(self.window._on_failed)
        project = self.window.controller
        if project is not None:
            project.claim_added.connect(self._on_analyst_claims_changed)
            project.claim_changed.connect(self._on_analyst_claims_changed)
            project.claim_removed.connect(self._on_analyst_claims_changed)
        if self.window.codebook_controller is not None:
            self.window.codebook_controller.codebook_changed.connect(self._on_codebook_changed)
        if self.compare_panel is not None:
            self.compare_panel.set_codebook(self.codebook)
        # Claims without comments (nearly all) cost a look-up, not a query.
        self.window.editor.set_comments_source(
            lambda claim: controller.comments(claim.id)
            if self._comment_counts.get(claim.id) else [])
        mine = len(controller.comments_for(self.window.settings.annotator_name()))
        if mine:
            self.window.statusBar().showMessage(
                f"{mine} review comment{'s' if mine != 1 else ''} on your claims "
                "(Review › Comments on My Claims…)", 10000)
        self._update_actions()

    @property
    def codebook(self) -> Codebook:
        return self.window.codebook

    # Compare mode -------------------------------------------------------------------------

    def set_active(self, on: bool) -> None:
        """Enter (or leave) compare mode."""
        if bool(on) == self.active:
            return
        if on and self.controller is None:
            self.compare_action.setChecked(False)
            return
        if not on:
            self._leave()
            return
        self.window.editor.commit_note()
        self._ensure_docks()
        assert self.compare_dock is not None and self.agreement_dock is not None
        self.active = True
        blocker = self.compare_action.blockSignals(True)
        self.compare_action.setChecked(True)
        self.compare_action.blockSignals(blocker)
        window = self.window
        self._saved_sizes = (window.claim_dock.width(), window.documents_dock.width(),
                             window.documents_dock.height(), window.legend_dock.height())
        self._claim_table_shown = not window.claim_table.isHidden()
        window.claim_table.hide()
        self.compare_dock.show()
        self.agreement_dock.show()
        self.compare_dock.raise_()
        window.resizeDocks([self.compare_dock], [COMPARE_WIDTH], Qt.Orientation.Horizontal)
        window.resizeDocks([self.agreement_dock], [AGREEMENT_HEIGHT], Qt.Orientation.Vertical)
        self._load_document()
        self.refresh()
        self._restyle()
        window.update_review_column()
        window.mode_label.setText("Review: highlight colours are analysts · F8 / ] next "
                                  "disagreement · Ctrl+1… accept · Ctrl+0 reject")

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
        blocker = self.compare_action.blockSignals(True)
        self.compare_action.setChecked(False)
        self.compare_action.blockSignals(blocker)
        window = self.window
        docks = [dock for dock in (self.compare_dock, self.agreement_dock) if dock is not None]
        for dock in docks:
            dock.hide()
        window.claim_table.setVisible(self._claim_table_shown)
        self._unit = None
        self._restyle()
        window.claim_dock.raise_()
        if self._saved_sizes is not None:      # the layout as it was before comparing
            right, left, documents, legend = self._saved_sizes
            window.resizeDocks([window.claim_dock, window.documents_dock], [right, left],
                               Qt.Orientation.Horizontal)
            if legend > 0:
                window.resizeDocks([window.documents_dock, window.legend_dock],
                                   [documents, legend], Qt.Orientation.Vertical)
            self._saved_sizes = None
        window._on_mode_changed(window.keyboard.mode)
        window.update_review_column()
        self._update_actions()

    def _ensure_docks(self) -> None:
        if self.compare_dock is not None:
            return
        window = self.window
        panel = self.compare_panel = ComparePanel()
        panel.setObjectName("comparePanel")
        panel.set_codebook(self.codebook)
        panel.set_actions([self.merge_action, self.edit_action, self.reject_action],
                          [self.take_back_action, self.edit_gold_action, self.comment_action,
                           self.accept_agreed_action])
        panel.analysts_changed.connect(self._on_analysts_changed)
        panel.matching_changed.connect(self._on_matching_changed)
        panel.filter_changed.connect(self._on_filter_changed)
        panel.unit_selected.connect(self._on_unit_selected)
        panel.review_status_chosen.connect(self.set_review_status)
        self.agreement_panel = AgreementPanel()
        self.agreement_panel.setObjectName("agreementPanel")
        # The Agreement dock runs under the viewer and the left docks; the Compare
        # dock keeps the right side's full height.
        window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.compare_dock = window._dock("Compare", panel, Qt.DockWidgetArea.RightDockWidgetArea)
        window.tabifyDockWidget(window.claim_dock, self.compare_dock)
        self.agreement_dock = window._dock("Agreement", self.agreement_panel,
                                           Qt.DockWidgetArea.BottomDockWidgetArea)
        for dock in (self.compare_dock, self.agreement_dock):
            dock.visibilityChanged.connect(self._on_dock_visibility)
        self._rebuild_accept_actions()

    def _on_dock_visibility(self, _visible: bool) -> None:
        # Closing both review docks with their close buttons leaves compare mode.
        if self.active and self.compare_dock is not None and self.agreement_dock is not None \
                and self.compare_dock.isHidden() and self.agreement_dock.isHidden():
            self._leave()

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

    def _on_filter_changed(self) -> None:
        self._show_units()

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
            if [n for n, _ in previous] != names or len(self._accept_actions) != len(chosen):
                self._rebuild_accept_actions()
        self._full_documents = set()
        if len(chosen) >= 2:
            # Every document from labels only (agreement, finding disagreements); the
            # shown document is compared again from whole claims when it is needed.
            self.comparison = self.controller.compare_labels(chosen, self._matching)
            self.report = self.controller.agreement_of(self.comparison, self.codebook)
        else:
            self.comparison = self.report = None
        self._show_units()
        self._show_agreement()
        self._restyle()

    def _document_comparison(self) -> DocumentComparison | None:
        """The shown document's units, made from whole claims (the quote, note and
        source the panel shows and a decision copies), compared on first use."""
        document = self.window.current_document
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

    def _agreed_undecided(self) -> list[Unit]:
        return [u for u in self.units() if u.agreed and self.decision_of(u) is None]

    def _passes(self, unit: Unit, key: str | None = None) -> bool:
        key = key or (self.compare_panel.filter_key() if self.compare_panel else "all")
        return unit_passes(unit, key, self.decision_of(unit) is not None)

    def _show_units(self) -> None:
        panel = self.compare_panel
        if panel is None or not self.active:
            return
        document = self.window.current_document
        chosen = self.chosen_analysts()
        units = self.units()
        if self._unit is not None:      # the same unit after a recomputation
            key = _key(self._unit)
            self._unit = next((u for u in units if any(c.id == key
                                                       for c in u.claims.values())), None)
        shown = [u for u in units if self._passes(u)]
        panel.set_units(shown, text=document.text if document else "", decisions=self._decided,
                        analysts=len(chosen),
                        keep=_key(self._unit) if self._unit is not None else None)
        if len(self._analysts) < 2:
            panel.set_hint("Comparing needs claims by two or more analysts.")
        elif len(chosen) < 2:
            panel.set_hint("Check two or more analysts to compare.")
        elif document is None:
            panel.set_hint("")
        elif not units:
            panel.set_hint("None of these analysts marked a claim in this document.")
        else:
            differences = sum(1 for u in units if is_difference(u))
            undecided = sum(1 for u in units if self.decision_of(u) is None)
            panel.set_hint(f"{len(units)} units, {differences} with a disagreement; "
                           f"{undecided} undecided. Showing {len(shown)}.")
        self._show_details()
        self._update_actions()

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
            document = self.window.current_document
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
        window = self.window
        # While highlights are coloured by analyst, the Compare panel's analyst list is
        # the legend: the label legend (and the dock tabbed with it) step aside.
        by_analyst = self.colours_by_analyst()
        if by_analyst and self._legend_docks is None:
            self._legend_docks = {dock: not dock.isHidden()
                                  for dock in (window.legend_dock, window.details_dock)}
            for dock in self._legend_docks:
                dock.hide()
        elif not by_analyst and self._legend_docks is not None:
            for dock, shown in self._legend_docks.items():
                dock.setVisible(shown)
            self._legend_docks = None
            window.legend_dock.raise_()
        window.view.set_colouring(window._colouring(window.legend.dimension))
        window._on_filter_changed()
        window.editor.set_claim(window.editor.claim)    # locked or not, as the mode says

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
        self._update_actions()

    def _load_document(self) -> None:
        """The current document's review status, comment counts and (when reviewing)
        decisions."""
        document = self.window.current_document
        if self.controller is None or document is None:
            self._adjudications, self._decided, self._comment_counts = [], {}, {}
            self._status = None
        else:
            reviewing = self.active or self.gold_shown
            self._adjudications = (self.controller.adjudications(document.id) if reviewing
                                   else [])
            self._decided = {claim_id: a for a in self._adjudications
                             for claim_id in a.considered}
            self._comment_counts = self.controller.comment_counts(document.id)
            self._status = self.controller.review_status(document.id)
        if self.compare_panel is not None:
            self.compare_panel.set_review_status(self._status)

    def set_gold_shown(self, on: bool) -> None:
        """Show the gold layer (True) or the analysts' claims (False) in the viewer."""
        if bool(on) == self.gold_shown:
            return
        self.window.editor.commit_note()
        self.gold_shown = bool(on)
        blocker = self.gold_action.blockSignals(True)
        self.gold_action.setChecked(self.gold_shown)
        self.gold_action.blockSignals(blocker)
        self._load_document()
        self._show_layer()
        self._restyle()
        if self._unit is not None:
            self._reveal_unit(self._unit)

    def _show_layer(self) -> None:
        """Put the current document's gold (or analysts') claims in the viewer and table."""
        window = self.window
        document = window.current_document
        if document is None or self.controller is None or window.service is None:
            return
        current = window.view.current_claim_id
        claims = (self.controller.gold_claims(document.id) if self.gold_shown
                  else window.service.claims(document.id, document.text))
        window.view.set_claims(claims)
        window.claims.set_claims(claims)
        window.legend.update_counts(claims)
        window.select_claim(current if any(c.id == current for c in claims) else None,
                            reveal=False)

    def gold_claim_ids(self) -> set[str]:
        return {a.gold.id for a in self._adjudications if a.gold is not None}

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
        self._update_actions()

    def select_unit(self, unit: Unit) -> None:
        """Make ``unit`` current: its row in the table, its span in the viewer."""
        self._unit = unit
        if self.compare_panel is not None:
            row = self.compare_panel.units.row_of(unit)
            self.compare_panel.select_row(row, notify=False)
        self._reveal_unit(unit)
        self._show_details()
        self._update_actions()

    def _reveal_unit(self, unit: Unit) -> None:
        window = self.window
        if self.gold_shown:
            decision = self.decision_of(unit)
            if decision is not None and decision.gold is not None:
                window.select_claim(decision.gold.id, reveal=True)
                return
            window.select_claim(None)
            cursor = window.view.textCursor()
            cursor.setPosition(window.view.offsets.to_display(unit.start))
            window.view.setTextCursor(cursor)
            window.view.centerCursor()
            return
        chosen = self.chosen_analysts()
        first = next((unit.claims[a] for a in chosen if a in unit.claims),
                     next(iter(unit.claims.values())))
        window.select_claim(first.id, reveal=True)

    def _on_view_claim_clicked(self, claim_id: str) -> None:
        if not self.active:
            return
        if self.gold_shown:
            decision = next((a for a in self._adjudications
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
        self._update_actions()

    def _navigable(self, units: list[Unit], decided: Callable[[Unit], bool]) -> list[Unit]:
        key = self.compare_panel.filter_key() if self.compare_panel else "all"
        return [u for u in units if is_difference(u) and unit_passes(u, key, decided(u))]

    def step(self, direction: int) -> None:
        """Go to the next (+1) or previous (-1) disagreement, in text order, on to
        the next document that has one; wraps round."""
        window = self.window
        if not self.active:
            if self.controller is None:
                return
            self.compare_action.setChecked(True)
            if not self.active:
                return
        units = self.units()
        here = self._navigable(units, lambda u: self.decision_of(u) is not None)
        index = {_key(u): i for i, u in enumerate(units)}
        if self._unit is not None and _key(self._unit) in index:
            position = index[_key(self._unit)]
            after = [u for u in here if (index[_key(u)] - position) * direction > 0]
        else:
            offset = window.view.offsets.to_offset(window.view.textCursor().position())
            after = [u for u in here if (u.start >= offset if direction > 0
                                         else u.start < offset)]
        if after:
            target = after[0] if direction > 0 else after[-1]
            self._go(target, here)
            return
        if self._step_document(direction):
            return
        if here:
            target = here[0] if direction > 0 else here[-1]
            self._go(target, here)
            window.statusBar().showMessage("No more disagreements: back to the "
                                           + ("first" if direction > 0 else "last"), 4000)
            return
        window.statusBar().showMessage("No disagreements to show"
                                       + ("" if self._filter_key() == "all"
                                          else " with this filter"), 4000)

    def _filter_key(self) -> str:
        return self.compare_panel.filter_key() if self.compare_panel else "all"

    def _go(self, unit: Unit, among: list[Unit]) -> None:
        self.select_unit(unit)
        number = next(i for i, u in enumerate(among, start=1) if u is unit)
        self.window.statusBar().showMessage(
            f"Disagreement {number} of {len(among)} in this document", 4000)

    def _step_document(self, direction: int) -> bool:
        """Open the next document (in the list's order) with a disagreement."""
        window = self.window
        document = window.current_document
        if self.comparison is None or document is None or self.controller is None:
            return False
        proxy = window.document_proxy
        order = [window.documents.document_id(proxy.mapToSource(proxy.index(r, 0)).row())
                 for r in range(proxy.rowCount())]
        if document.id not in order:
            return False
        start = order.index(document.id)
        for step in range(1, len(order)):
            candidate = order[(start + step * direction) % len(order)]
            compared = self.comparison.documents.get(candidate)
            if compared is None:
                continue
            decided = (self.controller.decided_claims(candidate)
                       if self._filter_key() == "undecided" else set())
            found = self._navigable(list(compared.units), lambda u, d=decided: any(
                c.id in d for c in u.claims.values()))
            if found:
                target = found[0] if direction > 0 else found[-1]
                window.reveal_document(candidate)
                unit = next((u for u in self.units() if _key(u) == _key(target)), None)
                if unit is not None:
                    here = self._navigable(self.units(),
                                           lambda u: self.decision_of(u) is not None)
                    self._go(unit, here)
                return True
        return False

    # Decisions ----------------------------------------------------------------------------

    def _adjudicator(self) -> str:
        return self.window.settings.annotator_name()

    def _need_unit(self) -> Unit | None:
        unit = self._unit if self.active else None
        if unit is None:
            self.window.statusBar().showMessage("Select a unit in the Compare panel first "
                                                "(or F8 for the next disagreement).", 4000)
            return None
        if self.decision_of(unit) is not None:
            self.window.statusBar().showMessage("This unit is decided: take the decision "
                                                "back (or undo) to decide again.", 4000)
            return None
        return unit

    def _decide(self, adjudication: Adjudication, quote: str) -> bool:
        if self.controller is None:
            return False
        command = AdjudicateCommand(self.controller, adjudication, quote=quote,
                                    document_status=self._status)
        self.window.undo_stack.push(command)
        return adjudication.id in {a.id for a in self._adjudications}

    def _quote(self, unit: Unit) -> str:
        document = self.window.current_document
        if document is not None:
            return document.text[unit.start:unit.end]
        return next(iter(unit.claims.values())).quote

    def accept(self, analyst: str) -> Adjudication | None:
        """Accept ``analyst``'s claim of the current unit as gold."""
        unit = self._need_unit()
        if unit is None or analyst not in unit.claims:
            return None
        claim = unit.claims[analyst]
        adjudication = adjudicate(Decision.ACCEPT, list(unit.claims.values()),
                                  adjudicator=self._adjudicator(), span_from=claim)
        return adjudication if self._decide(adjudication, claim.quote) else None

    def reject(self) -> Adjudication | None:
        unit = self._need_unit()
        if unit is None:
            return None
        adjudication = adjudicate(Decision.REJECT, list(unit.claims.values()),
                                  adjudicator=self._adjudicator())
        return adjudication if self._decide(adjudication, self._quote(unit)) else None

    def merge(self, span_from: str | None = None,
              labels_from: str | None = None) -> Adjudication | None:
        """Gold from the span of ``span_from``'s claim and the labels of
        ``labels_from``'s; without both, a dialog asks."""
        unit = self._need_unit()
        if unit is None:
            return None
        if len(unit.claims) < 2:
            self.window.statusBar().showMessage("Only one analyst marked this: accept, edit "
                                                "or reject it.", 4000)
            return None
        if span_from is None or labels_from is None:
            dialog = MergeDialog(unit, self.codebook, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            span_from, labels_from = dialog.choice()
        if span_from == labels_from:
            return self.accept(span_from)
        adjudication = adjudicate(Decision.MERGE, list(unit.claims.values()),
                                  adjudicator=self._adjudicator(),
                                  span_from=unit.claims[span_from],
                                  labels_from=unit.claims[labels_from])
        return adjudication if self._decide(adjudication, unit.claims[span_from].quote) \
            else None

    def edit_decision(self, edited: Claim | None = None, *, span_from: str | None = None,
                      labels_from: str | None = None) -> Adjudication | None:
        """Gold as the reviewer edits it. Without ``edited``, a dialog starts from an
        analyst's claim; ``span_from`` / ``labels_from`` name the analysts whose
        claims the edit started from."""
        unit = self._need_unit()
        document = self.window.current_document
        if unit is None or document is None:
            return None
        span_claim = unit.claims.get(span_from) if span_from else None
        labels_claim = unit.claims.get(labels_from) if labels_from else None
        if edited is None:
            dialog = GoldClaimDialog(self.codebook, document.text, claims=unit.claims,
                                     selection=self.window.view.selected_span(),
                                     propositions=[p.text for p in self.codebook.propositions
                                                   if not p.retired],
                                     parent=self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            edited = dialog.claim()
            span_claim, labels_claim = dialog.span_from(), dialog.labels_from()
        adjudication = adjudicate(Decision.EDIT, list(unit.claims.values()),
                                  adjudicator=self._adjudicator(), edited=edited,
                                  span_from=span_claim, labels_from=labels_claim)
        return adjudication if self._decide(adjudication, edited.quote) else None

    def accept_agreed(self) -> int:
        """Accept every undecided unit all analysts marked alike, as one undo step."""
        units = self._agreed_undecided()
        if not units or self.controller is None:
            return 0
        decisions = [adjudicate(Decision.ACCEPT, list(unit.claims.values()),
                                adjudicator=self._adjudicator(),
                                span_from=next(iter(unit.claims.values())))
                     for unit in units]
        self.window.undo_stack.push(AdjudicateManyCommand(
            self.controller, decisions,
            f"Accept {len(units)} agreed unit{'s' if len(units) != 1 else ''}",
            document_status=self._status))
        return len(units)

    def take_back(self) -> None:
        unit = self._unit if self.active else None
        decision = self.decision_of(unit) if unit is not None else None
        if decision is None or self.controller is None or unit is None:
            return
        self.window.undo_stack.push(TakeBackDecisionCommand(self.controller, decision,
                                                            self._quote(unit)))

    def edit_gold(self, after: Claim | None = None) -> None:
        """Edit the current unit's gold claim (a dialog unless ``after`` is given)."""
        unit = self._unit if self.active else None
        decision = self.decision_of(unit) if unit is not None else None
        document = self.window.current_document
        if decision is None or decision.gold is None or self.controller is None \
                or document is None:
            return
        if after is None:
            dialog = GoldClaimDialog(self.codebook, document.text, gold=decision.gold,
                                     selection=self.window.view.selected_span(),
                                     propositions=[p.text for p in self.codebook.propositions
                                                   if not p.retired],
                                     parent=self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            after = dialog.claim()
        if after != decision.gold:
            self.window.undo_stack.push(EditGoldCommand(self.controller, decision.gold,
                                                        after.edited()))

    # Review status and comments -------------------------------------------------------------

    def set_review_status(self, status: ReviewStatus) -> None:
        document = self.window.current_document
        if document is None or self.controller is None:
            return
        before = self.controller.review_status(document.id)
        if before is not status:
            self.window.undo_stack.push(SetReviewStatusCommand(self.controller, document.id,
                                                               before, ReviewStatus(status)))
        else:
            self._update_actions()

    def _comment_targets(self) -> dict[str, Claim]:
        if self.active and self._unit is not None:
            return dict(self._unit.claims)
        claim = self.window.current_claim()
        if claim is not None and not self.gold_shown:
            return {claim.annotator: claim}
        return {}

    def comment(self, claim_id: str | None = None, body: str | None = None
                ) -> ReviewComment | None:
        """Comment on an analyst's claim (the current unit's, or the current claim);
        without ``body`` a dialog asks."""
        if self.controller is None:
            return None
        targets = self._comment_targets()
        if body is None:
            if not targets:
                self.window.statusBar().showMessage("Select an analyst's claim (or a unit) "
                                                    "to comment on.", 4000)
                return None
            current = self.window.current_claim()
            dialog = CommentDialog(targets, self._adjudicator(), self.controller.comments,
                                   self.delete_comment,
                                   current=claim_id or (current.id if current else None),
                                   parent=self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.text():
                return None
            claim_id, body = dialog.claim_id(), dialog.text()
        if claim_id is None:
            if len(targets) != 1:
                return None
            claim_id = next(iter(targets.values())).id
        try:
            comment = ReviewComment.new(claim_id, self._adjudicator(), body)
        except ValueError as error:
            self.window.statusBar().showMessage(str(error), 4000)
            return None
        self.window.undo_stack.push(AddCommentCommand(self.controller, comment))
        return comment

    def delete_comment(self, comment: ReviewComment) -> None:
        if self.controller is not None:
            self.window.undo_stack.push(DeleteCommentCommand(self.controller, comment))

    def show_my_comments(self) -> MyCommentsDialog | None:
        if self.controller is None:
            return None
        name = self._adjudicator()
        titles = {}
        documents = self.window.documents
        for row in range(documents.rowCount()):
            info = documents.info(row)
            titles[info.id] = info.title
        rows = [(comment, claim, titles.get(claim.document_id, ""))
                for comment, claim in self.controller.comments_for(name)]
        dialog = MyCommentsDialog(name, rows, self.window)
        dialog.reveal_requested.connect(self._reveal_commented)
        dialog.show()
        return dialog

    def show_history(self) -> ClaimHistoryDialog | None:
        """The current analyst claim's versions (Review › Claim History…)."""
        claim = self.window.current_claim()
        if self.controller is None or claim is None or self.gold_shown:
            self.window.statusBar().showMessage(
                "Select an analyst's claim first (its history is kept when work is "
                "exchanged).", 4000)
            return None
        dialog = ClaimHistoryDialog(claim, self.controller.history(claim.id), self.window)
        dialog.show()
        return dialog

    def _reveal_commented(self, document_id: str, claim_id: str) -> None:
        if self.gold_shown:
            self.set_gold_shown(False)
        self.window.reveal_claim(document_id, claim_id)

    # Signals from the controllers -----------------------------------------------------------

    def _refresh_document_state(self) -> None:
        self._load_document()
        if self.active:
            self._show_units()
        self._update_actions()

    def _on_adjudication_added(self, adjudication: Adjudication) -> None:
        self._on_adjudications_changed([adjudication], [])

    def _on_adjudication_removed(self, adjudication: Adjudication) -> None:
        self._on_adjudications_changed([], [adjudication])

    def _on_adjudications_changed(self, added: list[Adjudication],
                                  removed: list[Adjudication]) -> None:
        document = self.window.current_document
        if document is None:
            return
        added = [a for a in added if a.document_id == document.id]
        removed = [a for a in removed if a.document_id == document.id]
        if not (added or removed):
            return
        self._refresh_document_state()      # once, however many decisions
        for adjudication in removed:
            self._unshow_gold(adjudication)
        for adjudication in added:
            gold = adjudication.gold
            if self.gold_shown and gold is not None:
                self.window.show_claim(gold)

    def _unshow_gold(self, adjudication: Adjudication) -> None:
        gold = adjudication.gold
        if self.gold_shown and gold is not None:
            self.window.unshow_claim(gold)

    def _on_gold_changed(self, before: Claim, after: Claim) -> None:
        document = self.window.current_document
        if document is None or after.document_id != document.id:
            return
        self._refresh_document_state()
        if self.gold_shown:
            window = self.window
            window.view.update_claim(after)
            window.claims.replace(before, after)
            window.legend.adjust_counts(before, after)
            current = window.current_claim()
            if current is not None and current.id == after.id:
                window.editor.set_claim(after)

    def _on_comments_changed(self, comment: ReviewComment) -> None:
        document = self.window.current_document
        if document is not None and self.controller is not None:
            self._comment_counts = self.controller.comment_counts(document.id)
            self._show_details()
        claim = self.window.editor.claim
        if claim is not None and claim.id == comment.claim_id:
            self.window.editor.refresh_comments()

    def _on_review_status_changed(self, document_id: str, status: ReviewStatus) -> None:
        self.window.documents.update(document_id, review_status=status.value)
        self.window.update_review_column()
        document = self.window.current_document
        if document is not None and document.id == document_id:
            self._status = status
            if self.compare_panel is not None:
                self.compare_panel.set_review_status(status)
            self._update_actions()

    # The window's editing entry points (each returns True when review took it over) ------

    def handles(self, _claim: Claim) -> bool:
        """Whether review mode says who may edit claims now (see :meth:`read_only_reason`)."""
        return self.active or self.gold_shown

    def read_only_reason(self, claim: Claim) -> str | None:
        """While comparing, every analyst's claim is read-only; gold claims are edited
        through review (their own undo commands)."""
        if self.gold_shown and claim.id in self.gold_claim_ids():
            return None
        if self.gold_shown:
            return "Not a gold claim: turn Review › Show Gold Layer off to see it."
        return "Comparing analysts: claims are read-only (decide with the Review menu)."

    def _current_gold(self) -> Claim | None:
        claim = self.window.current_claim()
        if claim is None or claim.id not in self.gold_claim_ids():
            return None
        return claim

    def edit(self, field: str, value: object) -> bool:
        """A claim edit from the claim panel or the keys."""
        if self.gold_shown:
            self._edit_gold_field(field, value)
            return True
        return False

    def _edit_gold_field(self, field: str, value: object) -> None:
        claim = self._current_gold()
        window = self.window
        if claim is None or self.controller is None:
            window.statusBar().showMessage("Select a gold claim first (click it, or Tab).",
                                           4000)
            return
        changes: dict[str, object]
        if field == "source":
            name = " ".join(str(value or "").split())
            if not name:
                changes = {"source_id": None, "source_name": ""}
            else:
                if window.controller is None:
                    return
                try:
                    source = window.controller.source_for(name)
                except ChangeFailed:
                    return
                changes = {"source_id": source.id, "source_name": source.name}
        elif field == "proposition":
            changes = {"proposition": " ".join(str(value or "").split())}
        elif field in {d.value for d in Dimension}:
            changes = {field: _label_value(Dimension(field), value)}
        elif field == "tags":
            changes = {"tags": normalise_tags(value)}
        else:
            changes = {field: value}
        if all(getattr(claim, name) == new for name, new in changes.items()):
            return
        window.undo_stack.push(EditGoldCommand(self.controller, claim, claim.edited(**changes),
                                               field))

    def delete(self) -> bool:
        """Delete: on a gold claim, take its decision back."""
        if self.gold_shown:
            claim = self._current_gold()
            decision = next((a for a in self._adjudications
                             if a.gold is not None and claim is not None
                             and a.gold.id == claim.id), None)
            if decision is not None and self.controller is not None:
                self.window.undo_stack.push(TakeBackDecisionCommand(
                    self.controller, decision, decision.gold.quote))  # type: ignore[union-attr]
            return True
        return False

    def mark(self) -> bool:
        """Marking a claim: not while comparing or showing the gold layer."""
        if self.gold_shown:
            self.window.statusBar().showMessage(
                "Gold claims come from decisions on the analysts' claims: turn Review › Show "
                "Gold Layer off to mark a claim.", 5000)
            return True
        if self.active:
            self.window.statusBar().showMessage(
                "Comparing analysts: turn Review › Compare Analysts off to mark a claim.", 5000)
            return True
        return False

    def adjust(self, edge: str, direction: int) -> bool:
        if self.gold_shown:
            claim = self._current_gold()
            document = self.window.current_document
            if claim is not None and document is not None:
                after = adjust_span(claim, document.text, edge, direction,
                                    by_word=self.window.snap)
                if after is not None:
                    self._push_gold_span(claim, after)
            return True
        return False

    def drag(self, claim_id: str, start: int, end: int) -> bool:
        if self.gold_shown:
            claim = self._current_gold()
            document = self.window.current_document
            if claim is not None and claim.id == claim_id and document is not None:
                if self.window.snap:
                    start, end = snap_to_words(document.text, start, end)
                if start < end and (start, end) != (claim.start, claim.end):
                    self._push_gold_span(claim, with_span(claim, document.text, start, end))
                    return True
            if claim is not None:
                self.window.view.update_claim(claim)     # put the dragged edge back
            return True
        return False

    def _push_gold_span(self, before: Claim, after: Claim) -> None:
        if self.controller is not None:
            self.window.undo_stack.push(EditGoldCommand(self.controller, before, after, "span"))
