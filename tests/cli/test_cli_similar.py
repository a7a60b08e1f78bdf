"""``annotator similar`` in a real subprocess, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.domain.model import Claim, Document
from annotator.services.project import ProjectService
from tests.cli.test_cli import annotator, stderr_lines

FIELDS = {"document_id", "start", "end", "quote", "score", "claim_id"}


def _claim(location: str | Path, quote: str, *, title: str | None = None,
           text: str | None = None) -> tuple[str, dict[str, str]]:
    """A claim on ``quote`` (in a new document of ``text`` when given); its id and
    the project's texts by document id."""
    service = ProjectService.open(location)
    try:
        if text is not None:
            service.add_document(Document.from_text(text, title=title or "extra"))
        texts = {info.id: service.document(info.id).text for info in service.documents()}
        (document_id, body), *_ = [(i, t) for i, t in texts.items() if quote in t]
        start = body.index(quote)
        claim = service.add_claim(Claim.new(service.document(document_id), start,
                                            start + len(quote), annotator="ann"))
    finally:
        service.close()
    return claim.id, texts


def test_json_is_an_array_of_candidates_best_first(seeded_location, tmp_path):
    claim_id, texts = _claim(seeded_location, "lost USD 589 billion in market")
    result = annotator("similar", "--project", seeded_location, "--claim", claim_id,
                       "--format", "json", "--limit", "5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    found = json.loads(result.stdout)
    assert isinstance(found, list) and 2 <= len(found) <= 5
    assert all(set(c) >= FIELDS for c in found)
    assert [c["score"] for c in found] == sorted((c["score"] for c in found), reverse=True)
    for c in found:
        assert texts[c["document_id"]][c["start"]:c["end"]] == c["quote"]
        assert c["claim_id"] is None          # no other claims in the project yet
    assert "$600 billion" in found[0]["quote"] and "$600 billion" in found[1]["quote"]

    text = annotator("similar", "--project", seeded_location, "--claim", claim_id,
                     "--limit", "2", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[-1] == "2 candidates"
    assert "figure USD 589 billion ~ $600 billion" in text.stdout


def test_nothing_matches_prints_an_empty_array(seeded_location, tmp_path):
    claim_id, _texts = _claim(seeded_location, "Zorblax", text="Zorblax quintessa vumbly.")
    result = annotator("similar", "--project", seeded_location, "--claim", claim_id,
                       "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_an_unknown_claim_is_an_error_with_a_message(seeded_location, tmp_path):
    result = annotator("similar", "--project", seeded_location, "--claim", "no-such-claim",
                       "--format", "json", cwd=tmp_path)
    assert result.returncode == 2        # a user error, as for every command
    assert result.stdout == ""
    assert stderr_lines(result) == ["annotator: error: no claim 'no-such-claim' in this "
                                    "project"]
    bad = annotator("similar", "--project", seeded_location, "--claim", "x", "--limit", "0",
                    cwd=tmp_path)
    assert bad.returncode == 2 and "--limit" in bad.stderr
