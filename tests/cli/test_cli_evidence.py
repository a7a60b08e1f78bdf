"""``annotator evidence`` in a real subprocess, on both backends."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.services import links
from annotator.services.project import ProjectService
from tests.cli.test_cli import annotator
from tests.services.test_evidence import LOSS
from tests.services.test_links import ARTICLE_LOSS, MERICS_LOSS, REPORT_LOSS, claim


@pytest.fixture
def location(seeded_location: str | Path) -> str:
    service = ProjectService.open(seeded_location)
    try:
        a = claim(service, MERICS_LOSS, proposition=LOSS, stance="supports")
        b = claim(service, ARTICLE_LOSS, proposition=LOSS, stance="refutes")
        claim(service, REPORT_LOSS, proposition="Another proposition")
        links.add_link(service, a.id, b.id, "same", analyst="ann")
    finally:
        service.close()
    return str(seeded_location)


def test_csv_on_stdout_and_json_in_a_file(location: str, tmp_path: Path) -> None:
    result = annotator("evidence", "--project", location, "--proposition", LOSS,
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["stance"], r["quote"], r["corroboration"]) for r in rows] == [
        ("Supports", MERICS_LOSS, "2"), ("Refutes", ARTICLE_LOSS, "2")]

    out = tmp_path / "board.json"
    result = annotator("evidence", "--project", location, "--format", "json", "-o", out,
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {b["proposition"] for b in data["boards"]} == {LOSS, "Another proposition"}
    assert "3 claim(s) on 2 proposition(s)" in result.stderr


def test_an_unknown_proposition_is_refused(location: str, tmp_path: Path) -> None:
    result = annotator("evidence", "--project", location, "--proposition", "Nope",
                       cwd=tmp_path)
    assert result.returncode == 2
    assert "no claim or codebook entry has this proposition" in result.stderr
