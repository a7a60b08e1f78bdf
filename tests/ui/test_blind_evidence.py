"""Blind double coding reaches the evidence board and the Elsewhere panel: a
colleague's claims on a document blind for the analyst are not on the board
(nor in its clusters' counts), even when the analyst chose to see everyone's."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.analysts import ShownAnalysts
from annotator.domain.model import Claim
from annotator.services import links
from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from annotator.ui.evidence_board import open_board
from annotator.ui.main_window import MainWindow
from tests.review.scenario import NASDAQ, merics

PROPOSITION = "Markets fell on DeepSeek"


def _board_analysts(window: MainWindow) -> set[str]:
    dialog = open_board(window)
    assert dialog is not None
    assert dialog.board is not None
    found = {entry.claim.annotator for column in dialog.board.columns
             for entry in column.entries}
    dialog.close()
    return found


def test_evidence_board_leaves_out_a_colleagues_claims_on_a_blind_document(
        qtbot, window: MainWindow, seeded_project: Path) -> None:  # type: ignore[no-untyped-def]
    colleague = ProjectService.open(seeded_project)     # bob's (and the admin's) app
    try:
        document = merics(colleague)
        start = document.text.index(NASDAQ)
        alice = Claim.new(document, start, start + len(NASDAQ), annotator="alice",
                          proposition=PROPOSITION, stance="supports")
        bob = Claim.new(document, start, start + len(NASDAQ), annotator="bob",
                        proposition=PROPOSITION, stance="refutes")
        colleague.add_claims([alice, bob])
        AssignmentService(colleague).assign(["alice", "bob"], 1.0,
                                            document_ids=[document.id], assigned_by="dave")
        window.identity.set_shown(ShownAnalysts.everyone("alice"))
        window.reload_documents()
        assert _board_analysts(window) == {"alice"}
        # Linked as the same claim (by bob), bob's claim is no member of alice's cluster
        # on the board either: it would count as corroboration.
        links.add_link(colleague, alice.id, bob.id, "same", analyst="bob")
        dialog = open_board(window)
        assert dialog is not None and dialog.board is not None
        entries = [e for c in dialog.board.columns for e in c.entries]
        assert [e.claim.annotator for e in entries] == ["alice"]
        assert entries[0].cluster_size == 1
        dialog.close()
        # Once both are done, bob's claim is on the board.
        service = AssignmentService(colleague)
        service.set_done(document.id, "alice")
        service.set_done(document.id, "bob")
        assert _board_analysts(window) == {"alice", "bob"}
    finally:
        colleague.close()


def _document_with(service: ProjectService, quote: str):  # type: ignore[no-untyped-def]
    for info in service.documents():
        document = service.document(info.id)
        if quote in document.text:
            return document
    raise AssertionError(f"no seed document holds {quote!r}")


def test_elsewhere_panel_leaves_out_a_colleagues_claims_on_a_blind_document(
        qtbot, window: MainWindow, seeded_project: Path) -> None:  # type: ignore[no-untyped-def]
    article_quote, merics_quote = "amounting to $600 billion in market value", \
        "lost USD 589 billion"
    colleague = ProjectService.open(seeded_project)
    try:
        article = _document_with(colleague, article_quote)
        blind = _document_with(colleague, merics_quote)
        assert article.id != blind.id
        start = article.text.index(article_quote)
        alice = Claim.new(article, start, start + len(article_quote), annotator="alice",
                          proposition=PROPOSITION)
        start = blind.text.index(merics_quote)
        bob = Claim.new(blind, start, start + len(merics_quote), annotator="bob",
                        proposition=PROPOSITION)
        other = Claim.new(blind, start, start + len(merics_quote), annotator="bob",
                          proposition="Something else")
        colleague.add_claims([alice, bob, other])
        AssignmentService(colleague).assign(["alice", "bob"], 1.0,
                                            document_ids=[blind.id], assigned_by="dave")
        links.add_link(colleague, alice.id, bob.id, "same", analyst="bob")
        links.add_link(colleague, alice.id, other.id, "refutes", analyst="bob")
        window.identity.set_shown(ShownAnalysts.everyone("alice"))
        window.reload_documents()
        view = window.elsewhere.view_of(colleague.claim(alice.id))
        assert view is not None
        assert [a.claim.id for a in view.cluster] == [alice.id]
        assert view.corroboration == 1
        assert view.links == []
        assert view.figures == []       # "589 billion" is bob's, on the blind document
    finally:
        colleague.close()

