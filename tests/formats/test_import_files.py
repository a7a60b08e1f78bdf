"""Importing a mixed folder into a project through the importer registry: every
file gets its own result, bad input never crashes the import or changes what the
project already holds, progress is reported and the import can be cancelled."""

from __future__ import annotations

import codecs
import random
import subprocess
import sys
import threading
from pathlib import Path

import docx
import pytest

from annotator.domain.model import Document
from annotator.formats import pdf, registry
from annotator.formats.registry import ImportOptions
from annotator.paths import seeds_dir
from annotator.services.project import ProjectService
from annotator.services.sample import import_sample_corpus
from annotator.services.transfer import FileStatus, import_files
from tests.formats.documents import encrypted_pdf, make_pdf, zip_bytes

MERICS = "merics-deepseek-us-china-ai-race.txt"
NASDAQ = ("The Nasdaq plummeted three percent Monday as a privately backed Chinese startup "
          "shocked the tech world")


def all_documents(service: ProjectService) -> list[Document]:
    return [service.document(info.id) for info in service.documents()]


@pytest.fixture
def service(tmp_path):
    service = ProjectService.open(tmp_path / "project.annotator.sqlite", create=True)
    yield service
    service.close()


def good_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    files = {}
    files["txt"] = folder / "note.txt"
    files["txt"].write_text("A plain note about chips.\n", encoding="utf-8")
    files["md"] = folder / "memo.md"
    files["md"].write_text("---\ntitle: Front matter title\ndate: 2025-01-02\n---\n"
                           "# Heading\n\nSome *markdown* with ![img](../../etc/passwd).\n",
                           encoding="utf-8")
    files["html"] = folder / "page.html"
    files["html"].write_text("<html><head><title>Page title</title></head><body><article>"
                             "<p>An article paragraph long enough to be the main text of "
                             "the page.</p><img src='https://example.invalid/x.png'>"
                             "</article></body></html>", encoding="utf-8")
    files["pdf"] = make_pdf(folder / "report.pdf", [[["PDF body text on page one."]],
                                                    [["Page two text."]]])
    document = docx.Document()
    document.add_paragraph("Word body text.")
    files["docx"] = folder / "memo.docx"
    document.save(str(files["docx"]))
    return files


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad file with a word its reason must contain."""
    folder.mkdir(exist_ok=True)
    rng = random.Random(11)
    files: dict[str, tuple[Path, str]] = {}

    def write(name: str, data: bytes, expect: str) -> None:
        path = folder / name
        path.write_bytes(data)
        files[name] = (path, expect)

    write("empty.txt", b"", "empty")
    write("binary.txt", bytes(rng.randrange(256) for _ in range(4096)) + b"\0\0", "binary")
    write("invalid-utf8.txt", "Zürich ".encode() * 50 + b"\xff\xfe" + "über".encode(), "UTF-8")
    write("utf16-no-bom.txt", "Texte sans marque d’ordre.\n".encode("utf-16-le"), "UTF-16")
    write("empty.pdf", b"", "empty")
    write("binary.pdf", bytes(rng.randrange(256) for _ in range(4096)), "not a PDF")
    write("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "truncated")
    encrypted_pdf(folder / "encrypted.pdf", "Secret", user_password="pw")
    files["encrypted.pdf"] = (folder / "encrypted.pdf", "encrypted")
    write("not-a-zip.docx", b"plain text, not a zip" * 10, "not a zip")
    write("bomb.docx", zip_bytes({"word/document.xml": b"\0" * (32 * 2**20)}), "zip bomb")
    write("scripts.html", b"<script>fetch('https://example.invalid')</script>"
                          b"<iframe src='https://example.invalid'></iframe>", "no readable text")
    return files


def test_every_file_gets_a_result_and_bad_ones_a_reason(service, tmp_path, qapp, no_network):
    good = good_files(tmp_path / "in")
    bad = bad_files(tmp_path / "in")
    (tmp_path / "in" / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "in" / ".hidden.txt").write_text("hidden", encoding="utf-8")
    seen: list[tuple[str, int, int]] = []

    report = import_files(service, [tmp_path / "in"],
                          progress=lambda path, index, total: seen.append(
                              (path.name, index, total)))

    by_name = {Path(result.path).name: result for result in report.results}
    assert set(by_name) == {p.name for p in good.values()} | set(bad) | {"picture.png"}
    for path in good.values():
        result = by_name[path.name]
        assert result.status is FileStatus.IMPORTED, (path.name, result.reason)
        assert result.importer
    for name, (_, expect) in bad.items():
        result = by_name[name]
        assert result.status is FileStatus.FAILED, name
        assert expect in result.reason, (name, result.reason)
    assert by_name["picture.png"].status is FileStatus.SKIPPED
    total = len(by_name)
    assert [index for _, index, _ in seen] == list(range(total))
    assert {count for _, _, count in seen} == {total}
    assert no_network == []

    documents = {d.title: d for d in all_documents(service)}
    assert set(documents) == {"A plain note about chips.", "Front matter title",
                              "Page title", "PDF body text on page one.", "Word body text."}
    pdf = documents["PDF body text on page one."]
    assert pdf.metadata["pages"] == [0, len("PDF body text on page one.\n\n")]
    markdown = documents["Front matter title"]
    assert "![img](../../etc/passwd)" in markdown.text       # stored as source, never loaded
    assert markdown.published == "2025-01-02"
    for document in documents.values():
        meta = document.metadata
        assert meta["importer"] and meta["importer_version"]
        assert len(meta["original_sha256"]) == 64
        assert meta["original_filename"] and meta["original_path"]


def test_bad_input_changes_nothing_already_in_the_project(service, tmp_path, qapp):
    import_sample_corpus(service)
    before = [(d.id, d.sha256, d.title, d.metadata) for d in all_documents(service)]
    report = import_files(service, [p for p, _ in bad_files(tmp_path / "bad").values()])
    assert report.count(FileStatus.FAILED) == len(report.results)
    assert [(d.id, d.sha256, d.title, d.metadata) for d in all_documents(service)] == before


def test_seed_text_is_reflowed_with_app_defaults_and_kept_as_is_otherwise(service, tmp_path):
    seed = seeds_dir() / MERICS
    copy = tmp_path / "merics.txt"
    copy.write_bytes(seed.read_bytes())
    as_read = import_files(service, [copy])
    reflowed = import_files(service, [copy], options=ImportOptions())
    assert as_read.results[0].status is FileStatus.IMPORTED
    # Same file, different text: the reflowed text is a new version of the first.
    assert reflowed.results[0].status is FileStatus.NEW_VERSION
    raw = service.document(as_read.results[0].document_id)
    flowed = service.document(reflowed.results[0].document_id)
    assert raw.text == seed.read_bytes().decode("utf-8")
    assert raw.metadata["reflow"] == {"applied": False, "reason": "turned off",
                                      "looks_pdf_extracted": True}
    assert NASDAQ in flowed.text and NASDAQ not in raw.text
    assert flowed.metadata["reflow"]["applied"] is True
    assert "PDF" in flowed.metadata["reflow"]["reason"]
    # The reflowed version is a different text: a different document, linked to the first.
    assert flowed.id != raw.id and flowed.previous_id == raw.id
    # Plain text that does not look PDF-extracted is never touched.
    note = tmp_path / "note.txt"
    note.write_text("line one\nline two\n", encoding="utf-8")
    plain = import_files(service, [note], options=ImportOptions())
    assert service.document(plain.results[0].document_id).text == "line one\nline two\n"


def test_sample_corpus_is_stored_byte_for_byte(service):
    import_sample_corpus(service)
    merics = next(d for d in all_documents(service)
                  if d.metadata.get("original_filename") == MERICS)
    assert merics.text == (seeds_dir() / MERICS).read_bytes().decode("utf-8")


def test_duplicates_and_explicit_encoding(service, tmp_path):
    data = "Un café très noir.\n".encode("cp1252")
    first = tmp_path / "a.txt"
    first.write_bytes(data)
    second = tmp_path / "b.txt"
    second.write_bytes(data)
    report = import_files(service, [first, second], options=ImportOptions(encoding="cp1252"))
    assert [r.status for r in report.results] == [FileStatus.IMPORTED, FileStatus.DUPLICATE]
    assert "same text" in report.results[1].reason
    document = service.document(report.results[0].document_id)
    assert document.text == "Un café très noir.\n"
    assert document.metadata["encoding"] == "cp1252"


def test_file_over_the_size_cap(service, tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "MAX_FILE_BYTES", 1024 * 1024)
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        for _ in range(3):
            handle.write(b"a line of text\n" * 50_000)   # 2.1 MiB
    report = import_files(service, [big])
    (result,) = report.results
    assert result.status is FileStatus.FAILED
    assert "larger than the 1 MiB" in result.reason
    assert service.documents() == []


def test_extracted_text_cap(service, tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "MAX_TEXT_CHARS", 100)
    path = tmp_path / "long.txt"
    path.write_text("x" * 101, encoding="utf-8")
    (result,) = import_files(service, [path]).results
    assert result.status is FileStatus.FAILED
    assert "more than the 100 a document may have" in result.reason


@pytest.mark.parametrize("name", ["odd name ☃ 'quoted' \"double\"; $(rm -rf) #1.txt",
                                  "-starts-with-dash.txt", "Ünïcödé 文件 🚀.TXT",
                                  "new\nline.txt"])
def test_odd_file_names(service, tmp_path, name):
    path = tmp_path / name
    path.write_text(f"Contents of {name!r}\n", encoding="utf-8")
    (result,) = import_files(service, [path]).results
    assert result.status is FileStatus.IMPORTED
    document = service.document(result.document_id)
    assert document.metadata["original_filename"] == name


def test_unknown_named_file_and_missing_file(service, tmp_path):
    unknown = tmp_path / "data.xyz"
    unknown.write_text("whatever", encoding="utf-8")
    report = import_files(service, [unknown, tmp_path / "missing.txt"])
    unknown_result, missing_result = report.results
    assert unknown_result.status is FileStatus.FAILED
    assert "unsupported file type '.xyz'" in unknown_result.reason
    assert ".pdf" in unknown_result.reason and ".docx" in unknown_result.reason
    assert missing_result.status is FileStatus.FAILED
    assert "No such file" in missing_result.reason


def test_fifo_is_refused_without_blocking(service, tmp_path):
    import os
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (result,) = import_files(service, [fifo]).results
    assert result.status is FileStatus.FAILED
    assert "not a regular file" in result.reason


def test_cancel_between_files(service, tmp_path):
    paths = []
    for number in range(5):
        path = tmp_path / f"doc{number}.txt"
        path.write_text(f"Document number {number}.\n", encoding="utf-8")
        paths.append(path)
    stop = threading.Event()
    seen: list[int] = []

    def progress(_path: Path, index: int, _total: int) -> None:
        seen.append(index)
        if index == 1:          # the user cancels while the second file is read
            stop.set()

    report = import_files(service, paths, progress=progress, cancel=stop.is_set)
    assert seen == [0, 1]
    assert report.cancelled
    assert [r.status for r in report.results] == [FileStatus.IMPORTED] * 2 + \
        [FileStatus.SKIPPED] * 3
    assert [r.path for r in report.results] == [str(p) for p in paths]
    assert "cancelled" in report.results[-1].reason
    assert "(cancelled)" in report.summary()
    assert len(service.documents()) == 2


def test_cancel_while_a_pdf_is_read_stops_its_parser(service, tmp_path, monkeypatch, qapp):
    # A stand-in parser that never finishes by itself: only cancelling ends it
    # (a broken cancel would end in the 5 s time limit, a failure, not a skip; the
    # parent checks cancel before the deadline, so a slow machine cannot hit it).
    monkeypatch.setattr(pdf, "child_command", lambda _memory, _chars, _cpu: [
        sys.executable, "-c", "import sys, time; sys.stdin.buffer.read(); time.sleep(600)"])
    started: list[subprocess.Popen] = []
    popen = subprocess.Popen

    def recording_popen(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(pdf.subprocess, "Popen", recording_popen)
    text = tmp_path / "after.txt"
    text.write_text("Never read.\n", encoding="utf-8")
    pdf_path = make_pdf(tmp_path / "slow.pdf", [[["Text."]]] * 3)

    report = import_files(service, [pdf_path, text], cancel=lambda: bool(started),
                          options=ImportOptions(reflow=False, pdf_timeout=5))
    assert report.cancelled
    assert [(r.path, r.status) for r in report.results] == [
        (str(pdf_path), FileStatus.SKIPPED), (str(text), FileStatus.SKIPPED)]
    (process,) = started
    assert process.returncode is not None       # killed and waited for, not left running
    assert service.documents() == []


def test_utf16_with_bom_and_legacy_text(service, tmp_path):
    le = tmp_path / "le.txt"
    le.write_bytes(codecs.BOM_UTF16_LE + "Привет, мир.\n".encode("utf-16-le"))
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(("Агентство сообщает, что компания увеличила перевозки грузов "
                        "на пять процентов.\n").encode("cp1251"))
    report = import_files(service, [le, legacy])
    assert [r.status for r in report.results] == [FileStatus.IMPORTED] * 2
    assert service.document(report.results[1].document_id).metadata["encoding"] == "cp1251"
