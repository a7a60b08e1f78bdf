"""Searching the gold layer (schema 0008), on SQLite and on the PostgreSQL server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.model import Claim, Document, Source
from annotator.domain.review import Decision, adjudicate
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from annotator.services.search import LAYERS, SearchFilters, SearchResult, SearchService

TEXT = ("Prices rose by 12 % in March, the minister said.\n"
        "東京都知事は述べた。 Цены растут. Inflation-linked bonds (AND yields).")


def _claim(document: Document, quote: str, annotator: str, **values: object) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=annotator, **values)


@pytest.fixture
def project(project_location: str | Path) -> Iterator[tuple[ProjectService, dict]]:
    service = ProjectService.open(project_location, create=True)
    document = Document.from_text(TEXT, title="Inflation interview")
    service.add_document(document)
    ministry = service.add_source(Source.new("Ministry of Finance"))
    prices = service.add_claim(_claim(document, "Prices rose by 12 %", "alice",
                                      stance="supports", note="check Rosstat"))
    tokyo = service.add_claim(_claim(document, "東京都知事", "bob"))
    review = ReviewService(service)
    edited = adjudicate(Decision.EDIT, [prices], adjudicator="reviewer", span_from=prices,
                        edited=prices.edited(note="gold: ask the Zanzibar desk",
                                             proposition="Prices are rising",
                                             tags=("экономика",), stance="refutes",
                                             source_id=ministry.id))
    accepted = adjudicate(Decision.ACCEPT, [tokyo], adjudicator="reviewer", span_from=tokyo)
    review.add_adjudications([edited, accepted])
    assert edited.gold is not None and accepted.gold is not None
    yield service, {"document": document, "prices": prices, "tokyo": tokyo,
                    "gold_prices": edited.gold, "gold_tokyo": accepted.gold,
                    "edited": edited}
    service.close()


def _search(service: ProjectService, query: str, **filters: object) -> list[SearchResult]:
    return SearchService(service.database).search(query, SearchFilters(**filters))


def _hits(results: list[SearchResult]) -> set[tuple]:
    return {(r.kind, r.field, r.claim_id) for r in results}


def test_gold_claims_are_found_with_their_ids_and_exact_offsets(project) -> None:
    service, c = project
    assert SearchService(service.database).has_index()
    gold, tokyo = c["gold_prices"], c["gold_tokyo"]
    # Only the gold claim's note says Zanzibar: not found among the analysts' claims.
    assert _search(service, "zanzibar") == []
    for layer in ("gold", "all"):
        (hit,) = _search(service, "ZANZIBAR", layer=layer)
        assert (hit.kind, hit.field, hit.claim_id, hit.analyst) == \
            ("gold", "note", gold.id, "reviewer")
        assert TEXT[hit.start:hit.end] == "Prices rose by 12 %" == gold.quote
        assert hit.snippet[hit.hit_start:hit.hit_end] == "Zanzibar"
    # A quote hit: the gold claim's span, its own id; both layers with "all".
    (quote,) = _search(service, "知事", layer="gold")
    assert (quote.kind, quote.field, quote.claim_id) == ("gold", "quote", tokyo.id)
    assert TEXT[quote.start:quote.end] == "知事"
    assert _hits(_search(service, "知事", layer="all")) == {
        ("gold", "quote", tokyo.id), ("analyst", "quote", c["tokyo"].id)}
    assert _hits(_search(service, "知事")) == {("analyst", "quote", c["tokyo"].id)}
    # Gold fields: proposition, tags and the source the gold claim names.
    assert ("gold", "proposition", gold.id) in _hits(_search(service, "are rising",
                                                             layer="gold"))
    assert _hits(_search(service, "ЭКОНОМ", layer="gold")) == {("gold", "tags", gold.id)}
    assert _hits(_search(service, "finance", layer="gold")) == {("gold", "source", gold.id)}
    assert _search(service, "finance") == []           # no analyst's claim names it
    # The gold layer alone: no hits in text outside gold claims, nor titles.
    assert _search(service, "minister", layer="gold") == []
    assert _search(service, "interview", layer="gold") == []
    assert {r.field for r in _search(service, "minister", layer="all")} == {"text"}


def test_filters_apply_to_gold_claims(project) -> None:
    service, c = project
    gold = c["gold_prices"]
    assert _hits(_search(service, "prices", layer="gold", labels=("stance:refutes",))) == \
        {("gold", "quote", gold.id), ("gold", "proposition", gold.id)}
    assert _search(service, "prices", layer="gold", labels=("supports",)) == []
    assert _hits(_search(service, "prices", layer="all", analysts=("alice",))) == \
        {("analyst", "quote", c["prices"].id)}
    assert {r.claim_id for r in _search(service, "prices", layer="all",
                                        analysts=("reviewer",))} == {gold.id}
    assert _search(service, "zanzibar", layer="gold", statuses=("done",)) == []
    assert _hits(_search(service, "zanzibar", layer="gold",
                         sources=("Ministry of Finance",))) == {("gold", "note", gold.id)}


def test_the_gold_index_changes_with_the_gold_claims(project) -> None:
    service, c = project
    review = ReviewService(service)
    gold = review.gold_claim(c["gold_prices"].id)
    review.update_gold(gold.edited(note="now about Madagascar"))
    assert _search(service, "zanzibar", layer="gold") == []
    assert [r.claim_id for r in _search(service, "madagascar", layer="gold")] == [gold.id]
    review.remove_adjudication(c["edited"].id)
    assert _search(service, "madagascar", layer="gold") == []
    assert _search(service, "prices are rising", layer="gold") == []
    review.add_adjudication(c["edited"])                  # redo: indexed again
    assert [r.claim_id for r in _search(service, "zanzibar", layer="gold")] == [gold.id]
    if service.database.path is not None:
        _check_gold_index_whole(service.database.path)


def _check_gold_index_whole(path: Path) -> None:
    """SQLite: the triggers exist and each gold claim is found by its own note."""
    raw = sqlite3.connect(path)
    try:
        triggers = {r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {f"search_gold_{e}" for e in ("insert", "update", "delete")} <= triggers
        rows = raw.execute("SELECT rowid, note FROM gold_claims WHERE length(note) >= 3").fetchall()
        assert rows
        for rowid, note in rows:
            found = [r[0] for r in raw.execute(
                "SELECT rowid FROM search_gold WHERE search_gold MATCH ?",
                ['note:"' + note.replace('"', '""') + '"'])]
            assert found == [rowid]
    finally:
        raw.close()


HOSTILE = ['"', '"unbalanced', "AND", "NEAR(a b)", "%", "_", "*", "\\", "'",
           "'; DROP TABLE gold_claims; --", "\x00", "\ud800", "東", "知事", "🇺🇦", "e\u0301",
           "x" * 10_000, "a:*|!b", "rose\ttoo", "İ", "ſ"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_on_every_layer(project, query: str) -> None:
    service, c = project
    for layer in LAYERS:
        _check(service, query, layer)
    assert len(ReviewService(service).gold_claims(c["document"].id)) == 2


def _check(service: ProjectService, query: str, layer: str) -> None:
    """Results stay in the text, and each is of the layer its claim is in."""
    gold = {c.id for c in ReviewService(service).gold_claims(service.documents()[0].id)}
    for result in _search(service, query, layer=layer):
        assert 0 <= result.start <= result.end <= len(TEXT)
        assert (result.kind == "gold") == (result.claim_id in gold)
        assert layer != "analysts" or result.kind == "analyst"
        assert layer != "gold" or result.kind == "gold"
        assert result.snippet[result.hit_start:result.hit_end]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40), st.sampled_from(LAYERS))
def test_any_text_is_a_query_on_every_layer(project, query: str, layer: str) -> None:
    service, _ = project
    _check(service, query, layer)


def test_claim_filters_keep_letters_that_match_other_letters(project_location) -> None:  # type: ignore[no-untyped-def]
    """Ignoring case, ``k`` matches the Kelvin sign, ``s`` the long s, ``i`` the dotted
    capital I: the SQL that narrows claims by their quotes must not lose them. (The
    plain words are in the text too: the index, which folds case its own way, finds
    the document by them.)"""
    text = ("Kelvin, statute, Istanbul. "
            "The \u212aELVIN scale, the \u017ftatute book and \u0130stanbul's port.")
    service = ProjectService.open(project_location, create=True)
    try:
        document = Document.from_text(text, title="Letters")
        service.add_document(document)
        for quote in ("\u212aELVIN scale", "\u017ftatute book", "\u0130stanbul's port"):
            service.add_claim(_claim(document, quote, "alice"))
        for query, found in (("kelvin", "\u212aELVIN"), ("STATUTE", "\u017ftatute"),
                             ("istanbul", "\u0130stanbul")):
            hits = _search(service, query, analysts=("alice",))
            assert [(r.field, text[r.start:r.end]) for r in hits] == [("quote", found)]
    finally:
        service.close()
