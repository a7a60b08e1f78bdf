"""Hostile input through the command line: one stderr line per bad record (its
file, line number and reason), the valid records imported, exit code 1, and
never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from annotator.domain.model import Claim, Document
from annotator.formats.export import package
from annotator.services import exports
from annotator.services.project import ProjectService

TEXT = "Ports reopen in May, the minister said. The union said they would not."
QUOTES = ["Ports reopen", "the minister said", "The union said"]


def annotator(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A package folder: one document, three claims."""
    service = ProjectService.open(tmp_path / "source.annotator.sqlite", create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="Ports")).document
        for quote in QUOTES:
            start = TEXT.index(quote)
            service.add_claim(Claim.new(document, start, start + len(quote), annotator="ana"))
        exports.export(service, "package", tmp_path / "package")
    finally:
        service.close()
    return tmp_path / "package"


def _claims(path: Path) -> int:
    service = ProjectService.open(path)
    try:
        return service.claim_count()
    finally:
        service.close()


def _hostile_lines(records: list[dict]) -> tuple[bytes, list[int]]:
    first = records[0]
    lines = [
        json.dumps(records[0]).encode(),
        b"[" * 100_000,                                                     # 2
        json.dumps(dict(first, id=str(uuid.uuid4()),
                        created_at="0001-01-01T00:00:00+01:00")).encode(),  # 3
        json.dumps(records[1]).encode(),
        json.dumps(dict(first, id=str(uuid.uuid4()),
                        codebook_version=10 ** 30)).encode(),              # 5
        json.dumps(dict(first, id=str(uuid.uuid4()), note="\ud800")).encode(),  # 6
        b'{"id": "\xc3\x28"}',                                              # 7
        json.dumps(records[0]).encode(),                                    # 8: again
        json.dumps(records[2]).encode(),
    ]
    return b"\n".join(lines) + b"\n", [2, 3, 5, 6, 7, 8]


def test_import_annotations_reports_each_bad_line_and_keeps_the_good(
        exported: Path, tmp_path: Path) -> None:
    records = [json.loads(line) for line in
               (exported / package.CLAIMS).read_text(encoding="utf-8").splitlines()]
    data, bad = _hostile_lines(records)
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_bytes(data)
    project = tmp_path / "fresh.annotator.sqlite"
    assert annotator("import", "--project", project, exported / package.DOCUMENTS,
                     cwd=tmp_path).returncode == 0
    result = annotator("import-annotations", "--project", project, hostile, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    assert [line.split(":")[2] for line in problems] == [str(n) for n in bad]
    assert all(line.startswith(f"annotator: {hostile}:") and len(line) < 300
               for line in problems)
    assert "3 claims added" in result.stdout and "6 skipped" in result.stdout
    assert _claims(project) == 3


def test_a_package_with_a_bomb_for_claims_imports_its_documents(
        exported: Path, tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name in package.PACKAGE_FILES:
            data = (b"\n" * (16 * 1024 * 1024) if name == package.CLAIMS
                    else (exported / name).read_bytes())
            out.writestr(f"bomb/{name}", data)
    project = tmp_path / "fresh.annotator.sqlite"
    result = annotator("import", "--project", project, archive, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (problem,) = result.stderr.splitlines()
    assert problem.startswith(f"annotator: {archive}/bomb/{package.CLAIMS}: inflates ")
    assert "zip bomb" in problem
    assert "1 documents added" in result.stdout
    assert _claims(project) == 0


def test_a_package_with_hostile_records_imports_the_rest(exported: Path, tmp_path: Path) -> None:
    records = [json.loads(line) for line in
               (exported / package.CLAIMS).read_text(encoding="utf-8").splitlines()]
    data, bad = _hostile_lines(records)
    (exported / package.CLAIMS).write_bytes(data)
    with (exported / package.DOCUMENTS).open("ab") as documents:
        documents.write(b'{"text": "x", "metadata": ' + b"[" * 100_000 + b"\n")
    project = tmp_path / "fresh.annotator.sqlite"
    result = annotator("import", "--project", project, exported, cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = result.stderr.splitlines()
    assert problems[0] == (f"annotator: {exported / package.DOCUMENTS}:2: is not a record: "
                           "nested more than 64 levels deep")
    assert [line.split(":")[2] for line in problems[1:]] == [str(n) for n in bad]
    assert _claims(project) == 3
