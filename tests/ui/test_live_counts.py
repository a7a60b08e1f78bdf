"""A colleague working in documents other than the open one: the document list's
claim and "To do" counts and statuses follow at the window's next look, on a
project file and on the team server, and the open document is not shown again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.analysts import ShownAnalysts
from annotator.domain.model import Claim, Document, Source
from annotator.services.project import ProjectService
from annotator.ui.item_models import DocumentListModel
from annotator.ui.main_window import MainWindow
from annotator.ui.settings import UiSettings
from tests.postgres import Server

OPEN = "The minister said prices rose by 12 percent last year, and wages fell."
OTHER = "Wages fell by two percent, the union said, and rents rose again."
THIRD = "Nothing happens in this one."


@pytest.fixture(params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """A project holding three documents: a file, or a schema on the test server."""
    if request.param == "sqlite":
        where: str | Path = tmp_path / "live.annotator.sqlite"
        name = None
    else:
        server: Server = request.getfixturevalue("postgres")
        name, where = server.create_schema()
    service = ProjectService.open(where, create=True)
    try:
        for text, title in ((OPEN, "Prices"), (OTHER, "Wages"), (THIRD, "Quiet")):
            service.add_document(Document.from_text(text, title=title))
    finally:
        service.close()
    yield where
    if name is not None:
        request.getfixturevalue("postgres").drop_schema(name)


@pytest.fixture
def shown(qtbot, location: str | Path, ui_settings: UiSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window on the project showing "Prices" with a claim of alice's current."""
    window = MainWindow(ui_settings)
    qtbot.addWidget(window)
    window.set_service(ProjectService.open(location))
    window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.reveal_document(_id(window, "Prices"))
    start = OPEN.index("prices rose")
    window.view.select_span(start, start + len("prices rose"))
    assert window.mark_claim() is not None
    yield window
    window.close_project()
    window.close()


def _id(window: MainWindow, title: str) -> str:
    return next(d for d, t in window.document_titles().items() if t == title)


def _row(window: MainWindow, title: str) -> tuple[str, str, str]:
    """Status, Claims and To do as the document list shows them (sorted view)."""
    proxy = window.document_proxy
    for row in range(proxy.rowCount()):
        cells = [proxy.index(row, c).data() for c in range(len(DocumentListModel.HEADERS))]
        if cells[0] == title:
            return cells[1], str(cells[2]), str(cells[3])
    raise AssertionError(f"no row {title!r}")


def _on(document: Document, quote: str, annotator: str = "bob", **labels: object) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=annotator, **labels)


class Reshown:
    """Counts the times the window puts a document's claims in the viewer afresh."""

    def __init__(self, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for name in ("open", "show"):
            original = getattr(window.shown, name)

            def counted(*args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
                self.count += 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(window.shown, name, counted)


def test_counts_of_other_documents_follow_a_colleague(shown: MainWindow, location,  # type: ignore[no-untyped-def]
                                                      monkeypatch) -> None:
    window = shown
    mine = window.shown.current
    assert mine is not None
    reshown = Reshown(window, monkeypatch)
    ids_shown = set(window.view.claim_ids())
    assert _row(window, "Wages") == ("New", "0", "0")
    assert _row(window, "Prices") == ("In progress", "1", "1")
    colleague = ProjectService.open(location)
    try:
        other = colleague.document(_id(window, "Wages"))
        union = colleague.add_source(Source.new("The union"))
        done = colleague.add_claim(_on(other, "Wages fell", claim_type="quantity",
                                       proposition="Wages fell", stance="supports",
                                       source_reliability="B", info_credibility=2,
                                       source_id=union.id))
        loose = colleague.add_claim(_on(other, "two percent"))
        colleague.add_claim(_on(other, "rents rose", "carol"))
        colleague.set_document_status(other.id, "done")

        assert window.live.poll()
        assert _row(window, "Wages") == ("Done", "3", "2")
        assert window.progress_label.text() == "4 claims"

        # Labelled, deleted: the counts follow again; the quiet document stays as it was.
        colleague.update_claim(colleague.claim(loose.id).edited(
            claim_type="quantity", proposition="Wages fell", stance="refutes",
            source_reliability="C", info_credibility=3, source_id=union.id))
        colleague.delete_claim(done.id)
        assert window.live.poll()
        assert _row(window, "Wages") == ("Done", "2", "1")
        assert _row(window, "Quiet") == ("New", "0", "0")
        assert window.progress_label.text() == "3 claims"
    finally:
        colleague.close()

    # The open document was not shown again: same claims, the same one current.
    assert reshown.count == 0
    assert set(window.view.claim_ids()) == ids_shown
    assert window.shown.current is not None and window.shown.current.id == mine.id
    assert window.current_document is not None and window.current_document.title == "Prices"
    assert _row(window, "Prices") == ("In progress", "1", "1")


def test_counts_keep_to_the_analysts_shown(shown: MainWindow, location) -> None:  # type: ignore[no-untyped-def]
    """With only alice's own claims shown, bob's work elsewhere counts for nothing;
    hers, saved from another window, counts."""
    window = shown
    window.identity.set_shown(ShownAnalysts(window.settings.annotator_name()))
    colleague = ProjectService.open(location)
    try:
        other = colleague.document(_id(window, "Wages"))
        colleague.add_claim(_on(other, "Wages fell"))
        window.live.poll()
        assert _row(window, "Wages") == ("New", "0", "0")
        colleague.add_claim(_on(other, "two percent", "alice"))
        assert window.live.poll()
        assert _row(window, "Wages") == ("New", "1", "1")
    finally:
        colleague.close()
    window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
    assert _row(window, "Wages") == ("New", "2", "2")


def test_the_timer_brings_the_counts_without_a_call(qtbot, shown: MainWindow,  # type: ignore[no-untyped-def]
                                                    location) -> None:
    """Nothing calls the poll here: the window's own timer (or, on the team
    server, the listener's wake-up) does."""
    window = shown
    colleague = ProjectService.open(location)
    try:
        other = colleague.document(_id(window, "Quiet"))
        colleague.add_claim(_on(other, "Nothing happens"))
    finally:
        colleague.close()
    qtbot.waitUntil(lambda: _row(window, "Quiet") == ("New", "1", "1"), timeout=6000)


def test_a_blind_documents_count_keeps_to_ones_own_claims(shown: MainWindow,  # type: ignore[no-untyped-def]
                                                          location) -> None:
    """Blind double coding: a document assigned to alice and bob counts only
    alice's claims for her, so bob's work there does not reach her list live
    either; on a document that is not blind it does."""
    from annotator.services.assignments import AssignmentService

    window = shown
    colleague = ProjectService.open(location)
    try:
        wages = colleague.document(_id(window, "Wages"))
        quiet = colleague.document(_id(window, "Quiet"))
        AssignmentService(colleague).assign(["alice", "bob"], 1.0, document_ids=[wages.id],
                                            assigned_by="dave")
        window.reload_documents()
        assert wages.id in window.assignments.blind_documents()
        colleague.add_claim(_on(wages, "Wages fell"))
        colleague.add_claim(_on(quiet, "Nothing happens"))
        assert window.live.poll()
        assert _row(window, "Quiet")[1:] == ("1", "1")
        assert _row(window, "Wages")[1:] == ("0", "0")
        colleague.add_claim(_on(wages, "two percent", "alice"))     # hers, elsewhere
        window.live.poll()
        window.reload_documents()
        assert _row(window, "Wages")[1:] == ("1", "1")
        colleague.add_claim(_on(wages, "rents rose"))
        window.live.poll()
        assert _row(window, "Wages")[1:] == ("1", "1")
    finally:
        colleague.close()
