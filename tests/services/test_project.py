"""ProjectService on a real SQLite file: documents, claims, persistence."""

from __future__ import annotations

import dataclasses
import sqlite3
import uuid

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text as sql

from annotator.domain.labels import Stance
from annotator.domain.model import Claim, Document, Source, SpanError
from annotator.formats.registry import ImportOptions, extract_file
from annotator.paths import seeds_dir
from annotator.services.project import NotFoundError, ProjectService
from annotator.storage.errors import DatabaseBugError

MERICS = "merics-deepseek-us-china-ai-race.txt"
BLOG = "deep-seek-hedge-fund-blog.txt"


def seed_document(name: str) -> Document:
    read = extract_file(seeds_dir() / name, ImportOptions(reflow=False))
    return Document.from_text(read.text, title=read.title, source="seed", published="2025-01",
                              metadata=read.metadata)


def claim_on(document: Document, quote: str, **labels) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator="tester", **labels)


@pytest.fixture
def project_path(project_location):
    return project_location


@pytest.fixture
def service(project_path):
    opened = ProjectService.open(project_path, create=True)
    yield opened
    opened.close()


@pytest.mark.sqlite_only
def test_new_project_file_is_created(project_path, service):
    assert project_path.is_file()
    assert service.documents() == []
    assert service.claim_count() == 0
    assert service.location == str(project_path)


def test_same_text_twice_is_one_document(service):
    first = seed_document(MERICS)
    added = service.add_document(first)
    assert added.created and added.document == first
    again = service.add_document(dataclasses.replace(first, title="Another title"))
    assert not again.created
    assert again.document.id == first.id and again.document.title == first.title
    assert [info.id for info in service.documents()] == [first.id]
    stored = service.document(first.id)
    assert stored == first
    assert service.document_by_sha256(first.sha256) == first
    assert service.document_by_sha256("0" * 64) is None
    with pytest.raises(NotFoundError):
        service.document(str(uuid.uuid4()))


def test_claim_add_update_delete_and_re_add(service):
    document = service.add_document(seed_document(BLOG)).document
    claim = claim_on(document, "👇", proposition="Western media mocked the crackdown",
                     stance=Stance.SUPPORTS, source_reliability="C", info_credibility=3,
                     note="emoji", tags=("emoji", "blog"))
    assert service.add_claim(claim) == claim
    assert service.claim(claim.id) == claim    # every field, timestamps to the microsecond

    edited = claim.edited(note="edited note", stance=Stance.REFUTES, tags=("x",))
    service.update_claim(edited)
    stored = service.claim(claim.id)
    assert stored == edited
    assert stored.created_at == claim.created_at
    assert stored.updated_at == edited.updated_at

    deleted = service.delete_claim(claim.id)
    assert deleted == edited
    with pytest.raises(NotFoundError):
        service.claim(claim.id)
    with pytest.raises(NotFoundError):
        service.delete_claim(claim.id)
    with pytest.raises(NotFoundError):
        service.update_claim(edited)

    # Undo of a delete: the same claim comes back with its id and timestamps.
    service.add_claim(deleted)
    back = service.claim(claim.id)
    assert back == edited
    assert (back.id, back.created_at, back.updated_at) == (
        claim.id, claim.created_at, edited.updated_at)


def test_quote_that_does_not_match_is_refused(service):
    document = service.add_document(seed_document(MERICS)).document
    good = claim_on(document, "深度求素")
    with pytest.raises(SpanError, match="quote does not match"):
        service.add_claim(dataclasses.replace(good, quote="深度求索"))
    with pytest.raises(SpanError, match="outside"):
        service.add_claim(dataclasses.replace(good, start=len(document.text) - 1,
                                              end=len(document.text) + 3))
    with pytest.raises(NotFoundError):
        service.add_claim(dataclasses.replace(good, document_id=str(uuid.uuid4())))
    assert service.claim_count() == 0

    service.add_claim(good)
    moved = dataclasses.replace(good, start=good.start + 1, end=good.end + 1)
    with pytest.raises(SpanError):
        service.update_claim(moved)          # moving a span re-checks its quote
    assert service.claim(good.id) == good


def test_document_claim_counts_and_propositions(service):
    merics = service.add_document(seed_document(MERICS)).document
    blog = service.add_document(seed_document(BLOG)).document
    empty = service.add_document(Document.from_text("No claims here.", title="empty")).document
    claims = [
        claim_on(merics, "深度求素", proposition="DeepSeek is Chinese"),
        claim_on(merics, "梁文锋", proposition="DeepSeek is Chinese"),
        claim_on(merics, "Nasdaq", proposition="Markets fell"),
        claim_on(blog, "👇", proposition="DeepSeek is Chinese"),
        claim_on(blog, "Deep Seek"),                      # no proposition
    ]
    for claim in claims:
        service.add_claim(claim)

    counts = {info.id: info.claim_count for info in service.documents()}
    assert counts == {merics.id: 3, blog.id: 2, empty.id: 0}
    assert service.claim_count() == len(claims)
    assert service.propositions() == ["DeepSeek is Chinese", "Markets fell"]

    in_merics = service.claims(merics.id)
    assert [c.start for c in in_merics] == sorted(c.start for c in in_merics)
    assert {c.id for c in in_merics} == {c.id for c in claims[:3]}
    for claim in in_merics:
        assert merics.text[claim.start:claim.end] == claim.quote


def test_everything_persists_after_reopening(project_path):
    first = ProjectService.open(project_path, create=True)
    try:
        merics = first.add_document(seed_document(MERICS)).document
        blog = first.add_document(seed_document(BLOG)).document
        kept = claim_on(merics, "梁文锋", stance=Stance.NEUTRAL, tags=("name", "cjk"),
                        note="=not a formula", source_reliability="A", info_credibility=1)
        edited = first.add_claim(claim_on(blog, "👇")).edited(note="later")
        first.add_claim(kept)
        first.update_claim(edited)
        gone = first.add_claim(claim_on(merics, "深度求素"))
        first.delete_claim(gone.id)
    finally:
        first.close()

    second = ProjectService.open(project_path)
    try:
        assert second.document(merics.id) == merics
        assert second.document(blog.id) == blog
        assert second.document(merics.id).metadata == merics.metadata
        assert second.claim(kept.id) == kept
        assert second.claim(edited.id) == edited
        with pytest.raises(NotFoundError):
            second.claim(gone.id)
        assert second.claim_count() == 2
        assert [d.id for d in second.documents()] == [merics.id, blog.id]
        assert [c.id for c in second.claims(merics.id)] == [kept.id]
        assert [c.id for c in second.claims(blog.id)] == [edited.id]
    finally:
        second.close()


@pytest.mark.sqlite_only
def test_sqlite_settings(project_path, service):
    raw = sqlite3.connect(project_path)
    try:
        # WAL is recorded in the file itself.
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()
    with service.database.engine.connect() as connection:
        assert connection.execute(sql("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(sql("PRAGMA synchronous")).scalar() == 2   # FULL


def test_foreign_keys_are_enforced(service):
    document = service.add_document(seed_document(BLOG)).document
    orphan = dataclasses.replace(claim_on(document, "👇"), document_id=str(uuid.uuid4()))
    # add_claims does not check quotes itself; the database must still refuse the orphan.
    with pytest.raises(DatabaseBugError, match=r"(?i)foreign key") as refused:
        service.add_claims([orphan])
    assert isinstance(refused.value.__cause__, sa_exc.IntegrityError)
    assert service.claim_count() == 0


def test_claims_cut_from_the_text_equal_the_stored_ones(project_location):
    """The viewer reads claims with their quotes cut from the document text (faster);
    they must equal what is stored, emoji and CJK included."""
    from annotator.domain.model import Claim, Document
    from annotator.services.project import ProjectService

    text = "Intro 👇 then 深度求素 and more text, " * 30
    service = ProjectService.open(project_location, create=True)
    try:
        document = service.add_document(Document.from_text(text, title="t")).document
        for start in range(0, len(text) - 12, 37):
            service.add_claim(Claim.new(document, start, start + 11, annotator="a",
                                        tags=("x",), note="n"))
        stored = service.claims(document.id)
        assert len(stored) > 10
        assert service.claims(document.id, document.text) == stored
        assert all(text[c.start:c.end] == c.quote for c in stored)
    finally:
        service.close()


def test_source_names_match_and_sort_alike_on_every_backend(service):
    """Case is ignored in every script (SQLite's lower() knows only ASCII, a team
    server's all of Unicode) and sources sort the same on both backends."""
    for name in ("zeit", "Élysée", "bbc", "Agence", "Øresund Tidende"):
        service.add_source(Source.new(name))
    assert service.add_source(Source.new("ÉLYSÉE")).name == "Élysée"
    assert service.source_named("élysée").name == "Élysée"
    assert service.source_named("ØRESUND  tidende").name == "Øresund Tidende"
    assert [s.source.name for s in service.sources()] == [
        "Agence", "bbc", "Élysée", "zeit", "Øresund Tidende"]


def test_claims_read_lazily_equal_the_stored_ones(tmp_path):
    """Opening a document reads its claims lazily: the same claims, in the same
    text order (ties on start broken by end, then id), sources named; spans and
    label values come from the rows, and a claim is made only when used."""
    from annotator.domain.lazy_claims import ClaimMap, LazyClaims, spans_of, values_of
    from annotator.domain.model import Source

    text = "Intro 👇 then 深度求素 and more text, " * 30
    service = ProjectService.open(tmp_path / "p.sqlite", create=True)
    try:
        document = service.add_document(Document.from_text(text, title="t")).document
        source = service.add_source(Source.new("Ministry"))
        made = []
        for i, start in enumerate(range(0, len(text) - 20, 29)):
            for end in (start + 15, start + 9):   # same start: the shorter one first
                made.append(Claim.new(document, start, end, annotator="a", tags=("x", "y"),
                                      note="n", stance=Stance.SUPPORTS.value if i % 2 else None,
                                      source_id=source.id if i % 3 == 0 else None))
        service.add_claims(reversed(made))
        eager = service.claims(document.id)
        lazy = service.claims_lazily(document.id, document.text)
        assert isinstance(lazy, LazyClaims) and len(lazy) == len(made) == len(eager)
        assert spans_of(lazy) == [(c.start, c.end, c.id) for c in eager]
        assert spans_of(lazy) == sorted(spans_of(lazy))
        assert values_of(lazy, "stance") == [c.stance for c in eager]
        assert lazy.made() == 0
        assert lazy[5] == eager[5] and lazy[5] is lazy[5] and lazy.made() == 1
        assert lazy[-1] == eager[-1] and lazy[2:4] == eager[2:4]
        assert {c.source_name for c in eager if c.source_id} == {"Ministry"}
        assert list(lazy) == eager == lazy
        by_id = ClaimMap(service.claims_lazily(document.id, document.text))
        assert len(by_id) == len(eager) and eager[7].id in by_id
        assert by_id[eager[7].id] == eager[7] and by_id.get("nope") is None
        by_id[eager[7].id] = eager[8]
        assert by_id.pop(eager[7].id) == eager[8] and eager[7].id not in by_id
        assert by_id.pop(eager[7].id) is None
    finally:
        service.close()
