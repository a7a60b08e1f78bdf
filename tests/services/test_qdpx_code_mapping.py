"""Another program's .qdpx: its codes are mapped onto the codebook before
anything is written (labels by name or key, case- and accent-insensitively,
tags otherwise, skip by choice), from the service and the command line, on
both backends."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from annotator.cli.main import main
from annotator.domain.code_mapping import How
from annotator.formats.problems import ImportProblem
from annotator.services import qdpx_import
from annotator.services.project import ProjectService
from tests.qdpx_codes import SELECTIONS, add_statistic, write_qdpx

EXPECTED = {
    "Supports": ("stance:supports", How.NAME),
    "refutes": ("stance:refutes", How.NAME),
    "RÉFUTES": ("stance:refutes", How.NAME),
    "Claim/Statistic": ("claim_type:statistic", How.NAME),
    "Credibility": ("tag", How.TAG),
    "Credibility/Doubtful": ("info_credibility:4", How.NAME),
    "Interviewer": ("tag", How.TAG),
    "Noise": ("tag", How.TAG),
}


@pytest.fixture
def project(project_location: str | Path) -> ProjectService:
    service = ProjectService.open(project_location, create=True)
    add_statistic(service)
    yield service
    service.close()


def _claims(service: ProjectService) -> dict[str, object]:
    [info] = service.documents()
    text = service.document(info.id).text
    claims = {claim.quote: claim for claim in service.claims(info.id)}
    for claim in claims.values():
        assert text[claim.start:claim.end] == claim.quote     # offsets exact
    return claims


def test_codes_are_proposed_labels_tags_or_the_claim(project: ProjectService,
                                                     tmp_path: Path) -> None:
    prepared = qdpx_import.prepare_qdpx(project, write_qdpx(tmp_path / "other.qdpx"))
    found = {choice.code.path: (choice.target, choice.how) for choice in prepared.mapping.choices}
    assert found == EXPECTED
    codings = {choice.code.path: choice.code.codings for choice in prepared.mapping.choices}
    assert codings == {"Supports": 1, "refutes": 1, "RÉFUTES": 1, "Claim/Statistic": 1,
                       "Credibility": 0, "Credibility/Doubtful": 1, "Interviewer": 1,
                       "Noise": 1}
    assert project.documents() == []        # nothing written by a preview


def test_the_proposed_mapping_imports_labels_and_tags(project: ProjectService,
                                                      tmp_path: Path) -> None:
    report = qdpx_import.import_qdpx(project, write_qdpx(tmp_path / "other.qdpx"))
    claims = _claims(project)
    assert report.claims_added == 4 and not report.problems
    figure, doubt, exports, ask = (claims[quote] for quote, _, _ in SELECTIONS)
    assert (figure.stance, figure.claim_type, figure.tags) == ("supports", "statistic", ())
    assert (doubt.stance, doubt.info_credibility, doubt.tags) == ("refutes", 4, ())
    assert (exports.stance, exports.tags) == ("refutes", ("Interviewer",))
    assert ask.tags == ("Noise",) and ask.stance is None


def test_chosen_targets_and_skip(project: ProjectService, tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "other.qdpx")
    report = qdpx_import.import_qdpx(project, path, {
        "Noise": "skip", "Interviewer": "skip", "RÉFUTES": "stance:neutral",
        "Credibility/Doubtful": "tag"})
    claims = _claims(project)
    # The selection coded only with a skipped code is left out; a skipped code
    # beside a kept one leaves no trace.
    assert report.claims_added == 3 and set(claims) == {q for q, _, _ in SELECTIONS[:3]}
    exports = claims[SELECTIONS[2][0]]
    assert exports.stance == "neutral" and exports.tags == ()
    doubt = claims[SELECTIONS[1][0]]
    assert doubt.info_credibility is None and doubt.tags == ("Doubtful",)
    again = qdpx_import.import_qdpx(project, path, {"Noise": "skip", "Interviewer": "skip"})
    assert again.claims_added == 0 and again.documents_added == 0


def test_a_mapping_naming_what_is_not_there_is_refused(project: ProjectService,
                                                       tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "other.qdpx")
    with pytest.raises(ImportProblem, match="no code named 'Nothing'"):
        qdpx_import.import_qdpx(project, path, {"Nothing": "tag"})
    with pytest.raises(ImportProblem, match="stance has no label 'maybe'"):
        qdpx_import.import_qdpx(project, path, {"Noise": "stance:maybe"})
    assert project.documents() == []


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def run(*args: object) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)
    return run


def test_the_command_line_previews_and_maps_codes(project: ProjectService, cli,
                                                  project_location: str | Path,
                                                  tmp_path: Path) -> None:
    path = write_qdpx(tmp_path / "other.qdpx")
    choices = tmp_path / "codes.json"
    choices.write_text(json.dumps({"Noise": "skip", "Interviewer": "skip"}), encoding="utf-8")
    dry = cli("import", "--project", project_location, "--map-codes", choices, "--dry-run",
              path)
    assert dry.returncode == 0, dry.stderr
    assert "nothing imported (--dry-run)" in dry.stdout
    assert "  Supports (1 coding) → stance:supports (same name)" in dry.stdout
    assert "  Claim/Statistic (1 coding) → claim_type:statistic (same name)" in dry.stdout
    assert "  Noise (1 coding) → skip (chosen)" in dry.stdout
    assert project.documents() == []
    done = cli("import", "--project", project_location, "--map-codes", choices, path)
    assert done.returncode == 0, done.stderr
    assert "REFI-QDA project" in done.stdout and "3 claims added" in done.stdout
    assert set(_claims(project)) == {q for q, _, _ in SELECTIONS[:3]}
    choices.write_text(json.dumps({"Noise": "stance:nonsense"}), encoding="utf-8")
    bad = cli("import", "--project", project_location, "--map-codes", choices, path)
    assert bad.returncode == 2 and "stance has no label 'nonsense'" in bad.stderr
    plain = cli("import", "--project", project_location, "--dry-run", tmp_path / "codes.json")
    assert plain.returncode == 2 and "for REFI-QDA projects (.qdpx) only" in plain.stderr
