"""The same claim elsewhere, at scale: ``python -m tests.bench.similar
[--documents 10000] [--claims-per-document 20] [--postgresql]``.

A project of 10,000 news-like documents (about 2,000 characters each, in a
vocabulary of real words and 20,000 made-up ones with a Zipf distribution,
figures in many notations) and 200,000 claims. Twenty facts are planted in five
documents each, worded differently each time (``USD 589 billion`` / ``$589bn`` /
``589 billion dollars``, ``2,000 chips`` / ``2000 GPUs``); a claim is made on one
appearance of each, and its candidates are timed (``annotator.services.similar.
candidates``, limit 10). The baseline, timed in the same run on the same project:
one search (``SearchService.search``) for the claim's rarest word, what an analyst
would type to look for the claim by hand. Prints the median and 95th percentile
per claim (and the median processor time: on a shared machine the wall clock
waits for a core), the ratio of the medians, and how many of the planted appearances
are among each claim's top five (recall).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from annotator.domain.model import CONTEXT_CHARS, document_id_for, text_sha256
from annotator.domain.similarity import ClaimText
from annotator.services import similar
from annotator.services.project import ProjectService
from annotator.services.search import SearchService
from annotator.storage.models import ClaimRow, DocumentRow

TARGET_MS = 200.0

REAL = str.split("market government company analysts report minister prices growth bank policy "
        "investors shares technology chips export controls sanctions model training "
        "research industry economy trade tariffs China United States Europe officials "
        "announced said quarter revenue profit loss record index fell rose percent "
        "billion million energy oil gas election court law security defence military "
        "students university hospital health climate emissions rain harvest farmers "
        "workers union strike factory supply demand inflation rates currency yuan dollar "
        "euro bonds debt budget deficit spending tax reform agency ministry province city "
        "council mayor police border refugees talks summit agreement")
FIGURES = ("$%d billion", "USD %d million", "%d%%", "%d per cent", "about %d,000 workers",
           "%d million yuan", "€%d bn", "%d people", "on January %d, 2025", "%d tonnes")

# Facts planted in several documents, each way of saying it different.
FACTS = [
    ("{company} lost USD {n} billion in market value in one day",
     "{company} shares fell, wiping ${n}bn off its market capitalisation",
     "about {n} billion dollars of {company}'s market value disappeared",
     "the {company} sell-off erased roughly US$ {n} billion",
     "{company} lost {n} billion dollars in market value overnight"),
    ("{company} trained the system on about {k},000 {chip} chips",
     "{company} says it needed only {k}000 {chip} GPUs for training",
     "training used around {k},000 {chip} processors at {company}",
     "{company} relied on {k},000 {chip} accelerators",
     "a cluster of {k},000 {chip} chips, {company} said"),
]
COMPANIES = ("Nvidia", "Qualcomm", "Broadcom", "Samsung", "Alibaba", "Tencent", "Huawei",
             "Baidu", "Micron", "Intel")
CHIPS = ("H800", "A100", "B200", "MI300", "Ascend910")


def _vocabulary(rng: random.Random) -> list[str]:
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    made = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
            for _ in range(20_000)}
    return REAL + sorted(made)


def _sentence(rng: random.Random, vocabulary: list[str], weights: list[float]) -> str:
    count = rng.randint(10, 24)
    words = rng.choices(vocabulary, weights, k=count)
    if rng.random() < 0.5:
        pattern = rng.choice(FIGURES)
        words.insert(rng.randrange(len(words)), pattern % rng.randint(2, 999))
    return " ".join(words).capitalize() + "."


def build(path: Any, documents: int, per_document: int, seed: int = 11
          ) -> list[tuple[str, list[str]]]:
    """Make the project; returns each planted fact's (claim quote's document and
    the ids of the documents holding its other appearances)."""
    rng = random.Random(seed)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    plants: dict[int, list[tuple[int, str]]] = {}
    facts: list[list[int]] = []
    for number in range(20):
        template = FACTS[number % len(FACTS)]
        values = {"company": COMPANIES[number % len(COMPANIES)], "n": rng.randint(100, 900),
                  "k": rng.randint(2, 9), "chip": rng.choice(CHIPS)}
        holders = rng.sample(range(documents), 5)
        facts.append(holders)
        for holder, wording in zip(holders, template, strict=True):
            plants.setdefault(holder, []).append((number, wording.format(**values) + "."))
    now = datetime.now(UTC)
    service = ProjectService.open(path, create=True)
    ids: list[str] = []
    quotes: dict[int, tuple[str, int, int]] = {}
    try:
        with service.database.writing() as session:
            document_rows, claim_rows = [], []
            for d in range(documents):
                sentences = [_sentence(rng, vocabulary, weights) for _ in range(14)]
                for _number, text in plants.get(d, []):
                    sentences.insert(rng.randrange(len(sentences)), text[0].upper() + text[1:])
                text = " ".join(sentences)
                sha = text_sha256(text)
                doc_id = document_id_for(sha)
                ids.append(doc_id)
                document_rows.append(dict(
                    id=doc_id, sha256=sha, title=f"Report {d}", source="", published="",
                    meta={}, text=text, length=len(text), created_at=now, status="new",
                    origin="", review_status="unreviewed", previous_id=None))
                for number, planted in plants.get(d, []):
                    start = text.index(planted[1:])
                    if facts[number][0] == d:
                        quotes[number] = (doc_id, start - 1, start + len(planted) - 1)
                for _ in range(per_document):
                    start = rng.randrange(0, len(text) - 80)
                    end = start + rng.randint(20, 80)
                    claim_rows.append(dict(
                        id=str(uuid.uuid4()), document_id=doc_id, start=start, end=end,
                        quote=text[start:end], prefix=text[max(0, start - CONTEXT_CHARS):start],
                        suffix=text[end:end + CONTEXT_CHARS], proposition="", note="",
                        tags=[], annotator=rng.choice(("alice", "bob", "chen")),
                        created_at=now, updated_at=now, codebook_version=1, version=1))
                if len(document_rows) >= 500:
                    session.execute(insert(DocumentRow), document_rows)
                    session.execute(insert(ClaimRow), claim_rows)
                    document_rows, claim_rows = [], []
            if document_rows:
                session.execute(insert(DocumentRow), document_rows)
                session.execute(insert(ClaimRow), claim_rows)
        planted_claims = []
        with service.database.writing() as session:
            for number in range(len(facts)):
                doc_id, start, end = quotes[number]
                text = session.get(DocumentRow, doc_id).text
                claim_id = f"planted-{number}"
                session.execute(insert(ClaimRow), [dict(
                    id=claim_id, document_id=doc_id, start=start, end=end,
                    quote=text[start:end], prefix="", suffix="", proposition="", note="",
                    tags=[], annotator="alice", created_at=now, updated_at=now,
                    codebook_version=1, version=1)])
                planted_claims.append((claim_id, [ids[h] for h in facts[number][1:]]))
    finally:
        service.close()
    return planted_claims


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(path: Any, planted: list[tuple[str, list[str]]], repeats: int) -> dict[str, float]:
    service = ProjectService.open(path, read_only=True)
    try:
        search = SearchService(service.database)
        timings, cpu, baseline, found, wanted = [], [], [], 0, 0
        for claim_id, others in planted:
            claim = service.claim(claim_id)
            term = ClaimText(claim.quote).search_terms()[0]
            for _ in range(repeats):
                began = time.perf_counter()
                search.search(term, limit=10)
                baseline.append(time.perf_counter() - began)
                began, processor = time.perf_counter(), time.process_time()
                top = similar.candidates(service, claim_id, limit=10)
                timings.append(time.perf_counter() - began)
                cpu.append(time.process_time() - processor)
            top_five = {c.document_id for c in top[:5]}
            found += len(top_five & set(others))
            wanted += len(others)
    finally:
        service.close()
    return {"median_ms": statistics.median(timings) * 1000,
            "p95_ms": _percentile(timings, 0.95) * 1000,
            "cpu_ms": statistics.median(cpu) * 1000,
            "baseline_ms": statistics.median(baseline) * 1000,
            "recall": found / wanted}


@contextmanager
def _location(postgresql: bool, folder: Path) -> Iterator[Any]:
    if not postgresql:
        yield folder / "similar.annotator.sqlite"
        return
    from tests.postgres import Server

    server = Server()
    name, url = server.create_schema()
    try:
        yield url
    finally:
        server.drop_schema(name)
        server.drop_everything_of_this_run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--claims-per-document", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--postgresql", action="store_true",
                        help="on the PostgreSQL test server (a schema of this run, dropped "
                             "after) instead of a project file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder, _location(args.postgresql,
                                                            Path(folder)) as path:
        began = time.perf_counter()
        planted = build(path, args.documents, args.claims_per_document)
        made = time.perf_counter() - began
        where = "PostgreSQL" if args.postgresql else \
            f"{Path(path).stat().st_size / 1e6:.0f} MB file"
        print(f"similar: {args.documents:,} documents, "
              f"{args.documents * args.claims_per_document + len(planted):,} claims "
              f"({where}, built in {made:.0f} s); {len(planted)} claims x "
              f"{args.repeats} runs")
        result = run(path, planted, args.repeats)
    verdict = "PASS" if result["median_ms"] < TARGET_MS else "FAIL"
    print(f"candidates per claim: median {result['median_ms']:.1f} ms, p95 "
          f"{result['p95_ms']:.1f} ms, processor time {result['cpu_ms']:.1f} ms (target < "
          f"{TARGET_MS:.0f} ms: {verdict}); baseline "
          f"(one indexed search for the claim's rarest word) {result['baseline_ms']:.1f} ms; "
          f"ratio {result['median_ms'] / result['baseline_ms']:.1f}x")
    print(f"planted appearances among the top five: {result['recall']:.0%}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
