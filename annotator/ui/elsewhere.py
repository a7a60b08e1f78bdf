"""Claims across documents in the main window: the Elsewhere dock beside the
claim panel, the Claims menu (Evidence Board…, evidence links) and the undo
steps the panel asks for.

The panel follows the current claim (:class:`~annotator.ui.shown_claims.ShownClaims`
says which it is), refreshed a moment after it changes and only while the dock
is shown: stepping through claims with Tab never waits for it.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFrame, QMenu, QScrollArea

from annotator.domain.model import Claim, utc_now
from annotator.services import links, similar
from annotator.services.links import Appearance, Link, LinkedClaim
from annotator.services.project import NotFoundError
from annotator.storage.errors import ProjectError
from annotator.ui.actions import make_action
from annotator.ui.commands import Focus
from annotator.ui.elsewhere_panel import (
    CandidateRow,
    ElsewherePanel,
    ElsewhereView,
    FigureRow,
)
from annotator.ui.link_commands import (
    AddLinkCommand,
    ConfirmCandidateCommand,
    DismissCandidateCommand,
    LinkController,
    RemoveLinkCommand,
)
from annotator.ui.tasks import BackgroundTask, with_project
from annotator.ui.window_layout import fit_panel

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

#: How many similar passages the panel lists.
CANDIDATES = 8
#: Milliseconds the panel waits after the current claim changes before reading.
SETTLE_MS = 120

#: Labels a confirmed passage takes from the claim it states again (what the claim
#: says, not how its own source and credibility are graded).
CARRIED = ("proposition", "stance", "claim_type")


def figure_rows(conflicts: list[links.FigureConflict]) -> list[FigureRow]:
    return [FigureRow(c.conflict.first.describe(), c.first.document_title,
                      c.conflict.second.describe(), c.second.document_title,
                      f"{c.conflict.gap:.1%}" if c.conflict.first.kind != "date"
                      else f"{int(c.conflict.gap)} days", c.conflict.soft)
            for c in conflicts]


class Elsewhere(QObject):
    """The window's Elsewhere dock and Claims menu (``window.elsewhere``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = ElsewherePanel()
        self.panel.setObjectName("elsewhere")
        # Under the claim panel (and the docks tabbed with it), so both are in view.
        self.dock = QDockWidget("Elsewhere", window)
        self.dock.setObjectName("elsewhereDock")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.panel)
        # Never squeezed to its title bar: the summary and a list's first rows show.
        scroll.setMinimumHeight(12 * self.panel.fontMetrics().height())
        self.dock.setWidget(scroll)
        fit_panel(self.dock, "right")
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock,
                             Qt.Orientation.Vertical)
        self._controller: LinkController | None = None
        #: Counts refreshes: similar passages found for an earlier one are dropped.
        self._generation = 0
        #: The last search for similar passages (tests wait for it).
        self.task: BackgroundTask | None = None
        self._source: Appearance | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        window.shown.current_changed.connect(lambda _claim: self.refresh_soon())
        window.project_opened.connect(self._project_opened)
        self.dock.visibilityChanged.connect(lambda shown: shown and self.refresh_soon())
        panel = self.panel
        panel.activated.connect(window.reveal_claim)
        panel.apply_requested.connect(self.apply_credibility)
        panel.unlink_requested.connect(self.unlink)
        panel.confirm_requested.connect(self.confirm)
        panel.dismiss_requested.connect(self.dismiss)
        panel.remember_requested.connect(self.remember)
        panel.link_requested.connect(self.link_to_remembered)
        panel.escaped.connect(window.view.setFocus)

    # The project ---------------------------------------------------------------------

    @property
    def controller(self) -> LinkController | None:
        project = self.window.controller
        if project is None:
            return None
        if self._controller is None or self._controller.project is not project:
            if self._controller is not None:       # another project: forget its claim
                self._source = None
                self.panel.set_link_source(None)
            self._controller = LinkController(project, self)
            self._controller.saved.connect(self.window.show_saved)
            self._controller.failed.connect(self.window.show_failure)
            self._controller.links_changed.connect(self.refresh_soon)
        return self._controller

    def _project_opened(self, _location: str) -> None:
        """Claims added, changed or removed anywhere (here, by undo, by a colleague)
        may be in the cluster shown: read it again."""
        project = self.window.controller
        if project is None:
            return
        for signal in (project.claim_added, project.claim_removed, project.claim_changed):
            signal.connect(lambda *_: self.refresh_soon())
        assert self.controller is not None          # this project's

    def refresh_soon(self) -> None:
        self._timer.start()

    def links_changed(self, claim_ids: frozenset[str]) -> None:
        """A colleague added or removed links of ``claim_ids`` (seen live): read
        the panel again if it shows one of them (the current claim, its cluster,
        the claims linked to it)."""
        claim = self.window.current_claim()
        view = self.panel.view
        shown = {claim.id} if claim is not None else set()
        if view is not None:
            shown |= {a.claim.id for a in view.cluster}
            shown |= {x.other.claim.id for x in view.links}
        if shown & claim_ids:
            self.refresh_soon()

    def refresh(self) -> None:
        """Read the current claim's cluster, links and figures (only while the dock
        is shown: a hidden panel costs nothing), then look for similar passages
        on a worker thread (they read other documents' text)."""
        self._timer.stop()
        self._generation += 1
        claim = self.window.current_claim()
        service = self.window.service
        if claim is None or service is None:
            self.panel.show_view(None)
            return
        if self.dock.isHidden():
            return
        try:
            view = self.view_of(claim)
        except (ProjectError, NotFoundError) as error:
            self.window.show_message(f"Could not read the claim's links: {error}", 8000)
            view = None
        self.panel.show_view(view, looking=view is not None)
        if view is not None:
            self._look_for_similar(service.location, view)

    def _look_for_similar(self, location: str, view: ElsewhereView) -> None:
        claim_id, generation = view.claim.id, self._generation
        linked = {a.claim.id for a in view.cluster} | {x.other.claim.id for x in view.links}
        analyst = self.window.analyst()
        annotators = self.window.identity.shown().annotators()

        def call(service, _progress, _cancelled):  # type: ignore[no-untyped-def]
            try:
                return similar.candidates(service, claim_id, CANDIDATES + len(linked),
                                          analyst=analyst, annotators=annotators)
            except NotFoundError:      # deleted meanwhile: its removal refreshes the panel
                return []

        # No parent: a task outlives a closing window without holding it up (its
        # end is then ignored).
        task = BackgroundTask(with_project(location, call), None, name="annotator-similar")
        alive = self.panel

        def found(candidates: list) -> None:  # type: ignore[type-arg]
            if shiboken6.isValid(alive) and generation == self._generation:
                self.panel.set_candidates(
                    [CandidateRow(c, c.document_title) for c in candidates
                     if c.claim_id not in linked][:CANDIDATES])
            task.deleteLater()

        def failed(message: str) -> None:
            if shiboken6.isValid(alive) and generation == self._generation:
                self.panel.set_candidates([])
                self.window.show_message(f"Could not look for similar passages: {message}",
                                         8000)
            task.deleteLater()

        task.finished.connect(found)
        task.failed.connect(failed)
        task.start()
        self.task = task

    def view_of(self, claim: Claim) -> ElsewhereView | None:
        """What the panel shows of ``claim``, but its similar passages."""
        service = self.window.service
        assert service is not None
        # Blind double coding: colleagues' claims on documents blind for the analyst
        # are not shown (nor counted, nor compared), as in search and the list.
        blind, me = self.window.assignments.blind_documents(), self.window.analyst()

        def seen(appearance: Appearance) -> bool:
            return appearance.claim.document_id not in blind \
                or appearance.claim.annotator in (me, "")

        cluster = [a for a in links.cluster_of(service, claim.id) if seen(a)]
        own = next((a for a in cluster if a.claim.id == claim.id), None)
        if own is None:
            return None
        count = links.corroboration(cluster)
        linked = [x for x in links.links_of(service, claim.id) if seen(x.other)]
        conflicts = links.figure_conflicts(cluster)
        members = {a.claim.id for a in cluster}
        conflicts += links.figure_conflicts_with(own, [
            a for a in links.proposition_appearances(service, own.claim.proposition)
            if a.claim.id not in members and seen(a)])
        return ElsewhereView(claim=own.claim, cluster=cluster, links=linked,
                             corroboration=count,
                             suggested=links.suggested_credibility(count),
                             figures=figure_rows(conflicts),
                             read_only=self.window.read_only_reason(claim) is not None)

    # The analyst's moves -------------------------------------------------------------

    def _current(self) -> Claim | None:
        claim = self.window.current_claim()
        if claim is None:
            self.window.show_message("No current claim: Tab to a claim first.")
        return claim

    def _focus(self, claim: Claim) -> Focus:
        return Focus(claim.document_id, claim.id)

    def _push(self, command: Any) -> None:
        self.window.undo_stack.push(command)

    def apply_credibility(self, grade: int) -> None:
        """The suggested grade, set as a normal edit of the current claim."""
        claim = self._current()
        view = self.panel.view
        if claim is None or view is None or view.claim.id != claim.id:
            return
        self.window.edit_current_claim("info_credibility", grade)

    def unlink(self, linked: LinkedClaim) -> None:
        claim, controller = self._current(), self.controller
        if claim is None or controller is None:
            return
        self._push(RemoveLinkCommand(controller, linked.link, linked.other.claim,
                                     self._focus(claim)))

    def confirm(self, candidate: Any) -> None:
        """The passage states the current claim: a new claim (by this analyst,
        carrying the claim's proposition, stance and type) linked as the same;
        or, for a passage that is a claim already, a link to it. One step."""
        claim, controller = self._current(), self.controller
        if claim is None or controller is None:
            return
        new_claim = None
        target_id = candidate.claim_id
        if target_id is None:
            document = self.window.service.document(candidate.document_id)  # type: ignore[union-attr]
            new_claim = Claim.new(document, candidate.start, candidate.end,
                                  annotator=self.window.analyst(),
                                  **{name: getattr(claim, name) for name in CARRIED})
            target_id = new_claim.id
        link = Link(id=str(uuid.uuid4()), claim_id=claim.id, target_id=target_id,
                    relation="same", analyst=self.window.analyst(), created_at=utc_now())
        self._push(ConfirmCandidateCommand(self.window.controller, controller, link,
                                           new_claim, candidate.quote, self._focus(claim)))

    def dismiss(self, candidate: Any) -> None:
        claim, controller = self._current(), self.controller
        if claim is None or controller is None:
            return
        args = (claim.id, candidate.document_id, candidate.start, candidate.end,
                self.window.analyst())
        self._push(DismissCandidateCommand(
            controller, lambda service, *a: similar.dismiss(service, *a[:4], analyst=a[4]),
            lambda service, *a: similar.undismiss(service, *a[:4]), args, candidate.quote,
            self._focus(claim)))

    def remember(self) -> None:
        """Remember the current claim as evidence, to link to another claim."""
        claim = self._current()
        service = self.window.service
        if claim is None or service is None:
            return
        try:
            self._source = next(a for a in links.cluster_of(service, claim.id)
                                if a.claim.id == claim.id)
        except (ProjectError, StopIteration):
            self.window.show_message("Could not read the claim: it may have been deleted.")
            return
        self.panel.set_link_source(self._source)
        self.window.show_message("Remembered as evidence: go to the claim it is about, "
                                 "then choose Supports, Refutes or Not Enough Info.", 8000)

    def link_to_remembered(self, relation: str) -> None:
        """The remembered claim <relation> the current claim."""
        claim, controller, source = self._current(), self.controller, self._source
        if claim is None or controller is None:
            return
        if source is None or source.claim.id == claim.id:
            self.window.show_message("Remember another claim as evidence first.")
            return
        try:
            self.window.service.claim(source.claim.id)  # type: ignore[union-attr]
        except NotFoundError:         # deleted since (undoing that brings it back)
            self.window.show_message("The claim remembered as evidence has been deleted: "
                                     "remember another claim first.", 8000)
            return
        existing = links.link_between(self.window.service, claim.id,  # type: ignore[arg-type]
                                      source.claim.id)
        if existing is not None:
            self.window.show_message("These claims are already linked: unlink them first.")
            return
        link = Link(id=str(uuid.uuid4()), claim_id=claim.id, target_id=source.claim.id,
                    relation=relation, analyst=self.window.analyst(), created_at=utc_now())
        self._push(AddLinkCommand(controller, link, source.claim, claim.document_id))

    def show(self) -> None:
        """Show the dock (the first time, with half the claim panel's height) and
        move the keyboard into it."""
        if self.dock.isHidden() and not self.dock.isFloating():
            self.dock.show()
            half = self.window.height() // 2
            self.window.resizeDocks([self.window.claim_dock, self.dock], [half, half],
                                    Qt.Orientation.Vertical)
        self.dock.show()
        self.dock.raise_()
        self.refresh()
        self.panel.first_focus().setFocus()


def install(window: MainWindow) -> QDockWidget:
    """Make ``window.elsewhere`` and its dock, and the Claims menu before Project."""
    from annotator.ui import evidence_board

    elsewhere = window.elsewhere = Elsewhere(window)
    # Out of the way of the labelling loop until asked for (Ctrl+L, View); a
    # saved layout brings it back where the analyst left it.
    elsewhere.dock.hide()
    a = lambda *args, **kw: make_action(window, *args, **kw)  # noqa: E731
    window.elsewhere_action = a("&Elsewhere", elsewhere.show, "Ctrl+L",
                                "The current claim across the corpus: the same claim "
                                "elsewhere, evidence, corroboration, similar passages")
    window.remember_evidence_action = a(
        "&Remember Claim as Evidence", elsewhere.remember, "Ctrl+Shift+L",
        "Remember the current claim, then link it to another claim as supporting or "
        "refuting it")
    link_actions: list[QAction] = []
    for relation, text in (("supports", "Link Remembered as &Supporting"),
                           ("refutes", "Link Remembered as Re&futing"),
                           ("not_enough_info", "Link Remembered as &Not Enough Info")):
        link_actions.append(a(text, lambda r=relation: elsewhere.link_to_remembered(r)))
    window.evidence_board_action = a(
        "Evidence &Board…", lambda: evidence_board.open_board(window), "Ctrl+Shift+B",
        "Every claim on a proposition, grouped by stance, with sources, grades and "
        "corroboration; save it as CSV or as a picture")
    bar = window.menuBar()
    before = next((action for action in bar.actions() if action.text() == "&Project"), None)
    menu = window.claims_menu = QMenu("&Claims", window)
    if before is not None:
        bar.insertMenu(before, menu)
    else:
        bar.addMenu(menu)
    menu.addActions([window.elsewhere_action, window.evidence_board_action])
    menu.addSeparator()
    menu.addAction(window.remember_evidence_action)
    menu.addActions(link_actions)
    window.view_menu.addAction(elsewhere.dock.toggleViewAction())
    return elsewhere.dock
