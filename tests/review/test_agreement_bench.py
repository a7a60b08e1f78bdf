"""The agreement benchmark runs (small sizes here; full size: ``python -m
tests.bench.agreement``) and its generated data compares as designed."""

from __future__ import annotations

import json

from annotator.review import compare
from tests.bench import agreement as bench


def test_benchmark_smoke(tmp_path, capsys):
    out = tmp_path / "agreement.json"
    assert bench.main(["--docs", "2", "--claims", "40", "--repeat", "1",
                       "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "baseline (sort + read)" in printed and "ratio" in printed
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["claims"] == 2 * 3 * 40
    assert figures["verified"] and figures["met"]
    assert figures["ratio_to_baseline"] > 0


def test_generated_claims():
    claims = bench.make_claims(docs=2, analysts=3, claims=60)
    assert len(claims) == 2 * 3 * 60
    assert claims == bench.make_claims(docs=2, analysts=3, claims=60)   # deterministic
    comparison = compare(claims)
    counts = [len(d.by_all) for d in comparison.documents.values()]
    assert all(n > 20 for n in counts)       # most spans are shared
