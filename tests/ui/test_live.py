"""Working beside a colleague on one project: a conflicting edit is refused with
both versions and the stored one shown; undo and redo keep working on one's own
edits."""

from __future__ import annotations

from annotator.domain.analysts import ShownAnalysts
from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.ui import plain
from annotator.ui.main_window import MainWindow
from tests.ui.conftest import mark_quote, open_document_containing, stored_claim, type_note


def _colleague(window: MainWindow) -> ProjectService:
    assert window.service is not None
    return ProjectService.open(window.service.location)


def test_a_conflicting_edit_shows_both_versions_and_the_stored_one(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    steps = window.undo_stack.count()
    colleague = _colleague(window)
    try:
        colleague.update_claim(colleague.claim(claim_id).edited(note="colleague's note"))
    finally:
        colleague.close()

    type_note(qtbot, window, "my note")

    assert len(messages) == 1
    message = messages[0]
    assert "changed meanwhile" in message and "version 2" in message
    assert "Stored: note: colleague's note" in message and "Yours: note: my note" in message
    stored = stored_claim(window, claim_id)
    assert stored.note == "colleague's note" and stored.version == 2
    # The stored version is what the window shows now; no step was recorded.
    assert window.shown.claim(claim_id).note == "colleague's note"   # type: ignore[union-attr]
    assert window.editor.note.toPlainText() == "colleague's note"
    assert window.undo_stack.count() == steps

    # The edit made again on the stored version is saved, and undo/redo work.
    messages.clear()
    type_note(qtbot, window, "mine, on theirs")
    assert stored_claim(window, claim_id).note == "mine, on theirs"
    window.undo_stack.undo()
    assert stored_claim(window, claim_id).note == "colleague's note"
    window.undo_stack.redo()
    assert stored_claim(window, claim_id).note == "mine, on theirs"
    assert messages == []


def test_undo_of_an_edit_a_colleague_changed_since_is_refused(
        qtbot, window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    monkeypatch.setattr(plain, "fail", lambda _parent, _title, text: messages.append(text))
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    type_note(qtbot, window, "mine")
    steps = window.undo_stack.count()
    colleague = _colleague(window)
    try:
        colleague.update_claim(colleague.claim(claim_id).edited(note="theirs"))
    finally:
        colleague.close()
    window.undo_stack.undo()
    assert messages and "changed meanwhile" in messages[0]
    assert stored_claim(window, claim_id).note == "theirs"
    assert window.undo_stack.count() == steps - 1      # the step that failed is gone
    assert window.shown.claim(claim_id).note == "theirs"   # type: ignore[union-attr]


def test_own_edits_undo_and_redo_through_every_version(qtbot, window: MainWindow,
                                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each undo and redo is a save of its own: they write on the version the
    step last saved, so a run of them back and forth never conflicts."""
    messages: list[str] = []
    monkeypatch.setattr(plain, "show_message",
                        lambda _parent, _icon, _title, text, *_a, **_k: messages.append(text))
    text = open_document_containing(window, "Nasdaq plummeted")
    claim_id = mark_quote(window, text, "Nasdaq plummeted")
    type_note(qtbot, window, "first")
    window.set_label(Dimension.STANCE, "refutes")
    window.set_label(Dimension.SOURCE_RELIABILITY, "B")
    steps = window.undo_stack.count()
    assert steps == 4 and stored_claim(window, claim_id).version == 4
    for _ in range(3):
        window.undo_stack.undo()
    bare = stored_claim(window, claim_id)
    assert (bare.note, bare.stance, bare.source_reliability) == ("", None, None)
    for _ in range(3):
        window.undo_stack.redo()
    final = stored_claim(window, claim_id)
    assert (final.note, final.stance, final.source_reliability) == ("first", "refutes", "B")
    assert final.version == 10 and window.undo_stack.count() == steps
    assert window.shown.claim(claim_id).version == 10   # type: ignore[union-attr]


def test_a_colleagues_work_appears_without_a_restart(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """A second service (a colleague) adds, edits and deletes claims in the open
    document and finishes another document: the window shows it within seconds,
    claim by claim, with the analyst's current claim still current."""
    window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
    text = open_document_containing(window, "Nasdaq plummeted")
    mine = mark_quote(window, text, "Nasdaq plummeted")
    document = window.current_document
    assert document is not None
    doomed = mark_quote(window, text, "three percent")
    window.shown.select(mine)
    others = [d for d in window.service.documents() if d.id != document.id]  # type: ignore[union-attr]
    colleague = _colleague(window)
    try:
        start = text.index("Monday")
        added = colleague.add_claim(Claim.new(colleague.document(document.id), start,
                                              start + 6, annotator="colleague"))
        colleague.update_claim(colleague.claim(mine).edited(note="seen by a colleague"))
        colleague.delete_claim(doomed)
        colleague.set_document_status(others[0].id, "done")
    finally:
        colleague.close()

    qtbot.waitUntil(lambda: added.id in window.view.claim_ids(), timeout=6000)
    qtbot.waitUntil(lambda: doomed not in window.view.claim_ids(), timeout=6000)
    assert window.claims.rowCount() == 2
    assert window.claims.versions() == {mine: 2, added.id: 1}
    assert window.shown.claim(mine).note == "seen by a colleague"   # type: ignore[union-attr]
    assert window.shown.current is not None and window.shown.current.id == mine
    assert window.editor.note.toPlainText() == "seen by a colleague"
    qtbot.waitUntil(lambda: window.document_panel.status(others[0].id) == "done", timeout=6000)
    # The colleague's change is known: the analyst's next edit is saved on it.
    type_note(qtbot, window, "and by me")
    assert stored_claim(window, mine).note == "and by me"


def test_a_colleagues_claim_stays_out_while_only_own_work_is_shown(
        qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """The analyst filter holds for what arrives live: a colleague's new claim is
    not shown (nor counted, again and again) while the window shows "My claims",
    and appears once "All analysts" is chosen."""
    window.identity.set_shown(ShownAnalysts(window.settings.annotator_name()))
    text = open_document_containing(window, "Nasdaq plummeted")
    document = window.current_document
    assert document is not None
    counted = window.document_panel.model.info(
        window.document_panel.model.row_of(document.id)).claim_count
    colleague = _colleague(window)
    try:
        start = text.index("Monday")
        added = colleague.add_claim(Claim.new(colleague.document(document.id), start,
                                              start + 6, annotator="colleague"))
    finally:
        colleague.close()
    for _ in range(3):
        window.live.poll()
        mark_quote(window, text, "Nasdaq")          # own commits: the probe fires
    assert added.id not in window.view.claim_ids()
    assert window.document_panel.model.info(
        window.document_panel.model.row_of(document.id)).claim_count == counted + 3
    window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
    assert added.id in window.view.claim_ids()


def test_the_shown_versions_are_read_without_making_claims(window: MainWindow) -> None:
    """The poll compares versions every few seconds: a document opened with many
    claims (made lazily, as rows are shown) keeps its unmade claims unmade."""
    from annotator.domain.lazy_claims import LazyClaims

    assert window.service is not None
    window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
    document = window.service.documents()[0]
    text = window.service.document(document.id).text
    colleague = _colleague(window)
    try:
        made = [colleague.add_claim(Claim.new(colleague.document(document.id), n, n + 3,
                                              annotator="colleague")) for n in range(0, 90, 3)]
        colleague.update_claim(made[5].edited(note="twice"))
    finally:
        colleague.close()
    window.show_document(document.id)
    source = window.claims._source
    assert isinstance(source, LazyClaims) and len(text) > 90
    before = source.made()
    versions = window.claims.versions()
    assert versions == {c.id: (2 if c.id == made[5].id else 1) for c in made}
    assert source.made() == before


def test_on_a_team_server_a_save_wakes_the_window_at_once(qtbot, window: MainWindow,
                                                          postgres) -> None:  # type: ignore[no-untyped-def]
    """LISTEN/NOTIFY: with the poll timer stopped, a colleague's claim still
    appears (the listener's wake-up makes the window look)."""
    name, url = postgres.create_schema()
    try:
        seeding = ProjectService.open(url, create=True)
        try:
            text = "Prices rose by twelve percent, the minister said."
            document = seeding.add_document(Document.from_text(text, title="Prices")).document
        finally:
            seeding.close()
        window.set_service(ProjectService.open(url))
        window.identity.set_shown(ShownAnalysts.everyone(window.settings.annotator_name()))
        assert window.live.listening
        window.live.timer.stop()                  # no polling: only the wake-up
        window.show_document(document.id)
        colleague = ProjectService.open(url)
        try:
            added = colleague.add_claim(Claim.new(document, 0, 6, annotator="colleague"))
        finally:
            colleague.close()
        qtbot.waitUntil(lambda: added.id in window.view.claim_ids(), timeout=5000)
        window.close_project()
        assert not window.live.listening
    finally:
        window.close_project()
        postgres.drop_schema(name)
