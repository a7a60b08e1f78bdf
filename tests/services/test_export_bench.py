"""The export benchmark still runs, its exports are the baseline's records, record
for record, and its ratios come from its runs (a small size here; the figures
come from ``python -m tests.bench.exports``)."""

from __future__ import annotations

import json
import math
import statistics

import pytest

from tests.bench import exports as bench

CLAIMS, DOCUMENTS, REPEATS = 2_000, 4, 2


@pytest.mark.slow
def test_export_benchmark_smoke(tmp_path) -> None:
    results = bench.run(claims=CLAIMS, documents=DOCUMENTS, repeats=REPEATS, folder=tmp_path)

    # JSONL: the export's records are the baseline's (read with sqlite3 and dumped
    # with json), record for record, one per claim in the project.
    with (tmp_path / "ours.jsonl").open(encoding="utf-8") as handle:
        ours = [json.loads(line) for line in handle]
    with (tmp_path / "base.jsonl").open(encoding="utf-8") as handle:
        base = [json.loads(line) for line in handle]
    assert len(ours) == CLAIMS and len({r["id"] for r in ours}) == CLAIMS
    for record, expected in zip(ours, base, strict=True):
        assert record == expected

    # CSV: the same cells as the baseline's csv.writer, but formula-like ones
    # neutralised (the corpus has notes starting with =, - and @).
    rows, expected_rows = bench.csv_rows(tmp_path / "ours.csv"), bench.csv_rows(
        tmp_path / "base.csv")
    assert rows[0] == expected_rows[0] and len(rows) == CLAIMS + 1
    neutralised = 0
    for row, expected_row in zip(rows[1:], expected_rows[1:], strict=True):
        assert row == [bench.neutralised(cell) for cell in expected_row]
        neutralised += row != expected_row
    assert neutralised > 0

    for fmt in ("jsonl", "csv"):
        figures = results[fmt]
        assert figures["verified"] is True and figures["records"] == CLAIMS, fmt
        assert len(figures["export_runs_s"]) == len(figures["baseline_runs_s"]) == REPEATS
        runs = figures["export_runs_s"] + figures["baseline_runs_s"]
        assert all(math.isfinite(s) and s > 0 for s in runs), fmt
        export_s = statistics.median(figures["export_runs_s"])
        baseline_s = statistics.median(figures["baseline_runs_s"])
        assert figures["ratio"] == pytest.approx(baseline_s / export_s), fmt
        assert math.isfinite(figures["ratio"]) and figures["ratio"] > 0, fmt
        assert figures["export_claims_per_s"] == pytest.approx(CLAIMS / export_s), fmt
        assert figures["met"] is (figures["ratio"] >= bench.TARGET_RATIO)
    memory = results["memory_mb"]
    assert all(math.isfinite(m) and m > 0 for m in memory.values())
    assert results["claims"] == CLAIMS
