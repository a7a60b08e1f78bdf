"""Qt's item model rules (pytest-qt's model tester, see ``check_model``) on the
models of the panels and dialogs, filled from a real project file: the sources
panel, the compare (review) panel, the agreement panel, the legend, the review
dialogs and the claims-to-place dialog. Each model is checked empty, then
through the calls that change it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from annotator.domain.codebook import Dimension, default_codebook
from annotator.domain.model import Document, Source
from annotator.domain.review import Decision, ReviewComment, adjudicate
from annotator.review import Matching
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.ui.agreement_panel import CORPUS, DOCUMENT, AgreementPanel
from annotator.ui.legend import LegendPanel
from annotator.ui.review_dialogs import (
    ClaimHistoryDialog,
    CommentDialog,
    GoldClaimDialog,
    MergeDialog,
    MyCommentsDialog,
)
from annotator.ui.review_panel import ComparePanel
from annotator.ui.source_panel import SourcePanel
from annotator.ui.unplaced_dialog import UnplacedDialog
from tests.review.scenario import NASDAQ, TwoAnalysts, add_two_analysts

ANALYSTS = ("alice", "bob")
COLOURS = {"alice": "#1F77B4", "bob": "#FF7F0E"}


@dataclasses.dataclass
class Project:
    service: ProjectService
    review: ReviewService
    work: TwoAnalysts

    @property
    def document(self) -> Document:
        return self.work.document


@pytest.fixture
def project(seeded_project: Path) -> Iterator[Project]:
    """The sample corpus; on the MERICS briefing, alice's and bob's claims
    (tests/review/scenario.py), some with a source."""
    service = ProjectService.open(seeded_project)
    work = add_two_analysts(service)
    merics = service.add_source(dataclasses.replace(Source.new("MERICS", "organisation"),
                                                    reliability="B"))
    reuters = service.add_source(Source.new("Reuters", "organisation"))
    for name, source in (("NASDAQ", merics), ("H800", merics), ("CNY", reuters)):
        claim = work.alice[name]
        work.alice[name] = service.update_claim(dataclasses.replace(
            claim, source_id=source.id, source_name=source.name))
    yield Project(service, ReviewService(service), work)
    service.close()


def _sort_every_column(view: QTableView) -> None:
    view.setSortingEnabled(True)
    for column in range(view.model().columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            view.sortByColumn(column, order)


# Sources panel ----------------------------------------------------------------------------

@pytest.mark.parametrize("checked", ["sources", "proxy", "claims"])
def test_source_panel_models(qtbot, check_model, project: Project, checked: str) -> None:  # type: ignore[no-untyped-def]
    panel = SourcePanel()
    qtbot.addWidget(panel)
    check_model({"sources": panel.sources, "proxy": panel.proxy,
                 "claims": panel.claims}[checked])
    check_model(panel.grade_combo.model())
    panel.set_codebook(default_codebook())
    panel.set_service(project.service)
    assert panel.proxy.rowCount() == 2
    _sort_every_column(panel.source_table)
    merics = project.service.source_named("MERICS")
    assert merics is not None
    assert panel.select_source(merics.id)
    assert panel.claims.rowCount() == 2
    panel.claim_table.selectRow(1)
    project.service.grade_source(merics.id, "C")
    panel.refresh()                                   # keeps the source and the claim
    assert panel.current_source_id() == merics.id and panel.current_claim_id()
    panel.filter_edit.setText("reut")
    assert panel.proxy.rowCount() == 1 and panel.claims.rowCount() == 0
    panel.filter_edit.setText("nobody")
    panel.filter_edit.clear()
    panel.set_codebook(default_codebook())
    panel.sources.set_codebook(default_codebook())
    panel.set_service(None)
    assert panel.proxy.rowCount() == 0 and panel.claims.rowCount() == 0


def test_source_models_on_a_project_without_sources(qtbot, check_model,  # type: ignore[no-untyped-def]
                                                    seeded_project: Path) -> None:
    panel = SourcePanel()
    qtbot.addWidget(panel)
    check_model(panel.proxy)
    check_model(panel.claims)
    service = ProjectService.open(seeded_project)
    try:
        panel.set_service(service)
        assert panel.sources.rowCount() == 0
        _sort_every_column(panel.source_table)
        panel.filter_edit.setText("x")
        panel.refresh()
    finally:
        panel.set_service(None)
        service.close()


# Review: compare panel, agreement panel ----------------------------------------------------

@pytest.mark.parametrize("checked", ["units", "analysts", "details"])
def test_compare_panel_models(qtbot, check_model, project: Project, checked: str) -> None:  # type: ignore[no-untyped-def]
    panel = ComparePanel()
    qtbot.addWidget(panel)
    check_model({"units": panel.units, "analysts": panel.analysts.model(),
                 "details": panel.details.model()}[checked])
    check_model(panel.filter.model())
    codebook = default_codebook()
    panel.set_codebook(codebook)
    panel.set_analysts(project.review.analysts(), ANALYSTS, COLOURS)
    document = project.document
    compared = project.review.compare(ANALYSTS, document_ids=[document.id])
    units = list(compared.documents[document.id].units)
    assert len(units) == 6
    panel.set_units(units, text=document.text, decisions={}, analysts=2)
    assert panel.units.rowCount() == 6
    panel.select_row(2)
    unit = units[2]
    panel.show_details(unit, ANALYSTS, None, {})
    # alice's claim accepted, then the unit shown again with its decision.
    claims = list(unit.claims.values())
    decision = adjudicate(Decision.ACCEPT, claims, adjudicator="carol", span_from=claims[0])
    decisions = {claim.id: decision for claim in claims}
    panel.set_units(units, text=document.text, decisions=decisions, analysts=2,
                    keep=claims[0].id)
    assert panel.current_unit() is unit
    assert panel.units.index(2, 4).data().startswith("Accepted")
    panel.show_details(unit, ANALYSTS, decision.gold, {claims[0].id: 2})
    panel.set_chosen(["alice"])
    panel.set_units([u for u in units if "alice" in u.claims], text=document.text,
                    decisions=decisions, analysts=1)
    panel.set_analysts([], (), {})
    panel.set_units([], text="", decisions={}, analysts=0)
    panel.show_details(None, (), None, {})
    assert panel.units.rowCount() == 0


def test_agreement_model(qtbot, check_model, project: Project) -> None:  # type: ignore[no-untyped-def]
    panel = AgreementPanel()
    qtbot.addWidget(panel)
    check_model(panel.model)
    panel.set_report(None, None)
    report = project.review.agreement(ANALYSTS, codebook=default_codebook())
    panel.set_report(report, project.document.id)
    rows = panel.model.rowCount()
    assert rows >= 4
    panel.set_scope(CORPUS)
    panel.set_scope(DOCUMENT)
    panel.set_report(report, "no such document")           # nothing for this document
    assert panel.model.rowCount() == 0
    overlap = project.review.agreement(ANALYSTS, Matching("jaccard", 0.3),
                                       codebook=default_codebook())
    panel.set_report(overlap, project.document.id)
    assert panel.model.rowCount() == rows
    panel.set_report(None, None)
    assert panel.model.rowCount() == 0


# The legend ----------------------------------------------------------------------------------

@pytest.mark.parametrize("checked", ["labels", "colour_by"])
def test_legend_models(qtbot, check_model, project: Project, checked: str) -> None:  # type: ignore[no-untyped-def]
    legend = LegendPanel()
    qtbot.addWidget(legend)
    check_model(legend.labels.model() if checked == "labels" else legend.colour_by.model())
    claims = project.service.claims(project.document.id)
    legend.set_codebook(default_codebook())
    legend.update_counts(claims)
    legend.set_label_shown("refutes", False)
    assert not legend.shows(project.work.bob["H800"])
    legend.adjust_counts(claims[0], dataclasses.replace(claims[0], stance="refutes"))
    legend.adjust_counts(None, claims[1])
    legend.adjust_counts(claims[1], None)
    legend.set_dimension(Dimension.SOURCE_RELIABILITY)
    legend.update_counts(claims)
    legend.show_all.click()
    legend.set_codebook(default_codebook())                  # keeps the dimension
    legend.update_counts([])
    assert "0 claims" in legend.summary.text()


# Review dialogs --------------------------------------------------------------------------

@pytest.mark.parametrize("checked", ["span_from", "labels_from"])
def test_merge_dialog_models(qtbot, check_model, project: Project, checked: str) -> None:  # type: ignore[no-untyped-def]
    compared = project.review.compare(ANALYSTS, document_ids=[project.document.id])
    unit = next(u for u in compared.documents[project.document.id].units if len(u.claims) == 2)
    dialog = MergeDialog(unit, default_codebook())
    qtbot.addWidget(dialog)
    check_model(getattr(dialog, checked).model())
    assert getattr(dialog, checked).count() == 2
    dialog.set_choice("bob", "alice")
    assert dialog.choice() == ("bob", "alice")


@pytest.mark.parametrize("checked", ["span", "base", "stance", "proposition"])
def test_gold_claim_dialog_models(qtbot, check_model, project: Project, checked: str) -> None:  # type: ignore[no-untyped-def]
    work = project.work
    claims = {"alice": work.alice["LOSS"], "bob": work.bob["LOSS"]}
    dialog = GoldClaimDialog(default_codebook(), project.document.text, claims=claims,
                             selection=(10, 20), propositions=["Chips", "Markets"])
    qtbot.addWidget(dialog)
    combo = (dialog.combos[Dimension.STANCE] if checked == "stance"
             else getattr(dialog, checked))
    check_model(combo.model())
    dialog.set_span_choice("overlap")
    dialog.set_base("bob")
    dialog.set_label(Dimension.STANCE, "refutes")
    dialog.proposition.setCurrentText("New proposition")
    claim = dialog.claim()
    assert claim.stance == "refutes"
    gold = GoldClaimDialog(default_codebook(), project.document.text, gold=claim)
    qtbot.addWidget(gold)
    check_model(gold.span.model())
    assert gold.span.count() == 1


def test_comment_dialog_models(qtbot, check_model, project: Project) -> None:  # type: ignore[no-untyped-def]
    review = project.review
    claims = {"alice": project.work.alice["H800"], "bob": project.work.bob["H800"]}
    review.add_comment(ReviewComment.new(claims["alice"].id, "dave", "Check the figure"))
    dialog = CommentDialog(claims, "carol", review.comments, lambda c: review.delete_comment(c.id))
    qtbot.addWidget(dialog)
    check_model(dialog.earlier.model())
    check_model(dialog.claim.model())
    assert dialog.earlier.count() == 1
    mine = review.add_comment(ReviewComment.new(claims["alice"].id, "carol", "Source?"))
    dialog.refresh()
    assert dialog.earlier.count() == 2
    dialog.earlier.setCurrentRow([c.id for c in review.comments(claims["alice"].id)]
                                 .index(mine.id))
    dialog.delete_button.click()
    assert dialog.earlier.count() == 1
    dialog.claim.setCurrentIndex(1)                       # bob's claim: no comments
    assert dialog.earlier.count() == 0


@pytest.mark.parametrize("empty", [False, True])
def test_my_comments_model(qtbot, check_model, project: Project, empty: bool) -> None:  # type: ignore[no-untyped-def]
    review = project.review
    if not empty:
        for name in ("NASDAQ", "CNY"):
            review.add_comment(ReviewComment.new(project.work.alice[name].id, "carol",
                                                 f"About {name}"))
    rows = [(comment, claim, project.document.title)
            for comment, claim in review.comments_for("alice")]
    assert len(rows) == (0 if empty else 2)
    dialog = MyCommentsDialog("alice", rows)
    qtbot.addWidget(dialog)
    check_model(dialog.table.model())
    dialog.table.sortItems(0)


def test_claim_history_model(qtbot, check_model, project: Project) -> None:  # type: ignore[no-untyped-def]
    service = project.service
    claim = project.work.alice["NASDAQ"]
    newer = claim.edited(stance="refutes", note="after the call")
    service.merge_claims([newer])                     # bob's newer edit, imported
    history = project.review.history(claim.id)
    assert len(history) == 1
    dialog = ClaimHistoryDialog(newer, history)
    qtbot.addWidget(dialog)
    check_model(dialog.table.model())
    assert dialog.table.rowCount() == 2
    never = ClaimHistoryDialog(project.work.bob["NASDAQ"], [])
    qtbot.addWidget(never)
    check_model(never.table.model())


# Claims to place ----------------------------------------------------------------------------

def test_unplaced_claims_model(qtbot, check_model, project: Project) -> None:  # type: ignore[no-untyped-def]
    service = project.service
    document = project.document
    text = document.text.replace(NASDAQ, "The index fell")    # NASDAQ's claims lose their text
    service.add_version(document.id, Document.from_text(text, title=document.title))
    unplaced = service.unplaced_claims()
    assert {claim.quote for claim, _newest in unplaced} == {NASDAQ}
    dialog = UnplacedDialog()
    qtbot.addWidget(dialog)
    check_model(dialog.list.model())
    dialog.set_claims(unplaced)
    assert dialog.list.count() == 2
    dialog.set_claims(unplaced[1:])
    dialog.set_claims([])
    assert dialog.list.count() == 0

