"""The agreement benchmark runs (small sizes here; full size: ``python -m
tests.bench.agreement``), reports the figures of the claims it generated, the
same from memory and from a project file, and ratios computed from its runs;
its generated data compares as designed."""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter

import pytest

from annotator.review import BY_ALL, BY_ONE, BY_SOME, Matching, compare
from tests.bench import agreement as bench

DOCS, ANALYSTS, CLAIMS, REPEAT = 2, 3, 40, 3
MATCHING = Matching("jaccard", 0.5)      # what the benchmark compares with


def _positive_seconds(values: list[float]) -> bool:
    return all(math.isfinite(v) and v > 0 for v in values)


def test_benchmark_smoke(tmp_path, capsys):
    out = tmp_path / "agreement.json"
    code = bench.main(["--docs", str(DOCS), "--claims", str(CLAIMS), "--repeat", str(REPEAT),
                       "--json", str(out)])
    figures = json.loads(out.read_text(encoding="utf-8"))
    printed = capsys.readouterr().out

    # Both paths verified: the in-memory report is complete and JSON-ready, and the
    # report read from the project file equals it, figure for figure.
    assert figures["verified"] is True
    assert figures["project_verified"] is True
    # The exit code is the benchmark's verdict: the 1 s target (a machine's speed,
    # not checked here) and both verifications.
    assert code == (0 if figures["met"] else 1)

    # The figures are those of the claims the benchmark generates; the units are
    # counted here from the comparison itself.
    claims = bench.make_claims(DOCS, ANALYSTS, CLAIMS)
    expected = bench.compute(claims)
    coverage = Counter(u.coverage for u in compare(claims, matching=MATCHING).units)
    assert figures["claims"] == expected["counts"]["claims"] == DOCS * ANALYSTS * CLAIMS
    assert (figures["units"], figures["by_all"], figures["by_some"], figures["by_one"]) == (
        coverage.total(), coverage[BY_ALL], coverage[BY_SOME], coverage[BY_ONE])
    assert 0 < coverage[BY_ONE] < coverage[BY_ALL]
    assert figures["stance_alpha"] == expected["stance"]["krippendorff_alpha"]
    assert figures["project_stance_alpha"] == figures["stance_alpha"]
    assert figures["spans_overlap_f1"] == expected["spans"]["overlap"]["f1"]
    assert -1 <= figures["stance_alpha"] <= 1 and 0 < figures["spans_overlap_f1"] <= 1

    # Ratios: finite, positive, and the medians of the runs the benchmark made.
    assert len(figures["total_runs_s"]) == len(figures["baseline_runs_s"]) == REPEAT
    assert len(figures["project_runs_s"]) == len(figures["project_baseline_runs_s"]) == REPEAT
    for runs in ("total_runs_s", "baseline_runs_s", "project_runs_s", "project_baseline_runs_s"):
        assert _positive_seconds(figures[runs]), runs
    for ratio, measured, baseline in (
            ("ratio_to_baseline", "total_runs_s", "baseline_runs_s"),
            ("project_ratio", "project_runs_s", "project_baseline_runs_s")):
        value = figures[ratio]
        assert math.isfinite(value) and value > 0, ratio
        assert value == pytest.approx(statistics.median(figures[measured])
                                      / statistics.median(figures[baseline])), ratio
    assert f"ratio {figures['ratio_to_baseline']:.1f}x" in printed
    assert f"ratio {figures['project_ratio']:.1f}x" in printed


def test_generated_claims():
    claims = bench.make_claims(docs=2, analysts=3, claims=60)
    assert len(claims) == 2 * 3 * 60
    assert claims == bench.make_claims(docs=2, analysts=3, claims=60)   # deterministic
    comparison = compare(claims)
    counts = [sum(u.coverage == BY_ALL for u in d.units) for d in comparison.documents.values()]
    assert all(n > 20 for n in counts)       # most spans are shared
