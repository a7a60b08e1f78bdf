"""Search at scale: ``python -m tests.bench.search_scale [--backend sqlite|postgresql]
[--quick] [--documents N] [--claims N] [--gold N] [--import N] [--repeats N] [--json PATH]``.

Builds a project of ``--documents`` (10,000) documents of 2–6 KB each (English
with Russian, French and Japanese passages), ``--claims`` (200,000) analysts'
claims and ``--gold`` (10,000) gold claims with their decisions, written in
bulk through the storage layer (the index is kept by the database itself: the
SQLite triggers, the PostgreSQL GIN indexes). Then times realistic queries
through :class:`~annotator.services.search.SearchService` (rare and common
words, a phrase, CJK of five and of two characters, words found in notes,
filters by analyst, label and status, the gold layer) and prints each one's
median and p95 and the median of all, with the ratio to a same-run baseline: a
plain SQL count of the claims of one analyst (``SELECT count(*) ...``).
Last, it imports ``--import`` (1,000) new documents through the real import
path (:func:`annotator.services.transfer.import_files`) into that project, the
index on, and prints the time. Targets: a median under 100 ms; the import under
10 s.

On PostgreSQL (``--backend postgresql``) the project is a database of this run
on the test server (``tests/postgres.py``), dropped at the end. ``--quick``
(300 documents, 6,000 claims, 50 imported) is what the slow smoke test in
``tests/services/test_search_scale.py`` runs to check the answers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy import text as sql

from annotator.services.project import ProjectService
from annotator.services.search import SearchFilters, SearchResult, SearchService
from annotator.services.transfer import import_files
from annotator.storage.models import (
    AdjudicationRow,
    ClaimRow,
    DocumentRow,
    GoldClaimRow,
    SourceRow,
)

TARGET_MS = 100.0
IMPORT_TARGET_S = 10.0
ANALYSTS = ("alice", "bob", "carol", "dmitri", "emi", "farid", "gwen", "zoe")
ANALYST_WEIGHTS = (30, 25, 15, 10, 8, 6, 5, 1)          # zoe makes 1 % of the claims
STANCES = ("supports", "refutes", "neutral", "unclear", None)
TYPES = ("quantity", "prediction", "causal", "event", None)
_COMMON = ("the of and to in a is that for on it with as was by at be this from are or "
          "have an they which one you were all we there been has their more will would "
          "market prices inflation rates bank policy minister said report growth economy "
          "government energy trade export import costs wages budget debt tax central "
          "analysts expect forecast quarter year percent higher lower rose fell data")
COMMON = _COMMON.split()
RUSSIAN = ("Министр заявил, что цены выросли на двенадцать процентов.",
           "Центральный банк сохранил ключевую ставку.", "Рынок ожидает снижения инфляции.",
           "Ёлка и щётка: буквы вне ASCII.")
FRENCH = ("Le ministre a déclaré que les prix ont augmenté.",
          "La banque centrale a maintenu son taux directeur.", "Les données de l'économie.")
JAPANESE = ("政府は物価の上昇について説明した。", "日本銀行は金利を据え置いた。",
            "円安が輸出企業の利益を押し上げた。", "記者会見で経済見通しを述べた。")
PROPOSITIONS = ("Prices are rising", "Rates will fall", "The budget is balanced",
                "Exports grew", "東京の人口は増えている", "Инфляция растёт")
NOTES = ("check the figure", "see the bank report", "source is vague", "verify date",
         "follow up with the desk", "contradicts earlier report")
TAGS = (["economy"], ["energy"], ["trade", "exports"], ["人口"], ["цены"])


def _words(rng: random.Random) -> list[str]:
    """A Zipf-like vocabulary: the common words, then 4,000 made-up rarer ones."""
    syllables = ("ka", "lo", "mi", "tre", "von", "sul", "dar", "pe", "qui", "nor", "bex",
                 "wy", "fo", "gra", "hul", "jin")
    made = set()
    while len(made) < 4000:
        made.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return COMMON + sorted(made)


@dataclass
class Corpus:
    """What was generated, and where the planted rarities went (for checking)."""

    documents: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    adjudications: list[dict[str, Any]] = field(default_factory=list)
    gold: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text_bytes(self) -> int:
        return sum(len(d["text"].encode()) for d in self.documents)


def _text(rng: random.Random, words: list[str], weights: list[float], size: int,
          plants: list[str]) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        roll = rng.random()
        if roll < 0.04:
            sentence = rng.choice(RUSSIAN)
        elif roll < 0.07:
            sentence = rng.choice(FRENCH)
        elif roll < 0.11:
            sentence = rng.choice(JAPANESE)
        else:
            chosen = rng.choices(words, cum_weights=weights, k=rng.randint(8, 20))
            sentence = " ".join(chosen).capitalize() + "."
        parts.append(sentence)
        length += len(sentence) + 1
        if rng.random() < 0.15:
            parts.append("\n\n")
    for plant in plants:
        parts.insert(rng.randrange(len(parts) + 1), plant)
    return " ".join(parts).replace(" \n\n ", "\n\n")


def make_corpus(documents: int, claims: int, gold: int, seed: int = 12) -> Corpus:
    rng = random.Random(seed)
    words = _words(rng)
    weights: list[float] = []
    total = 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1)
        weights.append(total)
    corpus = Corpus()
    corpus.sources = [{"id": f"src-{n:03d}", "name": name, "kind": "organisation",
                       "reliability": "B", "note": note, "created_at": _day(0)}
                      for n, (name, note) in enumerate((
                          ("Ministry of Finance", "official"), ("Central Bank", ""),
                          ("Rosstat", "Russian statistics office"), ("東京都", "都庁"),
                          ("Reuters", "wire"), ("Le Monde", "")))]
    per_document = max(1, claims // max(documents, 1))
    for n in range(documents):
        plants = []
        if n % 2000 == 17:
            plants.append("Zanzibar")                           # 5 in 10,000 documents
        if n % 50 == 3:
            plants.append("Analysts said interest rates rose again.")
        if n % 30 == 5:
            plants.append("東京都知事は記者会見で述べた。")
        if n % 3000 == 11:
            plants.append("鰻丼を食べた。")                       # a rare 2-character word
        text = _text(rng, words, weights, rng.randint(2000, 6000), plants)
        sha = hashlib.sha256(text.encode()).hexdigest()
        status = "done" if n % 10 == 0 else "in_progress" if n % 5 == 1 else "new"
        document_id = f"doc-{n:05d}"
        corpus.documents.append({
            "id": document_id, "sha256": sha, "title": f"Report {n:05d}", "source": "",
            "published": "", "meta": {}, "text": text, "length": len(text),
            "created_at": _day(n % 300), "status": status, "origin": "",
            "review_status": "unreviewed", "previous_id": None})
        for c in range(per_document):
            start = rng.randrange(0, len(text) - 160)
            end = start + rng.randint(20, 150)
            note = rng.choice(NOTES) if rng.random() < 0.2 else ""
            if (n * per_document + c) % 500 == 7:
                note = "check Rosstat table 3"
            corpus.claims.append({
                "id": f"claim-{n:05d}-{c:02d}", "document_id": document_id, "start": start,
                "end": end, "quote": text[start:end], "prefix": text[max(0, start - 32):start],
                "suffix": text[end:end + 32],
                "proposition": rng.choice(PROPOSITIONS) if rng.random() < 0.3 else "",
                "stance": rng.choice(STANCES), "source_reliability": None,
                "info_credibility": None, "note": note,
                "tags": rng.choice(TAGS) if rng.random() < 0.3 else [],
                "annotator": rng.choices(ANALYSTS, weights=ANALYST_WEIGHTS)[0],
                "created_at": _day(n % 300 + 1, c), "updated_at": _day(n % 300 + 1, c),
                "claim_type": rng.choice(TYPES),
                "source_id": rng.choice(corpus.sources)["id"] if rng.random() < 0.1 else None,
                "likelihood": None, "confidence": None, "codebook_version": 1, "version": 1})
    step = max(1, len(corpus.claims) // max(gold, 1))
    for claim in corpus.claims[::step][:gold]:
        number = len(corpus.gold)
        adjudication = f"adj-{number:06d}"
        corpus.adjudications.append({
            "id": adjudication, "document_id": claim["document_id"], "decision": "accept",
            "considered": [claim["id"]], "span_from": claim["id"], "labels_from": claim["id"],
            "adjudicator": "reviewer", "created_at": claim["created_at"]})
        corpus.gold.append({
            **claim, "id": f"gold-{number:06d}", "adjudication_id": adjudication,
            "annotator": "reviewer",
            "note": "gold: Zanzibar desk" if number % 1000 == 3 else claim["note"]})
    return corpus


def _day(days: int, seconds: int = 0) -> datetime:
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=days, seconds=seconds)


def store(service: ProjectService, corpus: Corpus, batch: int = 2000) -> None:
    """Bulk insert through the storage layer (the database keeps the index)."""
    database = service.database
    with database.writing() as session:
        session.execute(insert(SourceRow), corpus.sources)
    for table, rows in ((DocumentRow, corpus.documents), (ClaimRow, corpus.claims),
                        (AdjudicationRow, corpus.adjudications), (GoldClaimRow, corpus.gold)):
        for first in range(0, len(rows), batch):
            with database.writing() as session:
                session.execute(insert(table), rows[first:first + batch])
    if not database.is_sqlite:
        with database.writing() as session:
            session.execute(sql("ANALYZE"))


#: (name, query, filters): what analysts type, with the filters they pick.
QUERIES: tuple[tuple[str, str, SearchFilters], ...] = (
    ("rare word", "zanzibar", SearchFilters()),
    ("common word", "market", SearchFilters()),
    ("two common words", "inflation rates", SearchFilters()),
    ("phrase", '"interest rates rose"', SearchFilters()),
    ("CJK, 5 characters", "東京都知事", SearchFilters()),
    ("CJK, 2 characters, rare", "鰻丼", SearchFilters()),
    ("CJK, 2 characters, common", "知事", SearchFilters()),
    ("Cyrillic", "ключевую", SearchFilters()),
    ("word in notes", "rosstat", SearchFilters()),
    ("common word, rare analyst", "market", SearchFilters(analysts=("zoe",))),
    ("word, label", "prices", SearchFilters(labels=("stance:refutes",))),
    ("phrase, analyst", '"interest rates rose"', SearchFilters(analysts=("alice",))),
    ("word, status done", "inflation", SearchFilters(statuses=("done",))),
    ("gold layer only", "zanzibar", SearchFilters(layer="gold")),
    ("gold, common word", "market", SearchFilters(layer="gold")),
    ("nothing found", "qqxxzzy", SearchFilters()),
)


def _baseline(service: ProjectService) -> float:
    with service.database.reading() as session:
        began = time.perf_counter()
        session.execute(sql("SELECT count(*) FROM claims WHERE annotator = 'zoe'")).scalar()
        return time.perf_counter() - began


def answers(service: ProjectService) -> dict[str, list[SearchResult]]:
    search = SearchService(service.database)
    return {name: search.search(query, filters) for name, query, filters in QUERIES}


def timed(service: ProjectService, repeats: int) -> dict[str, Any]:
    """Each query's median and p95; the baseline is measured between the queries
    (the same run, the same load), each query's ratio against the baseline next
    to it."""
    search = SearchService(service.database)
    rows: dict[str, Any] = {}
    every: list[float] = []
    baselines: list[float] = []
    for name, query, filters in QUERIES:
        search.search(query, filters)                       # warm the cache
        near = [_baseline(service) for _ in range(3)]
        times = []
        for _ in range(repeats):
            began = time.perf_counter()
            count = len(search.search(query, filters))
            times.append(time.perf_counter() - began)
        near += [_baseline(service) for _ in range(3)]
        baselines.extend(near)
        every.extend(times)
        rows[name] = {"query": query, "results": count,
                      "median_ms": statistics.median(times) * 1000,
                      "p95_ms": _p95(times) * 1000,
                      "ratio": statistics.median(times) / statistics.median(near)}
    return {"baseline_ms": statistics.median(baselines) * 1000, "queries": rows,
            "median_ms": statistics.median(every) * 1000, "p95_ms": _p95(every) * 1000}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def import_timed(service: ProjectService, folder: Path, count: int) -> dict[str, Any]:
    """Import ``count`` new documents from files through the real import path."""
    corpus = make_corpus(count, 0, 0, seed=99)
    folder.mkdir()
    for n, document in enumerate(corpus.documents):
        (folder / f"import-{n:05d}.txt").write_text(document["text"], encoding="utf-8")
    began = time.perf_counter()
    report = import_files(service, [folder])
    seconds = time.perf_counter() - began
    imported = report.count(report.results[0].status.IMPORTED) if report.results else 0
    assert imported == count, report.summary()
    found = SearchService(service.database).search('"' + corpus.documents[-1]["text"][:60]
                                                   .split("\n")[0][:40] + '"')
    return {"documents": count, "seconds": seconds, "found_after": bool(found)}


@contextmanager
def project(backend: str, folder: Path,
            location: str | Path | None = None) -> Iterator[ProjectService]:
    """A new, empty project at ``location`` or else on ``backend`` (a PostgreSQL
    database of this run, dropped afterwards)."""
    if backend == "sqlite" or location is not None:
        service = ProjectService.open(location or folder / "scale.annotator.sqlite",
                                      create=True)
        try:
            yield service
        finally:
            service.close()
        return
    from tests.postgres import Server, url_of
    server = Server()
    if server.problem:
        raise SystemExit(f"no PostgreSQL: {server.problem}")
    server.sweep_dead_runs()
    with server.database() as name:
        service = ProjectService.open(url_of(name), create=True)
        try:
            yield service
        finally:
            service.close()


def run(backend: str, documents: int, claims: int, gold: int, imports: int,
        repeats: int, location: str | Path | None = None) -> dict[str, Any]:
    began = time.perf_counter()
    corpus = make_corpus(documents, claims, gold)
    generated = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as folder, \
            project(backend, Path(folder), location) as service:
        began = time.perf_counter()
        store(service, corpus)
        built = time.perf_counter() - began
        report: dict[str, Any] = {
            "backend": backend, "documents": len(corpus.documents),
            "claims": len(corpus.claims), "gold_claims": len(corpus.gold),
            "text_mb": corpus.text_bytes / 1e6, "generate_s": generated, "store_s": built}
        report["answers"] = answers(service)
        report["corpus"] = corpus
        report.update(timed(service, repeats))
        if imports:
            report["import"] = import_timed(service, Path(folder) / "import", imports)
    return report


def show(report: dict[str, Any]) -> None:
    print(f"{report['backend']}: {report['documents']:,} documents "
          f"({report['text_mb']:.1f} MB of text), {report['claims']:,} claims, "
          f"{report['gold_claims']:,} gold claims; generated in {report['generate_s']:.1f} s, "
          f"stored in {report['store_s']:.1f} s")
    base = report["baseline_ms"]
    print(f"baseline (SQL count of one analyst's claims): {base:.2f} ms")
    print(f"{'query':32} {'results':>7} {'median ms':>10} {'p95 ms':>8} {'x baseline':>10}")
    for name, row in report["queries"].items():
        print(f"{name:32} {row['results']:7} {row['median_ms']:10.1f} {row['p95_ms']:8.1f} "
              f"{row['ratio']:10.1f}")
    median = report["median_ms"]
    print(f"all queries: median {median:.1f} ms ({median / base:.1f}x baseline), "
          f"p95 {report['p95_ms']:.1f} ms; target median < {TARGET_MS:.0f} ms: "
          f"{'met' if median < TARGET_MS else 'MISSED'}")
    if "import" in report:
        seconds = report["import"]["seconds"]
        print(f"import of {report['import']['documents']:,} documents with the index: "
              f"{seconds:.1f} s ({seconds / base * 1000:.0f}x baseline); target < "
              f"{IMPORT_TARGET_S:.0f} s for 1,000: "
              f"{'met' if seconds < IMPORT_TARGET_S else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--quick", action="store_true",
                        help="300 documents, 6,000 claims, 300 gold, 50 imported")
    parser.add_argument("--documents", type=int)
    parser.add_argument("--claims", type=int)
    parser.add_argument("--gold", type=int)
    parser.add_argument("--import", dest="imports", type=int)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    quick = (300, 6000, 300, 50) if args.quick else (10_000, 200_000, 10_000, 1000)
    documents, claims, gold, imports = (
        given if given is not None else default for given, default in
        zip((args.documents, args.claims, args.gold, args.imports), quick, strict=True))
    report = run(args.backend, documents, claims, gold, imports, args.repeats)
    show(report)
    if args.json:
        report.pop("answers")
        report.pop("corpus")
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
