"""Colleagues' work beyond their claims, seen live by an open window (on a
project file and on the team server): documents they import or replace by a new
version, assignments made or marked done (a blind document's colleagues' claims
added when the last assignee is done), and claim links (the Elsewhere panel).
Nothing here shows the open document again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.model import Document
from annotator.domain.review import Decision, adjudicate
from annotator.services import links
from annotator.services.assignments import AssignmentService
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.sample import import_sample_corpus
from annotator.ui.item_models import DocumentListModel
from annotator.ui.main_window import MainWindow
from tests.review.scenario import NASDAQ, TwoAnalysts, add_two_analysts
from tests.ui.test_live_counts import (  # noqa: F401  (fixtures)
    OPEN,
    OTHER,
    Reshown,
    _id,
    _on,
    location,
    shown,
)
from tests.ui.test_review_ui import select_unit

ASSIGNED = DocumentListModel.HEADERS.index("Assigned")
WAIT_MS = 6000         # the 2 s poll (or the team server's wake-up), with room


def _assigned(window: MainWindow, document_id: str) -> str:
    row = window.documents.row_of(document_id)
    assert row is not None
    return window.documents.index(row, ASSIGNED).data()


def _analysts(window: MainWindow) -> set[str]:
    return {c.annotator for c in window.shown.claims()}


def _cluster(window: MainWindow) -> set[str]:
    view = window.elsewhere.panel.view
    return {a.claim.id for a in view.cluster} if view is not None else set()


def test_a_colleagues_import_and_new_version_appear(qtbot, shown: MainWindow, location,  # type: ignore[no-untyped-def]  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    window = shown
    reshown = Reshown(window, monkeypatch)
    opened = window.current_document
    assert opened is not None
    wages = _id(window, "Wages")
    colleague = ProjectService.open(location)
    try:
        colleague.add_document(Document.from_text("Rents rose again in the capital.",
                                                  title="Rents"))
        report = colleague.add_version(wages, Document.from_text(
            OTHER + " The union will strike.", title="Wages"))
    finally:
        colleague.close()
    # Nothing calls the poll: the window's timer (or the listener) does.
    qtbot.waitUntil(lambda: "Rents" in window.document_titles().values(), timeout=WAIT_MS)
    titles = window.document_titles()
    newer = next(d for d, t in titles.items() if t == "Wages" and d != wages)
    assert newer == report.document.id
    row = window.documents.row_of(wages)
    assert row is not None and window.documents.info(row).superseded
    assert window.documents.index(row, 0).data() == "Wages (old version)"
    # The open document stayed open and was not shown again; its claim is current.
    assert window.current_document is not None and window.current_document.id == opened.id
    assert reshown.count == 0
    assert window.shown.current is not None
    assert window.details.info_labels["version"].text() == "first version"

    # The open document itself replaced: its claim moves to the new version (gone
    # from this one, claim by claim), and the Version line and status bar say so.
    mine = window.shown.current
    colleague = ProjectService.open(location)
    try:
        newest = colleague.add_version(opened.id, Document.from_text(
            OPEN + " Prices fell later.", title="Prices")).document
    finally:
        colleague.close()
    qtbot.waitUntil(lambda: window.details.info_labels["version"].text()
                    == "replaced by a newer version", timeout=WAIT_MS)
    assert "newer version" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.shown.claim(mine.id) is None, timeout=WAIT_MS)
    assert newest.id in window.document_titles()
    assert window.current_document is not None and window.current_document.id == opened.id
    assert reshown.count == 0


def test_assignments_and_the_blind_state_follow_colleagues(qtbot, shown: MainWindow,  # type: ignore[no-untyped-def]  # noqa: F811
                                                           location,  # noqa: F811
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    window = shown
    me = window.settings.annotator_name()
    prices = _id(window, "Prices")
    mine = window.shown.current
    assert mine is not None and mine.annotator == me
    colleague = ProjectService.open(location)
    try:
        document = colleague.document(prices)
        bobs = colleague.add_claim(_on(document, "wages fell"))
        qtbot.waitUntil(lambda: _analysts(window) == {me, "bob"}, timeout=WAIT_MS)
        assert window.document_list.isColumnHidden(ASSIGNED)
        reshown = Reshown(window, monkeypatch)

        # The admin's `team assign`: the open document becomes blind for her.
        AssignmentService(colleague).assign([me, "bob"], 1.0, document_ids=[prices],
                                            assigned_by="dave")
        qtbot.waitUntil(lambda: not window.document_list.isColumnHidden(ASSIGNED),
                        timeout=WAIT_MS)
        qtbot.waitUntil(lambda: _analysts(window) == {me}, timeout=WAIT_MS)
        assert _assigned(window, prices) == "Assigned"
        assert window.shown.claim(bobs.id) is None
        assert window.shown.current is not None and window.shown.current.id == mine.id

        # Her part marked done elsewhere (her other app, the CLI), then bob's in his.
        AssignmentService(colleague).set_done(prices, me)
        qtbot.waitUntil(lambda: _assigned(window, prices) == "Done (waiting for 1)",
                        timeout=WAIT_MS)
        assert _analysts(window) == {me}
        AssignmentService(colleague).set_done(prices, "bob")
        qtbot.waitUntil(lambda: _analysts(window) == {me, "bob"}, timeout=WAIT_MS)
        assert _assigned(window, prices) == "Done"
        qtbot.wait(50)          # the document list's columns fit (on a zero timer)
        window.grab().save("/tmp/live-assignments.png")
        assert window.shown.claim(bobs.id) is not None
        row = window.documents.row_of(prices)
        assert row is not None and window.documents.info(row).claim_count == 2
        # Claims were added and removed one by one: the document was not shown again.
        assert reshown.count == 0
        assert window.shown.current is not None and window.shown.current.id == mine.id
    finally:
        colleague.close()


def test_the_elsewhere_panel_follows_a_colleagues_links(qtbot, shown: MainWindow,  # type: ignore[no-untyped-def]  # noqa: F811
                                                        location) -> None:  # noqa: F811
    window = shown
    mine = window.shown.current
    assert mine is not None
    window.elsewhere.dock.show()
    window.elsewhere.refresh()
    assert _cluster(window) == {mine.id}        # no links yet
    colleague = ProjectService.open(location)
    try:
        wages = colleague.document(_id(window, "Wages"))
        theirs = colleague.add_claim(_on(wages, "rents rose"))
        link = links.add_link(colleague, mine.id, theirs.id, "same", analyst="bob")
        qtbot.waitUntil(lambda: _cluster(window) == {mine.id, theirs.id}, timeout=WAIT_MS)
        links.remove_link(colleague, link.id)
        qtbot.waitUntil(lambda: _cluster(window) == {mine.id}, timeout=WAIT_MS)
    finally:
        colleague.close()
    assert window.shown.current is not None and window.shown.current.id == mine.id


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """The bundled sample corpus: a project file, or a schema on the test server."""
    name = None
    if request.param == "sqlite":
        where: str | Path = tmp_path / "gold.annotator.sqlite"
    else:
        name, where = request.getfixturevalue("postgres").create_schema()
    service = ProjectService.open(where, create=True)
    try:
        import_sample_corpus(service)
    finally:
        service.close()
    yield where
    if name is not None:
        request.getfixturevalue("postgres").drop_schema(name)


@pytest.fixture
def reviewing(qtbot, seeded, ui_settings) -> Iterator[tuple[MainWindow, TwoAnalysts]]:  # type: ignore[no-untyped-def]
    """carol reviewing alice's and bob's claims on the MERICS briefing, the gold
    layer shown, with one decision of hers (its gold claim current)."""
    service = ProjectService.open(seeded)
    try:
        work = add_two_analysts(service)
    finally:
        service.close()
    ui_settings.set_annotator_name("carol")
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.set_service(ProjectService.open(seeded))
    window.show()
    window.reveal_document(work.document.id)
    window.review.compare_action.trigger()
    window.review.gold_action.trigger()
    assert window.review.active and window.review.gold_shown
    yield window, work
    window.close_project()
    window.close()


def test_another_reviewers_gold_decisions_appear(qtbot, reviewing,  # type: ignore[no-untyped-def]
                                                 seeded,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    window, work = reviewing
    select_unit(window, NASDAQ)
    made = window.review.decisions.accept("alice")
    assert made is not None and made.gold is not None
    mine = made.gold
    window.select_claim(mine.id)
    reshown = Reshown(window, monkeypatch)
    colleague = ProjectService.open(seeded)
    try:
        dave = ReviewService(colleague)
        cny = [work.alice["CNY"], work.bob["CNY"]]
        theirs = dave.add_adjudication(adjudicate(Decision.ACCEPT, cny, adjudicator="dave",
                                                  span_from=cny[1]))
        assert theirs.gold is not None
        qtbot.waitUntil(lambda: window.shown.claim(theirs.gold.id) is not None,
                        timeout=WAIT_MS)
        assert theirs.id in {a.id for a in window.review.adjudications}
        window.grab().save("/tmp/live-gold.png")
        # dave edits carol's gold claim: the table, viewer and panel show his.
        dave.update_gold(dave.gold_claim(mine.id).edited(note="dave checked"))
        qtbot.waitUntil(lambda: (window.shown.claim(mine.id) or mine).note == "dave checked",
                        timeout=WAIT_MS)
        assert window.editor.note.toPlainText() == "dave checked"
        row = window.claims.row_of(mine.id)
        assert row is not None and window.claims.claim_at(row).version == 2
        # ... and takes his decision back: its gold claim goes.
        dave.remove_adjudication(theirs.id)
        qtbot.waitUntil(lambda: window.shown.claim(theirs.gold.id) is None, timeout=WAIT_MS)
        assert theirs.id not in {a.id for a in window.review.adjudications}
    finally:
        colleague.close()
    assert reshown.count == 0
    assert window.shown.current is not None and window.shown.current.id == mine.id
