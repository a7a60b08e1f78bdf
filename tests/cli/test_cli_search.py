"""``annotator search`` in a real subprocess, on a copy of the frozen 0005 project."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.domain.review import Decision, adjudicate
from annotator.services.project import ProjectService
from annotator.services.review import ReviewService
from tests.cli.test_cli import annotator, stderr_lines

FIXTURE = Path(__file__).parents[1] / "storage" / "fixtures" / "schema_0005.sqlite"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "project.sqlite"
    shutil.copyfile(FIXTURE, path)
    return path


def _texts(path: Path) -> dict[str, str]:
    raw = sqlite3.connect(path)
    try:
        return dict(raw.execute("SELECT id, text FROM documents"))
    finally:
        raw.close()


def _json(project: Path | str, *args: str) -> list[dict]:
    result = annotator("search", "--project", project, "--format", "json", *args,
                       cwd=project.parent if isinstance(project, Path) else Path.cwd())
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)["results"]


def test_json_results_point_into_the_document_text(project: Path) -> None:
    texts = _texts(project)
    results = _json(project, "ёлка")
    assert {(r["document_id"], r["field"], r["claim_id"]) for r in results} == {
        ("doc-ru", "quote", "claim-ru-2"), ("doc-ru-v2", "text", None)}
    for r in results:
        assert texts[r["document_id"]][r["start"]:r["end"]] == "Ёлка"
        assert r["snippet"][r["hit_start"]:r["hit_end"]] == "Ёлка"
    (quote,) = _json(project, "1400万人")
    assert texts["doc-ja"][quote["start"]:quote["end"]] == "1400万人"


def test_filters_and_text_output(project: Path) -> None:
    only = _json(project, "цены", "--analyst", "Наталья", "--label", "mixed")
    assert {r["claim_id"] for r in only} == {"claim-ru-1"}
    assert _json(project, "цены", "--status", "done") == []
    assert _json(project, "цены", "--since", "2030-01-01") == []
    result = annotator("search", "--project", project, "Росстат", cwd=project.parent)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "1 result"
    assert "note Наталья: Источник: «[Росстат]» вторая строка" in lines[0]


@pytest.mark.parametrize("query", ['"', "a AND (b", "%_*", "NEAR(", "-x", "'; --", "東"])
def test_hostile_queries_are_text(project: Path, query: str) -> None:
    texts = _texts(project)
    for r in _json(project, "--", query):          # "--": a query starting with "-"
        assert 0 <= r["start"] <= r["end"] <= len(texts[r["document_id"]])


def test_bad_arguments_are_one_line_errors(project: Path, tmp_path: Path) -> None:
    for args, message in (
            (["--status", "finished"], "--status 'finished': not a status"),
            (["--since", "2020-13-01"], "--since '2020-13-01': not a date"),
            (["--limit", "0"], "--limit must be 1 or more")):
        result = annotator("search", "--project", project, "x", *args, cwd=tmp_path)
        assert result.returncode == 2
        (line,) = stderr_lines(result)
        assert line.startswith(f"annotator: error: {message}")
    missing = annotator("search", "--project", tmp_path / "none.sqlite", "x", cwd=tmp_path)
    assert missing.returncode == 2 and "no such project" in missing.stderr
    assert not (tmp_path / "none.sqlite").exists()


@pytest.fixture
def reviewed(project_location: str | Path, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A project (on each backend) with an analyst's claim and its gold claim."""
    service = ProjectService.open(project_location, create=True)
    try:
        text = "Der Minister sagte: 東京都知事は述べた。 Prices rose."
        document = Document.from_text(text, title="Reviewed")
        service.add_document(document)
        start = text.index("東京都知事")
        claim = service.add_claim(Claim.new(document, start, start + 5, annotator="alice"))
        decision = adjudicate(Decision.EDIT, [claim], adjudicator="rev", span_from=claim,
                              edited=claim.edited(note="Gold: Zanzibar"))
        ReviewService(service).add_adjudication(decision)
        assert decision.gold is not None
        return str(project_location), {"text": text, "claim": claim.id,
                                       "gold": decision.gold.id}
    finally:
        service.close()


def test_the_gold_layer(reviewed: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    location, ids = reviewed
    found = _json(location, "知事", "--layer", "gold")
    assert [(r["kind"], r["field"], r["claim_id"], r["analyst"]) for r in found] == \
        [("gold", "quote", ids["gold"], "rev")]
    assert ids["text"][found[0]["start"]:found[0]["end"]] == "知事"
    both = _json(location, "知事", "--layer", "all")
    assert {(r["kind"], r["claim_id"]) for r in both} == {("gold", ids["gold"]),
                                                           ("analyst", ids["claim"])}
    assert [r["claim_id"] for r in _json(location, "知事")] == [ids["claim"]]
    result = annotator("search", "--project", location, "--layer", "all", "zanzibar",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Reviewed ({found[0]['document_id']}) 20-25 note gold rev: Gold: [Zanzibar]",
        "1 result"]
