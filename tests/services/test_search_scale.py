"""The search benchmark's quick mode (tests/bench/search_scale.py) as a smoke test:
its answers are checked (not its timings) on each backend."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.domain.search_query import SearchQuery
from annotator.services.project import ProjectService
from annotator.services.search import SearchService
from tests.bench import search_scale


class ReadingThrough(SearchService):
    """The same search without the index: every candidate read through."""

    def has_index(self) -> bool:
        return False


@pytest.mark.slow
def test_the_quick_benchmark_answers_right(project_location: str | Path) -> None:
    report = search_scale.run("sqlite", 120, 2400, 240, 20, repeats=1,
                              location=project_location)
    corpus, answers = report["corpus"], report["answers"]
    texts = {d["id"]: d["text"] for d in corpus.documents}
    assert report["import"]["found_after"]
    service = ProjectService.open(project_location)
    try:
        reference = ReadingThrough(service.database)
        now = search_scale.answers(service)         # the imported documents too
        for name, query, filters in search_scale.QUERIES:
            # The index only narrows: reading everything through finds the same.
            assert now[name] == reference.search(query, filters), name
            found = answers[name]
            patterns = SearchQuery.parse(query).patterns()
            for r in found:
                assert 0 <= r.start <= r.end <= len(texts[r.document_id])
                if r.field in ("text", "quote"):
                    assert any(p.fullmatch(texts[r.document_id][r.start:r.end])
                               for p in patterns), (name, r)
                assert filters.layer != "gold" or r.kind == "gold"
    finally:
        service.close()
    planted = {d["id"] for d in corpus.documents if re.search("zanzibar", d["text"], re.I)}
    assert planted and {r.document_id for r in answers["rare word"]} == planted
    gold = {g["id"] for g in corpus.gold if "Zanzibar" in g["note"]}
    assert {(r.claim_id, r.field) for r in answers["gold layer only"]} >= \
        {(g, "note") for g in gold}
    assert all(r.kind == "gold" for r in answers["gold layer only"])
    # Worked out from the generated corpus, without the search service:
    rare = answers["CJK, 2 characters, rare"]
    assert rare and {(r.document_id, r.start, r.end) for r in rare} == {
        (d, m.start(), m.end()) for d, text in texts.items() for m in re.finditer("鰻丼", text)}
    expected = {(c["id"], m.start()) for c in corpus.claims if c["stance"] == "refutes"
                for m in re.finditer("prices", texts[c["document_id"]], re.IGNORECASE)
                if c["start"] <= m.start() and m.end() <= c["end"]}
    assert expected and expected == {(r.claim_id, r.start) for r in answers["word, label"]
                                     if r.field == "quote"}
    assert answers["nothing found"] == []
