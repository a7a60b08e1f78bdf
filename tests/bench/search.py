"""Search benchmark: ``python -m tests.bench.search [--megabytes 5]``.

A project of about 5 MB of document text (50 documents) with claims; the same
queries on it with the FTS5 index (migration 0005) and on a copy without it,
where search reads every document through (the baseline, measured in the same
run). Prints the median seconds of each and the ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from annotator.services.search import SearchService

WORDS = ("inflation", "rates", "prices", "market", "minister", "said", "report", "growth",
         "bank", "policy", "東京", "都知事", "цены", "рынок", "données", "économie")
QUERIES = ("zanzibar", "quarterly zanzibar", "ministerial", "都知事は述べた", '"prices market"')


def build(path: Path, megabytes: float, documents: int = 50, seed: int = 7) -> int:
    rng = random.Random(seed)
    service = ProjectService.open(path, create=True)
    size = int(megabytes * 1_000_000 / documents)
    total = 0
    try:
        for d in range(documents):
            words: list[str] = []
            length = 0
            while length < size:
                word = rng.choice(WORDS)
                words.append(word)
                length += len(word) + 1
            if d % 10 == 0:
                words.insert(len(words) // 2, "quarterly zanzibar")
            if d % 7 == 0:
                words.insert(len(words) // 3, "ministerial 都知事は述べた")
            text = " ".join(words)
            total += len(text.encode())
            document = Document.from_text(text, title=f"Document {d}")
            service.add_document(document)
            claims = []
            for _ in range(40):
                start = rng.randrange(0, len(text) - 60)
                claims.append(Claim.new(document, start, start + 50, annotator="alice",
                                        note=rng.choice(("", "check", "see the bank report"))))
            service.add_claims(claims)
    finally:
        service.close()
    return total


def drop_index(path: Path) -> None:
    raw = sqlite3.connect(path)
    with raw:
        for kind, name in raw.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') "
                "OR name IN ('search_documents', 'search_claims', 'search_sources')"
        ).fetchall():
            raw.execute(f"DROP {kind.upper()} {name}")
    raw.close()


def timed(path: Path, query: str, repeats: int) -> tuple[float, int]:
    service = ProjectService.open(path, read_only=True)
    try:
        search = SearchService(service.database)
        times, count = [], 0
        for _ in range(repeats):
            began = time.perf_counter()
            count = len(search.search(query))
            times.append(time.perf_counter() - began)
        return statistics.median(times), count
    finally:
        service.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        indexed = Path(folder) / "indexed.sqlite"
        size = build(indexed, args.megabytes)
        scanned = Path(folder) / "scanned.sqlite"
        shutil.copyfile(indexed, scanned)
        drop_index(scanned)
        print(f"search over {size / 1e6:.1f} MB of text in 50 documents, 2000 claims")
        for query in QUERIES:
            fast, hits = timed(indexed, query, args.repeats)
            slow, same = timed(scanned, query, args.repeats)
            assert hits == same, (query, hits, same)
            print(f"{query!r:28} {hits:4} results: index {fast * 1000:7.1f} ms, "
                  f"reading through {slow * 1000:7.1f} ms, ratio {slow / fast:5.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
