"""Search across a project (SearchService, migration 0005) on real SQLite files."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.domain.model import Claim, Document, Source, utc_now
from annotator.domain.search_query import SearchQuery
from annotator.services.project import ProjectService
from annotator.services.search import SearchFilters, SearchService

FIXTURES = Path(__file__).parents[1] / "storage" / "fixtures"

INFLATION = ("Prices rose by 12 % in March, the minister said.\n"
             "Inflation-linked bonds (AND their yields) rose too; "
             "analysts call it \"transitory\". 東京都知事は述べた。 Цены растут.")
WEATHER = "Rain in Tokyo. The minister said nothing about prices."


def _claim(document: Document, quote: str, annotator: str, **labels: object) -> Claim:
    start = document.text.index(quote)
    return Claim.new(document, start, start + len(quote), annotator=annotator, **labels)


@pytest.fixture
def project(tmp_path: Path):
    service = ProjectService.open(tmp_path / "p.sqlite", create=True)
    first = Document.from_text(INFLATION, title="Inflation interview", source="https://a.example")
    second = Document.from_text(WEATHER, title="Weather", source="")
    service.add_document(first)
    service.add_document(second)
    ministry = service.add_source(Source.new("Ministry of Finance"))
    service.add_claim(_claim(first, "Prices rose by 12 %", "alice", stance="supports",
                             proposition="Prices are rising", note="check the Rosstat table",
                             tags=("economy", "цены"), source_id=ministry.id))
    service.add_claim(_claim(first, "Prices rose", "bob", stance="refutes"))
    service.add_claim(_claim(second, "Rain in Tokyo", "bob", note="weather, not economy"))
    yield service, first, second
    service.close()


def _search(service: ProjectService, query: str, **filters: object):
    return SearchService(service.database).search(query, SearchFilters(**filters))


def _texts(service: ProjectService, results) -> list[str]:
    return [service.document(r.document_id).text[r.start:r.end] for r in results]


def test_hits_in_text_and_quotes_carry_offsets_into_the_document(project) -> None:
    service, first, second = project
    results = _search(service, "MINISTER")
    assert {(r.document_id, r.field, r.claim_id) for r in results} == \
        {(first.id, "text", None), (second.id, "text", None)}
    assert _texts(service, results) == ["minister", "minister"]
    prices = [r for r in _search(service, "prices rose") if r.field == "quote"]
    # Both words, inside both claims (alice's and bob's), each a result jumping to its claim.
    assert {(r.claim_id, r.analyst) for r in prices} >= {
        (c.id, c.annotator) for c in service.claims(first.id)}
    for r in prices:
        assert first.text[r.start:r.end].lower() in ("prices", "rose")
        assert r.snippet[r.hit_start:r.hit_end].lower() == first.text[r.start:r.end].lower()


def test_claim_fields_sources_and_titles_are_found(project) -> None:
    service, first, second = project
    alice = next(c for c in service.claims(first.id) if c.annotator == "alice")
    assert [(r.field, r.claim_id) for r in _search(service, "rosstat")] == [("note", alice.id)]
    found = {(r.field, r.claim_id) for r in _search(service, "ЦЕНЫ")}
    assert ("tags", alice.id) in found and ("text", None) in found    # "Цены растут."
    (source,) = _search(service, "finance")
    assert (source.field, source.claim_id, source.start, source.end) == \
        ("source", alice.id, alice.start, alice.end)
    assert source.snippet == "Ministry of Finance"
    assert next((r.field, r.document_id) for r in _search(service, "weather")) == \
        ("title", second.id)
    assert ("proposition", alice.id) in {(r.field, r.claim_id)
                                          for r in _search(service, "are rising")}


def test_substrings_and_scripts_without_spaces(project) -> None:
    service, first, _ = project
    (hit,) = _search(service, "知事")                     # two characters: below the trigram
    assert first.text[hit.start:hit.end] == "知事"
    (hit,) = _search(service, "京都知事は述")
    assert first.text[hit.start:hit.end] == "京都知事は述"
    assert _texts(service, _search(service, "flation-lin")) == ["flation-lin"]


def test_phrases_and_every_word_required(project) -> None:
    service, first, second = project
    assert {r.document_id for r in _search(service, "minister prices")} == {first.id, second.id}
    assert {r.document_id for r in _search(service, "minister rain")} == {second.id}
    assert _search(service, '"prices rain"') == []
    (phrase,) = _search(service, '"said nothing"')
    assert second.text[phrase.start:phrase.end] == "said nothing"
    multiline = _search(service, '"minister said. inflation"')
    assert _texts(service, multiline) == ["minister said.\nInflation"]


def test_filters(project) -> None:
    service, first, second = project
    alice, bob = sorted(service.claims(first.id), key=lambda c: c.annotator)
    assert {r.claim_id for r in _search(service, "prices", analysts=("bob",))} == {bob.id}
    assert {r.claim_id for r in _search(service, "rose", labels=("supports",))} == {alice.id}
    assert {r.claim_id for r in _search(service, "rose", labels=("stance:refutes",))} == \
        {bob.id}
    assert _search(service, "rose", labels=("claim_type:supports",)) == []
    assert {r.claim_id for r in _search(service, "rose", sources=("Ministry of Finance",))} \
        == {alice.id}
    # Claim filters leave out text outside matching claims.
    assert _search(service, "minister", analysts=("bob",)) == []
    service.set_document_status(second.id, "done")
    assert {r.document_id for r in _search(service, "minister", statuses=("done",))} == \
        {second.id}
    tomorrow = utc_now().date() + timedelta(days=1)
    assert _search(service, "minister", since=tomorrow) == []
    assert _search(service, "minister", until=date(2000, 1, 1)) == []
    assert len(_search(service, "minister", since=utc_now().date(), until=tomorrow)) == 2


def test_every_write_path_keeps_the_index_in_step(project) -> None:
    service, first, _ = project
    claim = next(c for c in service.claims(first.id) if c.annotator == "bob")
    assert _search(service, "zanzibar") == []
    service.update_claim(claim.edited(note="seen in Zanzibar"))
    assert [r.claim_id for r in _search(service, "zanzibar")] == [claim.id]
    service.update_claim(claim.edited(note="", tags=("zanzibar-tag",)))
    assert [(r.claim_id, r.field) for r in _search(service, "zanzibar")] == [(claim.id, "tags")]
    service.delete_claim(claim.id)
    assert _search(service, "zanzibar") == []
    third = Document.from_text("Zanzibar harbour report", title="Harbour")
    service.add_document(third)
    assert [r.document_id for r in _search(service, "zanzibar")] == [third.id]
    service.update_document_details(third.id, title="Quayside", source="", published="",
                                    publisher="")
    assert [r.field for r in _search(service, "quayside")] == ["title"]
    _check_index_whole(service.database.path)


def _check_index_whole(path: Path | None) -> None:
    """The triggers exist and the index holds what the tables hold."""
    assert path is not None
    raw = sqlite3.connect(path)
    try:
        triggers = {r[0] for r in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        for index in ("search_documents", "search_claims", "search_sources"):
            assert {f"{index}_{e}" for e in ("insert", "update", "delete")} <= triggers
        raw.execute("INSERT INTO search_documents(search_documents, rank) "
                    "VALUES ('integrity-check', 1)")
        raw.execute("INSERT INTO search_sources(search_sources, rank) "
                    "VALUES ('integrity-check', 1)")
        # Each claim is found by its own proposition, note and tags, and by nothing else.
        for rowid, note in raw.execute("SELECT rowid, note FROM claims WHERE length(note) >= 3"):
            found = [r[0] for r in raw.execute(
                "SELECT rowid FROM search_claims WHERE search_claims MATCH ?",
                ['note:"' + note.replace('"', '""') + '"'])]
            assert rowid in found
    finally:
        raw.close()


def test_an_older_project_is_indexed_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "schema_0004.sqlite", path)
    service = ProjectService.open(path)
    try:
        search = SearchService(service.database)
        assert search.has_index()
        (hit,) = search.search("1400万人")
        assert (hit.document_id, hit.claim_id, hit.field) == ("doc-ja", "claim-ja-1", "quote")
        assert service.document("doc-ja").text[hit.start:hit.end] == "1400万人"
        assert {r.document_id for r in search.search("ёлка")} == {"doc-ru", "doc-ru-v2"}
        assert ("note", "claim-ru-1") in {(r.field, r.claim_id) for r in search.search("росстат")}
        assert ("source", "claim-ru-1") in {(r.field, r.claim_id)
                                            for r in search.search("Министерство")}
    finally:
        service.close()
    _check_index_whole(path)


def test_without_the_index_search_reads_everything_through(tmp_path: Path) -> None:
    """A project whose SQLite was too old to make the index still searches."""
    path = tmp_path / "p.sqlite"
    shutil.copyfile(FIXTURES / "schema_0005.sqlite", path)
    raw = sqlite3.connect(path)
    with raw:
        names = raw.execute("SELECT type, name FROM sqlite_master WHERE type IN "
                            "('trigger', 'view') OR name IN ('search_documents', "
                            "'search_claims', 'search_sources')").fetchall()
        for kind, name in names:
            raw.execute(f"DROP {kind.upper()} {name}")
    raw.close()
    service = ProjectService.open(path, read_only=True)
    try:
        search = SearchService(service.database)
        assert not search.has_index()
        (hit,) = search.search("1400万人")
        assert hit.claim_id == "claim-ja-1"
    finally:
        service.close()


HOSTILE = ['"', '""', '"unbalanced', "AND", "OR NOT", "a AND b", "NEAR(a b)", "%", "_",
           "*", "prices*", "-minus", "col:on", "(", ")", "((", "[", "{", "^", "\\", "'",
           "'; DROP TABLE claims; --", "\x00", "\ud800", " ", "", "東京", "🇺🇦", "e\u0301",
           "x" * 10_000, "Inflation-linked", '"Prices rose" AND (bonds', "rose\ttoo"]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(project, query: str) -> None:
    service, first, _ = project
    for result in _search(service, query):
        text = service.document(result.document_id).text
        assert 0 <= result.start <= result.end <= len(text)
    assert len(service.claims(first.id)) == 2               # nothing was changed


def test_operators_are_searched_as_text(project) -> None:
    service, _, _ = project
    assert _texts(service, _search(service, "(AND")) == ["(AND"]
    assert _texts(service, _search(service, "12 %")) == ["12", "%"]       # two words
    assert _texts(service, _search(service, '"12 %"')) == ["12 %"]        # a phrase
    assert [(r.field, r.snippet[r.hit_start:r.hit_end]) for r in _search(service, "NOT")] == \
        [("note", "not"), ("text", "not")]        # "weather, not economy"; "nothing"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_text_is_a_query(project, query: str) -> None:
    service, _, _ = project
    parsed = SearchQuery.parse(query)
    expression = parsed.fts5()
    if expression is not None:
        raw = sqlite3.connect(":memory:")
        raw.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        raw.execute("SELECT * FROM t WHERE t MATCH ?", [expression]).fetchall()
        raw.close()
    for result in _search(service, query):
        text = service.document(result.document_id).text
        assert 0 <= result.start <= result.end <= len(text)


def test_an_sqlite_too_old_for_the_index_drops_its_triggers_and_still_searches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project indexed elsewhere, opened where SQLite lacks the trigram tokenizer
    (< 3.34): writes must not go through the index's triggers."""
    path = tmp_path / "p.sqlite"
    shutil.copyfile(FIXTURES / "schema_0005.sqlite", path)
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    service = ProjectService.open(path)
    try:
        document = service.document("doc-ja")
        service.add_claim(Claim.new(document, 0, 2, annotator="carol", note="Zanzibar memo"))
        search = SearchService(service.database)
        assert not search.has_index()
        assert [r.field for r in search.search("zanzibar")] == ["note"]
    finally:
        service.close()
    shutil.copyfile(FIXTURES / "schema_0005.sqlite", tmp_path / "read.sqlite")
    service = ProjectService.open(tmp_path / "read.sqlite", read_only=True)
    try:                                         # reading only: the index is left alone
        assert [r.claim_id for r in SearchService(service.database).search("1400万人")] == \
            ["claim-ja-1"]
    finally:
        service.close()
    monkeypatch.undo()
    service = ProjectService.open(path)          # the stale index is not used again
    try:
        assert not SearchService(service.database).has_index()
        assert [r.field for r in SearchService(service.database).search("zanzibar")] == ["note"]
    finally:
        service.close()
