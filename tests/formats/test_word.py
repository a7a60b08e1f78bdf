"""Word documents: text in order, headings, tables, core properties; zip bombs,
non-zips and other impostors refused before anything is inflated."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest

from annotator.formats import word
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import extract_file
from tests.formats.documents import zip_bytes


def problem(path: Path) -> str:
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    assert caught.value.path == str(path)
    return caught.value.reason


@pytest.fixture
def memo(tmp_path) -> Path:
    document = docx.Document()
    props = document.core_properties
    props.title = "Memo on export controls"
    props.author = "J. Analyst"
    props.subject = "Chips"
    props.keywords = "AI; chips"
    props.created = datetime(2025, 1, 30, 9, 15, tzinfo=UTC)
    document.add_heading("Export controls", level=1)
    document.add_paragraph("The controls were tightened in October 2023.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=3)
    for column, value in enumerate(("Year", "Chips", "Note")):
        table.cell(0, column).text = value
    table.cell(1, 0).text = "2024"
    table.cell(1, 1).text = "2,000"
    table.cell(1, 2).text = "H800"
    document.add_heading("Outlook", level=2)
    document.add_paragraph("Stockpiles will run down in 2025.")
    path = tmp_path / "memo.docx"
    document.save(str(path))
    return path


def test_paragraphs_headings_and_tables_in_order(memo):
    read = extract_file(memo)
    assert read.text == ("Export controls\n\n"
                         "The controls were tightened in October 2023.\n\n"
                         "Year | Chips | Note\n2024 | 2,000 | H800\n\n"
                         "Outlook\n\n"
                         "Stockpiles will run down in 2025.")
    headings = read.metadata["headings"]
    assert [(h["level"], h["text"]) for h in headings] == [(1, "Export controls"), (2, "Outlook")]
    for heading in headings:
        assert read.text[heading["start"]:].startswith(heading["text"])


def test_core_properties(memo):
    read = extract_file(memo)
    meta = read.metadata
    assert read.title == "Memo on export controls"
    assert meta["author"] == "J. Analyst"
    assert meta["subject"] == "Chips"
    assert meta["keywords"] == "AI; chips"
    assert meta["created"] == "2025-01-30T09:15:00Z"
    assert meta["importer"] == "docx"


def test_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_bytes(b"This is plain text pretending to be a Word document.\n" * 20)
    assert "not a zip archive" in problem(path)


def test_old_binary_doc_renamed(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert ".doc" in problem(path)


def test_zip_without_a_document(tmp_path):
    path = tmp_path / "archive.docx"
    path.write_bytes(zip_bytes({"readme.txt": b"hello"}))
    assert "no word/document.xml" in problem(path)


def test_zip_bomb_is_refused_before_inflating(tmp_path, monkeypatch):
    path = tmp_path / "bomb.docx"
    path.write_bytes(zip_bytes({"[Content_Types].xml": b"<Types/>",
                                "word/document.xml": b" " * (64 * 2**20)}))
    assert path.stat().st_size < 200 * 1024
    inflated: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        inflated.append(str(name))
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    reason = problem(path)
    assert "zip bomb" in reason
    assert inflated == []


def test_total_inflated_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(word, "MAX_UNCOMPRESSED", 1024)
    path = tmp_path / "big.docx"
    path.write_bytes(zip_bytes({"word/document.xml": bytes(range(256)) * 8},
                               compression=zipfile.ZIP_STORED))
    assert "would inflate" in problem(path)


def test_damaged_docx(tmp_path):
    path = tmp_path / "damaged.docx"
    path.write_bytes(zip_bytes({"[Content_Types].xml": b"<not xml",
                                "word/document.xml": b"<also not xml"}))
    assert "damaged" in problem(path)


def test_truncated_docx(memo, tmp_path):
    data = memo.read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    assert "not a zip archive" in problem(path)
