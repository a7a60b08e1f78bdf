"""A colleague's saves, seen from another service on the same project (two
windows, two processes' worth of connections): claims added, edited, deleted,
document statuses and the codebook; on SQLite and on the team server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim, Document, Source
from annotator.services.codebook import CodebookService
from annotator.services.live import changes_since, current_token
from annotator.services.project import ProjectService
from tests.services.test_codebook_service import relabelled

TEXT = "The minister said prices rose by 12 percent last year, and wages fell."


@pytest.fixture
def pair(project_location: str | Path) -> Iterator[tuple[ProjectService, ProjectService, Document]]:
    mine = ProjectService.open(project_location, create=True)
    theirs = ProjectService.open(project_location)
    try:
        document = mine.add_document(Document.from_text(TEXT, title="Prices")).document
        yield mine, theirs, document
    finally:
        theirs.close()
        mine.close()


def _claim(document: Document, quote: str, annotator: str = "bob") -> Claim:
    start = TEXT.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=annotator)


def test_nothing_changed_is_no_change(pair) -> None:  # type: ignore[no-untyped-def]
    mine, _theirs, document = pair
    mine.add_claim(_claim(document, "prices rose"))
    token = current_token(mine, document.id)
    changes = changes_since(mine, token, TEXT)
    assert not changes and changes.token == token


def test_a_colleagues_claims_statuses_and_codebook_show_up(pair) -> None:  # type: ignore[no-untyped-def]
    mine, theirs, document = pair
    kept = mine.add_claim(_claim(document, "prices rose", "ann"))
    doomed = mine.add_claim(_claim(document, "wages fell", "ann"))
    token = current_token(mine, document.id)

    added = theirs.add_claim(_claim(document, "12 percent"))
    edited = theirs.update_claim(theirs.claim(kept.id).edited(note="checked"))
    theirs.delete_claim(doomed.id)
    theirs.set_document_status(document.id, "done")
    codebooks = CodebookService(theirs.database)
    codebooks.apply(relabelled(codebooks.codebook(), Dimension.STANCE, "supports",
                               name="Backs"), "Rename supports")

    changes = changes_since(mine, token, TEXT)
    assert [c.id for c in changes.added] == [added.id]
    assert changes.added[0].quote == "12 percent" and changes.added[0].version == 1
    assert [(c.id, c.note, c.version) for c in changes.changed] == [(kept.id, "checked", 2)]
    assert edited.version == 2
    assert changes.removed == [doomed.id]
    assert changes.statuses == {document.id: ("done", "unreviewed")}
    assert changes.codebook
    # Asked again with the new token: nothing more.
    assert not changes_since(mine, changes.token, TEXT)


def test_own_saves_known_to_the_window_are_not_changes(pair) -> None:  # type: ignore[no-untyped-def]
    mine, _theirs, document = pair
    claim = mine.add_claim(_claim(document, "prices rose", "ann"))
    token = current_token(mine, document.id)
    saved = mine.update_claim(claim.edited(note="mine"))
    known = dataclasses.replace(token, claims={claim.id: saved.version})
    assert not changes_since(mine, known, TEXT)


def test_a_listener_wakes_on_a_colleagues_save(pair, backend: str) -> None:  # type: ignore[no-untyped-def]
    """On the team server a save wakes the other side at once (NOTIFY from the
    triggers of migration 0006); on SQLite there is nothing to listen to."""
    import threading

    from annotator.services.live import ChangeListener

    mine, theirs, document = pair
    woken = threading.Event()
    listener = ChangeListener(mine, woken.set)
    started = listener.start()
    try:
        assert started == (backend == "postgresql")
        if not started:
            return
        theirs.add_claim(_claim(document, "wages fell"))
        assert woken.wait(5), "no notification within 5 s"
    finally:
        listener.stop()
    assert not listener._thread


def test_the_probe_notices_any_commit_and_nothing_else(pair, backend: str) -> None:  # type: ignore[no-untyped-def]
    from annotator.services.live import ChangeProbe

    mine, theirs, document = pair
    probe = ChangeProbe(mine)
    try:
        assert probe.changed()                      # the first look always looks
        if backend == "postgresql":                 # no cheap probe there: always look
            assert probe.changed()
            return
        assert not probe.changed()
        mine.documents()                            # reading changes nothing
        assert not probe.changed()
        theirs.add_claim(_claim(document, "wages fell"))
        assert probe.changed() and not probe.changed()
        mine.set_document_status(document.id, "done")     # one's own commits count too
        assert probe.changed()
        probe.forget()
        assert probe.changed()
    finally:
        probe.close()


SECOND = "Wages fell by two percent, the union said, and rents rose again."


def test_a_colleagues_work_in_other_documents_changes_their_counts(pair) -> None:  # type: ignore[no-untyped-def]
    """The document list's counts of every document, the open one or not: claims
    added, labelled (the "To do" count), deleted; only the analysts counted."""
    mine, theirs, document = pair
    other = mine.add_document(Document.from_text(SECOND, title="Wages")).document
    kept = mine.add_claim(_claim(document, "prices rose", "ann"))
    token = current_token(mine, document.id)
    assert token.counts == {document.id: (1, 1)}

    def on_other(quote: str, annotator: str = "bob") -> Claim:
        start = SECOND.index(quote)
        return Claim.new(other, start, start + len(quote), annotator=annotator)

    first = theirs.add_claim(on_other("Wages fell"))
    theirs.add_claim(on_other("two percent"))
    theirs.add_claim(on_other("rents rose", "carol"))
    changes = changes_since(mine, token, TEXT)
    assert changes and not (changes.added or changes.changed or changes.removed)
    assert changes.counts == {other.id: (3, 3)}
    assert changes.token.counts == {document.id: (1, 1), other.id: (3, 3)}
    assert not changes_since(mine, changes.token, TEXT)

    # Labelling one completely takes it off the "To do" count; deleting one and
    # labelling ann's claim in the open document change both rows.
    theirs.update_claim(theirs.claim(first.id).edited(
        claim_type="quantity", proposition="Wages fell", stance="supports",
        source_reliability="B", info_credibility=2, source_id=theirs.add_source(
            Source.new("The union")).id))
    later = changes_since(mine, changes.token, TEXT)
    assert later.counts == {other.id: (3, 2)}
    theirs.delete_claim(first.id)
    theirs.update_claim(theirs.claim(kept.id).edited(note="seen"))     # still incomplete
    last = changes_since(mine, later.token, TEXT)
    assert last.counts == {other.id: (2, 2)}
    assert [c.id for c in last.changed] == [kept.id]

    # Counting only some analysts' claims (the window's "My claims" and choices).
    only_bob = current_token(mine, None, counted={"bob"})
    assert only_bob.counts == {other.id: (1, 1)}
    theirs.add_claim(on_other("union said", "carol"))
    assert not changes_since(mine, only_bob, None, counted={"bob"}).counts
    for claim in theirs.claims(other.id):
        theirs.delete_claim(claim.id)
    assert changes_since(mine, only_bob, None, counted={"bob"}).counts == {other.id: (0, 0)}


def test_documents_assignments_and_links_a_colleague_changed(pair, backend: str) -> None:  # type: ignore[no-untyped-def]
    """A new document or version, an assignment made or marked done, a link added
    or removed: each shows in the changes (links by the claims at their ends),
    and a look with nothing new after it reports nothing."""
    from annotator.services import links
    from annotator.services.assignments import AssignmentService

    mine, theirs, document = pair
    first = mine.add_claim(_claim(document, "prices rose", "ann"))
    second = mine.add_claim(_claim(document, "wages fell", "ann"))
    token = current_token(mine, None)
    assert not changes_since(mine, token)

    theirs.add_document(Document.from_text("Rents rose.", title="Rents"))
    changes = changes_since(mine, token)
    assert changes.documents and not changes.assignments and not changes.linked
    token = changes.token
    theirs.add_version(document.id, Document.from_text(TEXT + " More.", title="Prices"))
    changes = changes_since(mine, token)
    assert changes.documents
    token = changes.token
    newest = next(d for d in theirs.documents() if d.title == "Prices" and not d.superseded)
    assert not changes_since(mine, token)

    AssignmentService(theirs).assign(["ann", "bob"], 1.0, document_ids=[newest.id])
    changes = changes_since(mine, token)
    assert changes.assignments and not changes.documents
    token = changes.token
    AssignmentService(theirs).set_done(newest.id, "bob")
    changes = changes_since(mine, token)
    assert changes.assignments
    token = changes.token
    AssignmentService(theirs).set_done(newest.id, "bob", False)
    changes = changes_since(mine, token)
    assert changes.assignments
    token = changes.token

    link = links.add_link(theirs, first.id, second.id, "same", analyst="bob")
    changes = changes_since(mine, token)
    assert changes.linked == {first.id, second.id} and not changes.assignments
    token = changes.token
    assert not changes_since(mine, token)
    links.remove_link(theirs, link.id)
    changes = changes_since(mine, token)
    assert changes.linked == {first.id, second.id}
    assert not changes_since(mine, changes.token)


def test_another_reviewers_decisions_on_the_gold_document(pair) -> None:  # type: ignore[no-untyped-def]
    """With a gold document in the token, a decision made, its gold claim edited
    and a decision taken back by another reviewer show; others' documents' do not."""
    from dataclasses import replace

    from annotator.domain.review import Decision, adjudicate
    from annotator.services.review import ReviewService

    mine, theirs, document = pair
    first = mine.add_claim(_claim(document, "prices rose", "ann"))
    token = replace(current_token(mine, None), gold_document=document.id)
    assert not changes_since(mine, token)
    dave = ReviewService(theirs)
    made = dave.add_adjudication(adjudicate(Decision.ACCEPT, [first], adjudicator="dave",
                                            span_from=first))
    assert made.gold is not None
    changes = changes_since(mine, token)
    assert [a.id for a in changes.gold_added] == [made.id] and not changes.gold_changed
    assert changes.gold_added[0].gold == made.gold
    token = changes.token
    assert not changes_since(mine, token)
    edited = dave.update_gold(dave.gold_claim(made.gold.id).edited(note="checked"))
    changes = changes_since(mine, token)
    assert [a.gold for a in changes.gold_changed] == [edited] and not changes.gold_added
    token = changes.token
    dave.remove_adjudication(made.id)
    changes = changes_since(mine, token)
    assert changes.gold_removed == [made.id]
    assert not changes_since(mine, changes.token)
    # Without a gold document the decisions are not read.
    dave.add_adjudication(adjudicate(Decision.REJECT, [first], adjudicator="dave"))
    assert not changes_since(mine, replace(changes.token, gold_document=None, gold={}))
