"""The team server benchmark still runs (``--quick``), prints each figure for
both backends with their ratio, leaves no database behind, and the projects it
measured held what it stored: every added claim, every claim of the
colleague's file as in that file. (The figures themselves come from
``python -m tests.bench.team``; no timing is checked here.)"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import postgres as pg
from tests.bench.team import BACKENDS, QUICK

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_team_benchmark_quick_run(tmp_path: Path, postgres: pg.Server) -> None:
    postgres.require()
    out = tmp_path / "team.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tests.bench.team", "--quick",
                           "--json", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1])
    assert json.loads(out.read_text(encoding="utf-8")) == result
    assert result["mode"] == "quick" and result["ok"] is True

    # The table: a row per figure, each with both backends and their ratio.
    table = "\n".join(lines[:-1])
    assert "PostgreSQL" in table and "SQLite" in table and "PG/SQLite" in table
    for label in ("add claim p50", "add claim p95", "open the document",
                  "import colleague's file: total", "of which writing"):
        row = next(line for line in lines if label in line)
        cells = row.split()
        assert cells[-1].endswith("x") and float(cells[-1][:-1]) > 0, row
        assert cells.count("ms") == 2, row

    # The figures: both backends, finite, the ratio of the two.
    add, opened, imported = result["add_claim"], result["open"], result["import"]
    each = QUICK.additions      # each backend adds its own
    assert add["count"] == {"postgresql": each, "sqlite": each}
    for figures in (add["p50"], add["p95"], opened["median"], imported["total"],
                    imported["write"]):
        pg_ms, lite_ms = figures["postgresql_ms"], figures["sqlite_ms"]
        assert math.isfinite(pg_ms) and math.isfinite(lite_ms) and pg_ms > 0 < lite_ms
        assert figures["ratio"] == pytest.approx(pg_ms / lite_ms)
    assert all(len(opened["runs_ms"][b]) == QUICK.opens for b in BACKENDS)
    assert all(len(add["runs_ms"][b]) == each for b in BACKENDS)

    # What the projects held, read through connections of their own.
    for backend in BACKENDS:
        checks = result["verified"][backend]
        assert checks["claims"] == QUICK.claims + each + QUICK.imported, backend
        assert (checks["added_found"], checks["added_wrong"]) == (each, 0), backend
        assert checks["colleague_claims"] == checks["colleague_same"] == QUICK.imported
        assert checks["quotes_ok"] is True
        assert opened["listed"][backend] == QUICK.claims + each
        report = imported["reports"][backend]
        assert (report["added"], report["updated"], report["unchanged"]) == (
            QUICK.imported, 0, 0)
        assert report["problems"] == []

    # The run's database is gone.
    name = result["database"]
    assert name.startswith(pg.PREFIX) and result["database_dropped"] is True
    with pg.connect() as connection:
        assert connection.execute("SELECT count(*) FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone()[0] == 0
