"""The export benchmark still runs and checks its records against the baseline's
(a small size here; the figures come from ``python -m tests.bench.exports``)."""

from __future__ import annotations

import pytest

from tests.bench import exports as bench


@pytest.mark.slow
def test_export_benchmark_smoke() -> None:
    results = bench.run(claims=2_000, documents=4, repeats=1)
    for fmt in ("jsonl", "csv"):
        assert results[fmt]["export_s"] > 0 and results[fmt]["baseline_s"] > 0
    assert results["claims"] == 2_000
