"""Export benchmark: 100,000 claims to JSONL and CSV, against a plain baseline.

Run with ``python -m tests.bench.exports`` (``--quick`` for 10,000 claims;
``--claims N`` for another size). Machines are shared and noisy, so each
export is compared with a baseline measured in the same run, interleaved with
it, and the medians of several runs are compared.

* **measured**: :func:`annotator.services.exports.export` (``jsonl``, ``csv``)
  on the project file, from the call until it returns: scope checks, one read
  transaction, SQLAlchemy Core rows turned into canonical records, JSON or CSV
  (formula neutralisation included), a temporary file fsynced and renamed,
  and the codebook written beside it.
* **baseline**: the same rows read with the ``sqlite3`` module (the same join
  and order) and dumped with ``json.dumps`` (the same record dicts, so the
  bytes are identical: checked) or ``csv.writer`` (no neutralisation; the
  cells are checked to be the export's, formula-like ones aside), to a plain
  file with no fsync. The baseline does strictly less than the export.
* **throughput ratio** = baseline seconds / export seconds (1.0 = as fast as
  the baseline; target >= 0.5).
* **memory**: peak of Python allocations (``tracemalloc``) during a JSONL
  export of a tenth of the claims and of all of them: flat means the peak does
  not grow with the number of claims.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from annotator.domain.model import Document, span_context
from annotator.formats.claims import CLAIM_FIELDS
from annotator.services import exports
from annotator.services.project import ProjectService
from annotator.storage.models import ClaimRow

TARGET_RATIO = 0.5
#: What a spreadsheet runs as a formula; the export prefixes such cells with ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORDS = ("the", "model", "DeepSeek", "深度求素", "梁文锋", "Войти", "января", "👇", "chips",
         "export", "controls", "e\u0301", "cost", "training", "Nasdaq", "fell", "percent")
STANCES = ("supports", "refutes", "neutral", "unclear", None)
NOTES = ("", "", "Checked against the filing.", "=SUM(A1:A9)", "-1 per cent?",
         "Two lines,\nwith a comma", "@mention")

BASELINE_SQL = """
SELECT c.id, c.document_id, d.sha256, d.title, c.start, c."end", c.quote, c.prefix, c.suffix,
       c.proposition, c.stance, c.source_reliability, c.info_credibility, c.note, c.tags,
       c.annotator, c.created_at, c.updated_at, c.claim_type, s.name, c.likelihood,
       c.confidence, c.codebook_version
FROM claims AS c JOIN documents AS d ON d.id = c.document_id
LEFT OUTER JOIN sources AS s ON s.id = c.source_id
ORDER BY d.created_at, d.id, c.start, c."end", c.id
"""


def build_project(path: Path, claims: int, documents: int, seed: int = 5) -> None:
    """A project with ``claims`` claims spread over ``documents`` documents."""
    rng = random.Random(seed)
    service = ProjectService.open(path, create=True)
    per_document = claims // documents
    start_time = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        for d in range(documents):
            words = [rng.choice(WORDS) for _ in range(per_document * 4 + 50)]
            text = f"Document {d}\r\n" + " ".join(words)
            document = Document.from_text(text, title=f"Document {d} — “{rng.choice(WORDS)}”",
                                          source="benchmark")
            service.add_document(document)
            rows = []
            for i in range(per_document if d < documents - 1
                           else claims - per_document * (documents - 1)):
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randrange(1, 40)
                moment = start_time + timedelta(seconds=d * 1000 + i, microseconds=i)
                rows.append({
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "document_id": document.id, "start": start, "end": end,
                    **span_context(text, start, end),
                    "proposition": rng.choice(("", "DeepSeek is a Chinese company")),
                    "stance": rng.choice(STANCES),
                    "source_reliability": rng.choice(("A", "B", "C", None)),
                    "info_credibility": rng.choice((1, 2, 3, 6, None)),
                    "note": rng.choice(NOTES), "tags": rng.choice(([], ["cjk"], ["a", "b"])),
                    "annotator": rng.choice(("alice", "bob")),
                    "created_at": moment, "updated_at": moment,
                    "claim_type": rng.choice(("quantity", "prediction", None)),
                    "source_id": None, "likelihood": None, "confidence": None,
                    "codebook_version": 1,
                })
            with service.database.writing() as session:
                session.execute(insert(ClaimRow.__table__), rows)
    finally:
        service.close()


def _iso(value: str) -> str:
    return f"{value[:10]}T{value[11:]}Z"


def baseline_rows(path: Path):  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield from connection.execute(BASELINE_SQL)
    finally:
        connection.close()


def baseline_jsonl(path: Path, out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        for row in baseline_rows(path):
            record = dict(zip(CLAIM_FIELDS[:23], (
                row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                row[9] or None, row[10], row[11], row[12], row[13], json.loads(row[14]), row[15],
                _iso(row[16]), _iso(row[17]), row[18], row[19], row[20], row[21], row[22]),
                strict=True))
            record["page_start"] = record["page_end"] = None
            record["review_status"] = "unreviewed"      # no review in the benchmark project
            record["review_comments"] = []
            record["links"], record["cluster"], record["dismissed"] = [], record["id"], []
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            count += 1
    return count


def baseline_csv(path: Path, out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(CLAIM_FIELDS)
        for row in baseline_rows(path):
            values = list(row)
            values[14] = "; ".join(json.loads(values[14]))
            values[16], values[17] = _iso(values[16]), _iso(values[17])
            writer.writerow([*values, None, None, "unreviewed"])
            count += 1
    return count


def timed(function, *args) -> float:  # type: ignore[no-untyped-def]
    begin = time.perf_counter()
    function(*args)
    return time.perf_counter() - begin


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def neutralised(cell: str) -> str:
    """``cell`` as the export writes it: a leading ``'`` where a spreadsheet
    would run it as a formula (the baseline writes cells as they are)."""
    return "'" + cell if cell[:1] in FORMULA_START else cell


def same_records(fmt: str, ours: Path, base: Path) -> tuple[int, bool]:
    """How many records the export wrote, and whether they are the baseline's,
    record for record: the same bytes for JSONL; for CSV the same header and
    cells, formula-like ones neutralised."""
    if fmt == "jsonl":
        data = ours.read_bytes()
        return data.count(b"\n"), data == base.read_bytes()
    rows, expected = csv_rows(ours), csv_rows(base)
    same = len(rows) == len(expected) and bool(rows) and rows[0] == expected[0] and all(
        row == [neutralised(cell) for cell in wanted]
        for row, wanted in zip(rows[1:], expected[1:], strict=True))
    return len(rows) - 1, same


def measure(project: Path, folder: Path, claims: int, repeats: int) -> dict:
    """Each format exported ``repeats`` times, interleaved with its baseline; the
    last outputs stay in ``folder`` (``ours.<fmt>``, ``base.<fmt>``)."""
    service = ProjectService.open(project)
    results: dict = {}
    try:
        for fmt, baseline in (("jsonl", baseline_jsonl), ("csv", baseline_csv)):
            ours_out, base_out = folder / f"ours.{fmt}", folder / f"base.{fmt}"
            ours, base = [], []
            for _ in range(repeats):       # interleaved, so drift hits both alike
                base.append(timed(baseline, project, base_out))
                ours.append(timed(exports.export, service, fmt, ours_out))
            records, same = same_records(fmt, ours_out, base_out)
            ours_s, base_s = statistics.median(ours), statistics.median(base)
            results[fmt] = {
                "export_s": ours_s, "baseline_s": base_s,
                "export_runs_s": ours, "baseline_runs_s": base,
                "export_claims_per_s": claims / ours_s, "baseline_claims_per_s": claims / base_s,
                "ratio": base_s / ours_s, "met": base_s / ours_s >= TARGET_RATIO,
                "bytes": ours_out.stat().st_size, "runs": repeats,
                "records": records, "verified": same and records == claims,
            }
    finally:
        service.close()
    return results


def peak_memory(project: Path, out: Path, scope: exports.ExportScope | None) -> float:
    service = ProjectService.open(project)
    try:
        tracemalloc.start()
        exports.export(service, "jsonl", out, scope)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        service.close()
    return peak / 1e6


def run(claims: int, documents: int, repeats: int, folder: Path | None = None) -> dict:
    """The figures; the project and the exports are written in ``folder`` (a
    temporary folder, removed afterwards, when None)."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="annotator-export-bench-") as temp:
            return run(claims, documents, repeats, Path(temp))
    project = folder / "bench.annotator.sqlite"
    begin = time.perf_counter()
    build_project(project, claims, documents)
    setup = time.perf_counter() - begin
    results = measure(project, folder, claims, repeats)
    service = ProjectService.open(project)
    try:
        ids = [info.id for info in service.documents()]
    finally:
        service.close()
    tenth = exports.ExportScope(documents=tuple(ids[:max(1, len(ids) // 10)]))
    results["memory_mb"] = {"tenth": peak_memory(project, folder / "m.jsonl", tenth),
                            "all": peak_memory(project, folder / "m.jsonl", None)}
    results.update(claims=claims, documents=documents, setup_s=setup)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10,000 claims, 20 documents")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.quick:
        args.claims, args.documents = 10_000, 20
    results = run(args.claims, args.documents, args.repeats)
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  "
          f"sqlite: {sqlite3.sqlite_version}  {platform.machine()}")
    print(f"{results['claims']:,} claims in {results['documents']} documents "
          f"(built in {results['setup_s']:.1f} s); medians of {args.repeats} interleaved runs")
    for fmt in ("jsonl", "csv"):
        r = results[fmt]
        print(f"{fmt}: export {r['export_s']:.2f} s ({r['export_claims_per_s']:,.0f} claims/s, "
              f"{r['bytes'] / 1e6:.1f} MB), baseline {r['baseline_s']:.2f} s "
              f"({r['baseline_claims_per_s']:,.0f} claims/s): throughput ratio "
              f"{r['ratio']:.2f} (target >= {TARGET_RATIO}: {'met' if r['met'] else 'MISSED'}); "
              f"same records as the baseline: {'yes' if r['verified'] else 'NO'}")
    memory = results["memory_mb"]
    print(f"peak Python memory of a JSONL export: {memory['tenth']:.1f} MB for a tenth of the "
          f"claims, {memory['all']:.1f} MB for all of them")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if all(results[fmt]["met"] and results[fmt]["verified"]
                    for fmt in ("jsonl", "csv")) else 1


if __name__ == "__main__":
    sys.exit(main())
