"""Importing a REFI-QDA project: Annotator's own export comes back claim by
claim (quote, positions, labels, analyst, note) into a new project, and a
.qdpx in another program's style (text inside the XML, braced GUIDs, codes of
its own, a source outside the file) imports with its codes as tags."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension
from annotator.formats.problems import ImportProblem
from annotator.services.project import ProjectService
from annotator.services.qdpx_import import import_qdpx
from tests.formats.export_corpus import Corpus, export_corpus


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    folder = tmp_path_factory.mktemp("qdpx-in")
    corpus, _, _ = export_corpus(folder, "refi-qda", "project.qdpx")
    return corpus, folder / "project.qdpx"


def _fold(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_our_export_comes_back_claim_by_claim(exported: tuple[Corpus, Path],
                                              tmp_path: Path) -> None:
    corpus, path = exported
    service = ProjectService.open(tmp_path / "new.annotator.sqlite", create=True)
    try:
        report = import_qdpx(service, path)
        again = import_qdpx(service, path)
        claims = {c.id: c for info in service.documents()
                  for c in service.claims(info.id)}
        texts = {info.id: service.document(info.id).text for info in service.documents()}
    finally:
        service.close()
    assert report.documents_added == len(corpus.documents)
    assert report.claims_added == len(corpus.claims) and not report.problems
    assert again.claims_added == 0 and again.documents_added == 0
    for original in corpus.claims:
        claim = claims[original.id]
        assert claim.quote == _fold(original.quote)
        assert texts[claim.document_id][claim.start:claim.end] == claim.quote
        assert claim.annotator == original.annotator
        assert claim.note == original.note
        for dimension in Dimension:
            expected = getattr(original, dimension.value)
            if dimension is Dimension.STANCE and expected == "maybe":
                # Not in a new project's codebook: the code arrives as a tag.
                assert claim.stance is None and "Maybe" in claim.tags
            else:
                assert getattr(claim, dimension.value) == expected, (original.quote, dimension)


OTHER = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews" origin="OtherQDA 3">
  <Users><User guid="{5E1C5D5B-1D5A-4C6B-9D1E-3A2B1C0D9E8F}" name="Ruth"/></Users>
  <CodeBook><Codes>
    <Code guid="0b6c1f4e-9a3d-4c2b-8e1f-7a6b5c4d3e2f" name="Trust" isCodable="true">
      <Code guid="1c7d2e5f-0a4b-4d3c-9f2e-8b7c6d5e4f3a" name="Distrust" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="2d8e3f60-1b5c-4e4d-a03f-9c8d7e6f5a4b" name="Interview 1">
      <PlainTextContent>Q: Do you trust them? 👇
A: Not since 2021, 深度 said.</PlainTextContent>
      <PlainTextSelection guid="{3E9F4071-2C6D-4F5E-B14A-AD9E8F706B5C}" startPosition="27"
          endPosition="41" creatingUser="{5E1C5D5B-1D5A-4C6B-9D1E-3A2B1C0D9E8F}"
          creationDateTime="2024-05-02T10:15:00">
        <Coding guid="4fa05182-3d7e-4a6f-825b-be0f9a817c6d">
          <CodeRef targetGUID="1c7d2e5f-0a4b-4d3c-9f2e-8b7c6d5e4f3a"/>
        </Coding>
        <NoteRef targetGUID="50b16293-4e8f-4b70-9a6c-cf1a0b928d7e"/>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="61c273a4-5f90-4c81-8b7d-d02b1ca39e8f" name="Elsewhere"
        plainTextPath="file:///home/ruth/secret.txt"/>
  </Sources>
  <Notes><Note guid="50b16293-4e8f-4b70-9a6c-cf1a0b928d7e" name="memo">
    <PlainTextContent>Hesitates before answering.</PlainTextContent></Note></Notes>
</Project>
"""


def test_a_project_from_another_program(tmp_path: Path) -> None:
    path = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", OTHER.encode("utf-8"))
    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        report = import_qdpx(service, path)
        (info,) = service.documents()
        (claim,) = service.claims(info.id)
    finally:
        service.close()
    assert report.documents_added == 1 and report.claims_added == 1
    (problem,) = report.problems                 # the source outside the file
    assert "outside the .qdpx; not followed" in str(problem)
    assert claim.quote == "Not since 2021"
    assert claim.id == "3e9f4071-2c6d-4f5e-b14a-ad9e8f706b5c"
    assert claim.annotator == "Ruth" and claim.note == "Hesitates before answering."
    assert claim.tags == ("Distrust",) and claim.stance is None


def test_not_a_qdpx_is_one_clear_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.qdpx"
    path.write_bytes(b"not a zip")
    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        with pytest.raises(ImportProblem, match=r"not a readable \.qdpx"):
            import_qdpx(service, path)
    finally:
        service.close()


def test_the_command_line_imports_a_qdpx(exported: tuple[Corpus, Path], tmp_path: Path) -> None:
    corpus, path = exported
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "import", "--project",
         str(tmp_path / "cli.annotator.sqlite"), str(path)],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    assert (f"REFI-QDA project: {path}: {len(corpus.documents)} documents added" in
            result.stdout)

