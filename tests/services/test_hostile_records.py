"""Hostile JSON Lines and packages: every bad record is one problem with its line
number and reason, the valid records import, sizes are bounded before anything
is read, and a package member is imported whole or not at all."""

from __future__ import annotations

import io
import json
import math
import os
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import event

from annotator.domain.model import Claim, Document
from annotator.formats import jsonl
from annotator.formats.export import package
from annotator.formats.problems import MAX_REASON_CHARS, ImportProblem
from annotator.services import exports, packages
from annotator.services.project import ProjectService
from annotator.services.transfer import FileStatus, import_annotations, import_files

TEXT = ("The minister said the harbour would reopen in May. Critics said it would not. "
        "A third voice said nothing at all, which is also a claim of a kind.")
QUOTES = ["The minister said", "harbour would reopen", "Critics said", "A third voice",
          "nothing at all"]


def _strict(line: str) -> object:
    """json.loads that refuses NaN and Infinity, as every other JSON reader does."""
    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")
    return json.loads(line, parse_constant=refuse)


@pytest.fixture
def source(tmp_path: Path) -> dict[str, Path]:
    """A project with one document and five claims, exported as claims JSONL and
    as a dataset package (folder)."""
    project = tmp_path / "source.annotator.sqlite"
    service = ProjectService.open(project, create=True)
    try:
        document = service.add_document(Document.from_text(TEXT, title="Harbour")).document
        for quote in QUOTES:
            start = TEXT.index(quote)
            service.add_claim(Claim.new(document, start, start + len(quote), annotator="ana",
                                        note=f"on {quote}"))
        exports.export(service, "jsonl", tmp_path / "claims.jsonl")
        exports.export(service, "package", tmp_path / "package")
    finally:
        service.close()
    return {"project": project, "claims": tmp_path / "claims.jsonl",
            "package": tmp_path / "package"}


def _fresh(tmp_path: Path, name: str = "fresh") -> ProjectService:
    return ProjectService.open(tmp_path / f"{name}.annotator.sqlite", create=True)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def _hostile_claims(records: list[dict]) -> tuple[list[bytes], dict[int, str]]:
    """Claim lines: the five valid records with hostile ones between them, and
    what each hostile line (by number) must be reported for."""
    good = [json.dumps(r, ensure_ascii=False).encode() for r in records]
    first = records[0]
    hostile: list[tuple[bytes, str]] = [
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        (json.dumps(dict(first, id=str(uuid.uuid4()),
                         created_at="0001-01-01T00:00:00+01:00")).encode(),
         "outside the years 1 to 9999"),
        (json.dumps(dict(first, id=str(uuid.uuid4()))).encode().replace(
            b'"codebook_version": 1', b'"codebook_version": ' + str(10 ** 30).encode()),
         "too large"),
        (json.dumps(dict(first, id=str(uuid.uuid4()), note="a\ud800b")).encode(),
         "lone surrogate"),
        (json.dumps(dict(first, id=str(uuid.uuid4()),
                         tags=json.loads("[" * 200 + "]" * 200))).encode(), "nested more than"),
        (b'{"id": "\xff\xfe", "start": 1}', "not UTF-8"),
        (json.dumps(dict(first, id=str(uuid.uuid4()))).encode().replace(
            b'"start": 0', b'"start": NaN'), "NaN is not a JSON value"),
        (b'{"note": "' + os.urandom(1536 * 1024).hex().encode() + b'"}',   # incompressible
         "longer than 1 MiB"),
        (json.dumps(first).encode(), "is listed again (first on line 1)"),
        (json.dumps(dict(first, id=str(uuid.uuid4()), note=["y" * 500_000])).encode(),
         "note must be a string"),
    ]
    lines: list[bytes] = []
    expected: dict[int, str] = {}
    for index, line in enumerate(good):
        lines.append(line)
        lines.append(b"")                       # blank lines are skipped, counted
        for bad, reason in hostile[2 * index:2 * index + 2]:
            lines.append(bad)
            expected[len(lines)] = reason
    return lines, expected


def test_each_bad_claim_line_is_one_problem_and_the_valid_claims_import(
        source: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 1024 * 1024)   # the over-long line, small
    records = [json.loads(line) for line in _lines(source["claims"])]
    lines, expected = _hostile_claims(records)
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_bytes(b"\n".join(lines) + b"\n")
    fresh = _fresh(tmp_path)
    try:
        document = fresh.add_document(Document.from_text(TEXT, title="Harbour")).document
        report = import_annotations(fresh, hostile)
        assert report.added == len(QUOTES), report.summary()
        assert {claim.quote for claim in fresh.claims(document.id)} == set(QUOTES)
    finally:
        fresh.close()
    found = {problem.line: problem.reason for problem in report.problems}
    assert sorted(found) == sorted(expected)
    for number, reason in expected.items():
        assert reason in found[number], (number, found[number])
    for problem in report.problems:
        assert problem.path == str(hostile)
        assert "\n" not in str(problem) and len(problem.reason) <= MAX_REASON_CHARS


def test_a_5_mb_field_makes_a_short_problem(source: dict[str, Path], tmp_path: Path) -> None:
    record = json.loads(_lines(source["claims"])[0])
    # (a label that long is refused by its length first: "stance is longer than 40 …")
    record.update(id=str(uuid.uuid4()), start="s" * 5_000_000)
    bad = tmp_path / "big.jsonl"
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    fresh = _fresh(tmp_path)
    try:
        fresh.add_document(Document.from_text(TEXT, title="Harbour"))
        (problem,) = import_annotations(fresh, bad).problems
    finally:
        fresh.close()
    assert problem.line == 1 and problem.reason.startswith("start")
    assert len(problem.reason) == MAX_REASON_CHARS and problem.reason.endswith("…")


def _zip(folder: Path, out: Path, replace: dict[str, bytes] | None = None) -> Path:
    """``folder`` (a package) zipped to ``out`` with some members replaced."""
    replace = replace or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in package.PACKAGE_FILES:
            data = replace.get(name)
            archive.writestr(f"{out.stem}/{name}",
                             data if data is not None else (folder / name).read_bytes())
    return out


def test_a_package_with_hostile_records_imports_every_valid_one(
        source: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_LINE_BYTES", 1024 * 1024)
    folder = source["package"]
    (document,) = (json.loads(line) for line in _lines(folder / package.DOCUMENTS))
    deep = json.loads("[" * 100 + "]" * 100)
    other = "Another text, fine in itself."
    documents = [
        json.dumps(dict(document, id=str(uuid.uuid4()), text=other + " 1", sha256=None,
                        metadata={"deep": deep})),
        json.dumps(dict(document, id=str(uuid.uuid4()), text=other + " 2", sha256=None,
                        created_at="9999-12-31T23:30:00-01:00")),
        json.dumps(dict(document, id=str(uuid.uuid4()), text=other + " 3", sha256=None,
                        title="\udfff")),
        json.dumps(dict(document, id=str(uuid.uuid4()), text=other + " 4", sha256=None,
                        metadata={"ratio": math.nan}), allow_nan=True),
        json.dumps(document),
    ]
    records = [json.loads(line) for line in _lines(folder / package.CLAIMS)]
    lines, expected = _hostile_claims(records)
    archive = _zip(folder, tmp_path / "hostile.zip", {
        package.DOCUMENTS: "\n".join(documents).encode() + b"\n",
        package.CLAIMS: b"\n".join(lines)})
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, archive)
        assert (report.documents_added, report.claims_added) == (1, len(QUOTES)), \
            report.summary()
        assert [d.title for d in fresh.documents()] == ["Harbour"]
    finally:
        fresh.close()
    where_documents = f"{archive}/hostile/{package.DOCUMENTS}"
    bad_documents = {p.line: p.reason for p in report.problems if p.path == where_documents}
    assert sorted(bad_documents) == [1, 2, 3, 4]
    assert "nested more than" in bad_documents[1]
    assert "outside the years" in bad_documents[2]
    assert "lone surrogate" in bad_documents[3]
    assert "NaN" in bad_documents[4]
    bad_claims = {p.line: p.reason for p in report.problems
                  if p.path == f"{archive}/hostile/{package.CLAIMS}"}
    assert sorted(bad_claims) == sorted(expected)
    assert len(report.problems) == len(bad_documents) + len(bad_claims)


def _documents_of(path: Path) -> int:
    service = ProjectService.open(path)
    try:
        return len(service.documents())
    finally:
        service.close()


def test_a_huge_codebook_is_refused_before_it_is_read(
        source: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_CODEBOOK_BYTES", 4096)
    archive = _zip(source["package"], tmp_path / "bomb.zip",
                   {package.CODEBOOK: b" " * 100_000 + b"{}"})
    opened: list[str] = []
    original = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *args, **kwargs:
                        opened.append(str(name)) or original(self, name, *args, **kwargs))
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, archive)
        assert (report.documents_added, report.claims_added) == (1, len(QUOTES))
    finally:
        fresh.close()
    (problem,) = report.problems
    assert problem.path.endswith(package.CODEBOOK)
    assert problem.reason == ("codebook not used: inflates to 100,002 bytes, more than the "
                              "4,096 bytes allowed; refused (it may be a zip bomb)")
    assert opened and not any(name.endswith(package.CODEBOOK) for name in opened)


def test_a_zip_bomb_of_blank_lines_is_refused_and_the_documents_still_import(
        source: dict[str, Path], tmp_path: Path) -> None:
    blank = b"\n" * (8 * 1024 * 1024)          # 8 MiB inflating from a few KiB
    archive = _zip(source["package"], tmp_path / "blank.zip", {package.CLAIMS: blank})
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, archive)
        assert (report.documents_added, report.claims_added) == (1, 0)
        assert fresh.claim_count() == 0
    finally:
        fresh.close()
    (problem,) = report.problems
    assert problem.path == f"{archive}/blank/{package.CLAIMS}"
    assert "times its compressed size" in problem.reason and "zip bomb" in problem.reason


def test_a_member_over_its_limit_stores_none_of_it(
        source: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_MEMBER_BYTES", 1000)
    documents = b"\n".join(
        json.dumps({"text": f"Document number {n} " + "words " * 20}).encode()
        for n in range(40))
    archive = _zip(source["package"], tmp_path / "big.zip", {package.DOCUMENTS: documents})
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, archive)
        assert report.documents_added == 0 and fresh.documents() == []
    finally:
        fresh.close()
    # claims.jsonl is over the limit too: each member is refused on its own.
    assert [(p.path, p.line) for p in report.problems] == [
        (f"{archive}/big/{package.DOCUMENTS}", None), (f"{archive}/big/{package.CLAIMS}", None)]
    assert all("more than the 1,000 bytes allowed" in p.reason for p in report.problems)


def test_a_damaged_documents_member_stores_none_of_it(
        source: dict[str, Path], tmp_path: Path) -> None:
    documents = b"\n".join(
        json.dumps({"text": f"Document number {n}: " + " ".join(
            str(uuid.uuid4()) for _ in range(30))}).encode() for n in range(200))
    archive = _zip(source["package"], tmp_path / "damaged.zip",
                   {package.DOCUMENTS: documents})
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo(f"damaged/{package.DOCUMENTS}")
    # Flip a byte near the end of the member's compressed data: the first lines
    # still inflate, the checksum fails at the end.
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size - 40
    data[at] ^= 0xFF
    archive.write_bytes(bytes(data))
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, archive)
        assert fresh.documents() == [] and report.documents_added == 0
    finally:
        fresh.close()
    assert report.problems[0].path == f"{archive}/damaged/{package.DOCUMENTS}"
    assert "cannot be read" in report.problems[0].reason


def test_jsonl_limits_hold_for_plain_files(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"{}\n" * 400)
    fresh = _fresh(tmp_path)
    try:
        with pytest.raises(ImportProblem, match="more than 1,000 bytes"):
            import_annotations(fresh, big)
    finally:
        fresh.close()


def test_blank_lines_are_skipped_fast_and_counted() -> None:
    data = b"\n" * 50_000_000 + b'{"a": 1}\n' + b" \r\n" * 1000 + b'{"b": 2}'
    assert list(jsonl.read_records(io.BytesIO(data), "x")) == [
        (50_000_001, {"a": 1}), (50_001_002, {"b": 2})]


def test_a_line_longer_than_the_limit_is_skipped_unread() -> None:
    data = b'{"a": 1}\n' + b"x" * 10_000 + b"\n" + b'{"b": 2}\n' + b"y" * 5000
    found = list(jsonl.read_records(io.BytesIO(data), "x", max_line=4096))
    assert [(n, r if isinstance(r, dict) else str(r)) for n, r in found] == [
        (1, {"a": 1}), (2, "is longer than 4,096 bytes; skipped unread"), (3, {"b": 2}),
        (4, "is longer than 4,096 bytes; skipped unread")]


def _fill_disk_after(service: ProjectService, spare_pages: int) -> None:
    """Make the project's disk 'full' ``spare_pages`` pages from now (SQLite's
    max_page_count gives SQLITE_FULL, as a full disk does)."""
    engine = service.database.engine
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    limit = pages + spare_pages

    def on_connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")  # type: ignore[attr-defined]

    event.listen(engine, "connect", on_connect)
    engine.dispose()


def test_a_full_disk_stops_a_file_import_and_lists_what_was_kept(tmp_path: Path) -> None:
    files = []
    for n in range(6):
        path = tmp_path / f"doc{n}.txt"
        path.write_text(f"Document {n}. " + "Some words of text. " * 1500, encoding="utf-8")
        files.append(path)
    service = _fresh(tmp_path)
    try:
        _fill_disk_after(service, 40)
        report = import_files(service, files)
    finally:
        service.close()
    statuses = [result.status for result in report.results]
    kept = statuses.index(FileStatus.FAILED)
    assert 1 <= kept < 6, report.summary()
    assert statuses == [FileStatus.IMPORTED] * kept + [FileStatus.FAILED] + [
        FileStatus.SKIPPED] * (5 - kept)
    assert "disk is full" in report.results[kept].reason
    assert "stopped" in report.summary() and "disk is full" in report.stopped
    assert _documents_of(tmp_path / "fresh.annotator.sqlite") == kept


def test_a_full_disk_stops_a_package_import_and_reports_what_was_kept(
        source: dict[str, Path], tmp_path: Path) -> None:
    documents = b"\n".join(
        json.dumps({"text": f"Document number {n}. " + "Words of text. " * 1500}).encode()
        for n in range(8))
    folder = tmp_path / "many"
    folder.mkdir()
    for name in package.PACKAGE_FILES:
        (folder / name).write_bytes(documents if name == package.DOCUMENTS
                                    else (source["package"] / name).read_bytes())
    service = _fresh(tmp_path)
    try:
        _fill_disk_after(service, 40)
        report = packages.import_package(service, folder)
    finally:
        service.close()
    assert 1 <= report.documents_added < 8
    assert _documents_of(tmp_path / "fresh.annotator.sqlite") == report.documents_added
    (problem,) = report.problems
    assert "the import stopped" in problem.reason and "disk is full" in problem.reason
    assert f"{report.documents_added} documents added" in report.summary()


def test_exports_write_nan_as_null(tmp_path: Path) -> None:
    service = _fresh(tmp_path)
    try:
        document = service.add_document(Document.from_text(
            TEXT, title="Harbour",
            metadata={"ratio": math.nan, "scores": [1.5, math.inf, -math.inf]})).document
        service.add_claim(Claim.new(document, 0, 3, annotator="ana"))
        for fmt, out in (("documents", "documents.jsonl"), ("package", "package"),
                         ("jsonl", "claims.jsonl"), ("w3c", "w3c.json"),
                         ("label-studio", "ls.json"), ("doccano", "doccano.jsonl")):
            exports.export(service, fmt, tmp_path / out)
    finally:
        service.close()
    (record,) = (_strict(line) for line in _lines(tmp_path / "documents.jsonl"))
    assert record["metadata"] == {"ratio": None, "scores": [1.5, None, None]}
    for name in ("package/documents.jsonl", "package/claims.jsonl", "claims.jsonl",
                 "doccano.jsonl"):
        for line in _lines(tmp_path / name):
            _strict(line)
    for name in ("w3c.json", "ls.json"):
        _strict((tmp_path / name).read_text(encoding="utf-8"))


_MEMORY_PROBE = r"""
import json, resource, sys, zipfile
from pathlib import Path
from annotator.domain.model import Document
from annotator.formats.export import package
from annotator.services import packages
from annotator.services.project import ProjectService
from annotator.services.transfer import import_annotations

folder = Path(sys.argv[1])
service = ProjectService.open(folder / "probe.annotator.sqlite", create=True)
service.add_document(Document.from_text("Some text.", title="t"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
results = {}
results["bomb"] = [p.reason for p in packages.import_package(service, folder / "bomb.zip").problems]
package.MAX_RATIO = 10 ** 9          # let the bomb through the header check: read it all
results["read"] = [p.reason for p in packages.import_package(service, folder / "bomb.zip").problems]
line = import_annotations(service, folder / "line.jsonl")
results["line"] = [(p.line, p.reason) for p in line.problems]
service.close()
results["grew_mib"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps(results))
"""


@pytest.mark.slow
def test_a_real_zip_bomb_and_a_huge_line_keep_memory_bounded(
        source: dict[str, Path], tmp_path: Path) -> None:
    """200 MiB of line breaks (inflating from about 200 KiB) as claims.jsonl, and a
    plain JSONL file whose one line is 256 MiB: refused or skipped, with the
    process growing by a few MiB, not by the sizes read."""
    import subprocess
    import sys
    with zipfile.ZipFile(tmp_path / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for name in package.PACKAGE_FILES:
            with archive.open(f"bomb/{name}", "w", force_zip64=True) as member:
                if name == package.CLAIMS:
                    for _ in range(200):
                        member.write(b"\n" * (1024 * 1024))
                else:
                    member.write((source["package"] / name).read_bytes())
    assert (tmp_path / "bomb.zip").stat().st_size < 1024 * 1024
    with (tmp_path / "line.jsonl").open("wb") as handle:
        handle.write(b'{"note": "')
        for _ in range(256):
            handle.write(b"x" * (1024 * 1024))
        handle.write(b'"}\n')
    result = subprocess.run([sys.executable, "-c", _MEMORY_PROBE, str(tmp_path)],
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    (bomb,) = found["bomb"]
    assert "times its compressed size" in bomb
    assert found["read"] == []          # 200 MiB of blank lines: read, nothing in them
    assert found["line"] == [[1, "is longer than 16 MiB; skipped unread"]]
    assert found["grew_mib"] < 64, found


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_links_and_devices_are_not_read(source: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "linked"
    folder.mkdir()
    for name in package.PACKAGE_FILES:
        if name != package.CLAIMS:
            (folder / name).write_bytes((source["package"] / name).read_bytes())
    (folder / package.CLAIMS).symlink_to(source["package"] / package.CLAIMS)  # outside it
    fresh = _fresh(tmp_path)
    try:
        report = packages.import_package(fresh, folder)
        assert report.documents_added == 1 and fresh.claim_count() == 0
        with pytest.raises(ImportProblem, match="is not a regular file"):
            import_annotations(fresh, "/dev/zero")
    finally:
        fresh.close()
    (problem,) = report.problems
    assert (problem.path, problem.reason) == (
        str(folder / package.CLAIMS), "is a link; a package's files must be in it")


def test_a_file_of_garbage_makes_a_bounded_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonl, "MAX_BAD_LINES", 10)
    data = b"garbage\n" * 50 + b'{"ok": true}\n' + b"more garbage\n" * 5
    found = list(jsonl.read_records(io.BytesIO(data), "x"))
    assert [n for n, r in found if isinstance(r, jsonl.BadRecord)] == [*range(1, 11), 56]
    assert (51, {"ok": True}) in found
    assert str(found[-1][1]) == ("and 45 more lines that are not records (after the first 10, "
                                 "not listed one by one)")


def test_a_disk_full_from_the_start_fails_the_import(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Words. " * 40_000, encoding="utf-8")
    service = _fresh(tmp_path)
    try:
        _fill_disk_after(service, 0)
        report = import_files(service, [note])
    finally:
        service.close()
    # Nothing could be stored: the one file failed with the reason, and the
    # report says why the import stopped (the CLI turns that into exit 2).
    assert [r.status for r in report.results] == [FileStatus.FAILED]
    assert "disk is full" in report.results[0].reason
    assert "disk is full" in report.stopped
    assert _documents_of(tmp_path / "fresh.annotator.sqlite") == 0
