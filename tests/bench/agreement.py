"""Agreement benchmark: ``python -m tests.bench.agreement [--docs N] [--analysts N]
[--claims N] [--repeat N] [--json PATH]``.

Generates ``--docs`` (20) documents on which each of ``--analysts`` (3) analysts
marked ``--claims`` (500) claims: most on shared spans (some with moved
boundaries, some overlapping each other), some of their own, with labels that
mostly agree, some unlabelled and some "cannot be judged". Times, from the list
of claims, the span matching (:func:`annotator.review.compare`) plus every
agreement figure for the corpus and per document
(:func:`annotator.review.agreement_report`), median of ``--repeat`` (5) runs.

Target (issue 6): under a second. The baseline, measured in the same run on the
same claims, is sorting them by document, analyst and position and reading their
labels once -- the least any comparison has to do; the ratio says how many such
passes the whole computation costs.

Then the same claims are stored in a real project file and the whole path the
app and ``annotator agreement`` take is timed: :meth:`ReviewService.agreement`
reads each document's claims from SQLite, compares and adds up. Its baseline is
reading the same rows with the ``sqlite3`` module; its report must equal the one
computed from the claims in memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.domain.codebook import default_codebook
from annotator.domain.model import Claim, Document
from annotator.review import Matching, agreement_report, compare
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService

TARGET_SECONDS = 1.0
WHEN = datetime(2025, 1, 1, tzinfo=UTC)
STANCES = ("supports", "refutes", "neutral", "unclear")
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = (1, 2, 3, 4, 5, 6)
CLAIM_TYPES = ("quantity", "correlation_causation", "laws_rules", "prediction",
               "personal_experience", "other", "not_a_claim")


def _maybe(rng: random.Random, agreed: Any, choices: tuple, keep: float) -> Any:
    """The agreed value with probability ``keep``; otherwise another or none."""
    roll = rng.random()
    if roll < keep:
        return agreed
    if roll < keep + (1 - keep) * 0.8:
        return rng.choice(choices)
    return None


def make_claims(docs: int = 20, analysts: int = 3, claims: int = 500,
                seed: int = 6) -> list[Claim]:
    """``claims`` claims by each of ``analysts`` analysts on each of ``docs`` documents."""
    rng = random.Random(seed)
    names = [f"analyst-{i + 1}" for i in range(analysts)]
    shared = int(claims * 0.94)
    result: list[Claim] = []
    for d in range(docs):
        document_id = f"doc-{d:03d}"
        length = claims * 400
        base = []
        for _ in range(int(claims * 1.05)):
            start = rng.randrange(length - 300)
            end = start + rng.randint(30, 250)
            labels = {"stance": rng.choice(STANCES), "source_reliability": rng.choice(RELIABILITY),
                      "info_credibility": rng.choice(CREDIBILITY),
                      "claim_type": rng.choice(CLAIM_TYPES)}
            base.append((start, end, labels))
        for name in names:
            picked = rng.sample(base, shared)
            spans = []
            for start, end, labels in picked:
                if rng.random() < 0.25:    # moved boundaries
                    start = max(0, start + rng.randint(-15, 15))
                    end = max(start + 1, end + rng.randint(-15, 15))
                spans.append((start, end, labels))
            for _ in range(claims - shared):   # spans nobody else marked
                start = rng.randrange(length - 300)
                spans.append((start, start + rng.randint(30, 250), rng.choice(base)[2]))
            for i, (start, end, labels) in enumerate(spans):
                result.append(Claim(
                    id=f"{document_id}-{name}-{i:04d}", document_id=document_id,
                    start=start, end=end, quote="x" * (end - start), annotator=name,
                    stance=_maybe(rng, labels["stance"], STANCES, 0.85),
                    source_reliability=_maybe(rng, labels["source_reliability"],
                                              RELIABILITY, 0.8),
                    info_credibility=_maybe(rng, labels["info_credibility"], CREDIBILITY, 0.75),
                    claim_type=_maybe(rng, labels["claim_type"], CLAIM_TYPES, 0.8),
                    created_at=WHEN, updated_at=WHEN))
    rng.shuffle(result)
    return result


def baseline(claims: list[Claim]) -> int:
    """Sort the claims by document, analyst and position and read their labels once."""
    ordered = sorted(claims, key=lambda c: (c.document_id, c.annotator, c.start, c.end, c.id))
    labelled = 0
    for claim in ordered:
        if claim.stance is not None or claim.source_reliability is not None \
                or claim.info_credibility is not None or claim.claim_type is not None:
            labelled += 1
    return labelled


def compute(claims: list[Claim]) -> dict[str, Any]:
    comparison = compare(claims, matching=Matching("jaccard", 0.5))
    return agreement_report(comparison, default_codebook())


def _timed(function: Any, *args: Any) -> tuple[float, Any]:
    gc.collect()
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def run(docs: int, analysts: int, claims: int, repeat: int) -> dict[str, Any]:
    data = make_claims(docs, analysts, claims)
    compare_s, report_s, total_s, baseline_s = [], [], [], []
    report: dict[str, Any] = {}
    for _ in range(repeat):
        seconds, _ = _timed(baseline, data)
        baseline_s.append(seconds)
        gc.collect()
        started = time.perf_counter()
        comparison = compare(data, matching=Matching("jaccard", 0.5))
        middle = time.perf_counter()
        report = agreement_report(comparison, default_codebook())
        ended = time.perf_counter()
        compare_s.append(middle - started)
        report_s.append(ended - middle)
        total_s.append(ended - started)
    total = statistics.median(total_s)
    base = statistics.median(baseline_s)
    counts = report["counts"]
    checked = (counts["claims"] == docs * analysts * claims
               and counts["documents"] == docs
               and json.loads(json.dumps(report, allow_nan=False)) == report)
    return {
        "docs": docs, "analysts": analysts, "claims_per_analyst_per_doc": claims,
        "claims": len(data), "repeat": repeat,
        "compare_s": statistics.median(compare_s), "report_s": statistics.median(report_s),
        "total_s": total, "total_runs_s": total_s, "baseline_s": base,
        "baseline_runs_s": baseline_s, "ratio_to_baseline": total / base if base else None,
        "target_s": TARGET_SECONDS, "met": total < TARGET_SECONDS, "verified": checked,
        "units": counts["units"], "by_all": counts["by_all"], "by_some": counts["by_some"],
        "by_one": counts["by_one"],
        "stance_alpha": report["stance"]["krippendorff_alpha"],
        "source_reliability_alpha": report["source_reliability"]["krippendorff_alpha"],
        "spans_overlap_f1": report["spans"]["overlap"]["f1"],
    }


def store(claims: list[Claim], path: Path) -> ProjectService:
    """A project file holding ``claims`` on documents of ``x`` characters."""
    service = ProjectService.open(path, create=True)
    lengths: dict[str, int] = {}
    for claim in claims:
        lengths[claim.document_id] = max(lengths.get(claim.document_id, 0), claim.end)
    for document_id, length in sorted(lengths.items()):
        document = Document.from_text("x" * length + f" {document_id}", title=document_id)
        service.add_document(dataclasses.replace(document, id=document_id))
    service.add_claims(claims)
    return service


def sqlite_baseline(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT id, document_id, start, \"end\", annotator, stance, source_reliability, "
            "info_credibility, claim_type FROM claims ORDER BY document_id, start").fetchall()
    finally:
        connection.close()
    return len(rows)


def run_project(data: list[Claim], repeat: int) -> dict[str, Any]:
    """Times :meth:`ReviewService.agreement` on a project file holding ``data``;
    verified when its report equals the one computed from ``data`` in memory."""
    analysts = sorted({c.annotator for c in data})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement.annotator.sqlite"
        service = store(data, path)
        try:
            review = ReviewService(service)
            totals, baselines = [], []
            report: dict[str, Any] = {}
            for _ in range(repeat):
                seconds, _ = _timed(sqlite_baseline, path)
                baselines.append(seconds)
                seconds, report = _timed(review.agreement, analysts, Matching("jaccard", 0.5))
                totals.append(seconds)
        finally:
            service.close()
    total, base = statistics.median(totals), statistics.median(baselines)
    return {"project_total_s": total, "project_runs_s": totals, "project_baseline_s": base,
            "project_baseline_runs_s": baselines,
            "project_ratio": total / base if base else None,
            "project_met": total < TARGET_SECONDS,
            "project_verified": report == compute(data),
            "project_stance_alpha": report["stance"]["krippendorff_alpha"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--analysts", type=int, default=3)
    parser.add_argument("--claims", type=int, default=500,
                        help="claims per analyst per document")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    r = run(args.docs, args.analysts, args.claims, max(1, args.repeat))
    r.update(run_project(make_claims(args.docs, args.analysts, args.claims),
                         max(1, min(3, args.repeat))))
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}")
    print(f"agreement: {r['docs']} documents x {r['analysts']} analysts x "
          f"{r['claims_per_analyst_per_doc']} claims = {r['claims']:,} claims; "
          f"{r['units']:,} units ({r['by_all']:,} by all, {r['by_some']:,} by some, "
          f"{r['by_one']:,} by one)")
    print(f"  compare (span matching)    {r['compare_s'] * 1000:8.1f} ms")
    print(f"  agreement_report           {r['report_s'] * 1000:8.1f} ms")
    print(f"  total (median of {r['repeat']})        {r['total_s'] * 1000:8.1f} ms   "
          f"runs " + ", ".join(f"{x * 1000:.0f}" for x in r["total_runs_s"]))
    print(f"  baseline (sort + read)     {r['baseline_s'] * 1000:8.1f} ms   "
          f"ratio {r['ratio_to_baseline']:.1f}x")
    print(f"  target < {TARGET_SECONDS:g} s: {'met' if r['met'] else 'MISSED'}; "
          f"verified: {'yes' if r['verified'] else 'NO'}")
    print(f"  figures: stance alpha {r['stance_alpha']:.3f}, source reliability alpha "
          f"{r['source_reliability_alpha']:.3f}, span F1 (overlap) {r['spans_overlap_f1']:.3f}")
    print(f"from the project file (ReviewService.agreement, median of "
          f"{len(r['project_runs_s'])})  {r['project_total_s'] * 1000:8.1f} ms   runs "
          + ", ".join(f"{x * 1000:.0f}" for x in r["project_runs_s"]))
    print(f"  baseline (sqlite3 reads the rows) {r['project_baseline_s'] * 1000:8.1f} ms   "
          f"ratio {r['project_ratio']:.1f}x")
    print(f"  target < {TARGET_SECONDS:g} s: {'met' if r['project_met'] else 'MISSED'}; "
          f"verified: {'yes' if r['project_verified'] else 'NO'}")
    if args.json:
        args.json.write_text(json.dumps(r, indent=2), encoding="utf-8")
    return 0 if r["met"] and r["verified"] and r["project_verified"] else 1


if __name__ == "__main__":
    sys.exit(main())
