"""PDF import: reading order, paragraphs, hyphenation, pages, and every way a
PDF can be bad. The PDFs are drawn by Qt at test time (``make_pdf``)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from annotator.formats import pdf as pdf_format
from annotator.formats.claims import page_span
from annotator.formats.pdf import pdf_date
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportCancelled, ImportOptions, extract_file
from tests.formats.documents import encrypted_pdf, long_pdf, make_pdf

HYPHENATED = [
    [["A Report on Chips"],
     ["The breakthrough was so significant that it was accom-",
      "plished by a small team with access to cutting-",
      "edge hardware, and it sharpened the US-",
      "China rivalry in ways few had foreseen."],
     ["Analysts call it cutting-edge work. A second paragraph",
      "starts here and runs on to the bottom of the page and",
      "onto the next"]],
    [["page, where it ends."],
     ["A final paragraph on the second page."]],
]


def problem(path: Path, options: ImportOptions | None = None) -> str:
    with pytest.raises(ImportProblem) as caught:
        extract_file(path, options)
    assert caught.value.path == str(path)
    return caught.value.reason


@pytest.fixture
def hyphenated(qapp, tmp_path) -> Path:
    return make_pdf(tmp_path / "report.pdf", HYPHENATED, title="Chips report")


def test_paragraphs_hyphenation_and_pages(hyphenated):
    read = extract_file(hyphenated)
    text = read.text
    assert text.startswith("A Report on Chips\n\nThe breakthrough was so significant")
    assert ("it was accomplished by a small team with access to cutting-edge hardware, and "
            "it sharpened the US-China rivalry in ways few had foreseen.") in text
    # A paragraph cut by the page break is one paragraph; the page boundary is
    # recorded inside it.
    assert "runs on to the bottom of the page and onto the next page, where it ends." in text
    pages = read.metadata["pages"]
    assert pages[0] == 0 and len(pages) == 2 == read.metadata["page_count"]
    assert text[pages[1]:].startswith("page, where it ends.\n\nA final paragraph")
    assert "\n\n\n" not in text and "\t" not in text
    # Claims report their pages (as exports compute them).
    assert page_span(pages, 0, 10) == (1, 1)
    across = text.index("onto the next page")
    assert page_span(pages, across, across + len("onto the next page")) == (1, 2)
    assert page_span(pages, pages[1], pages[1] + 4) == (2, 2)
    assert page_span(None, 0, 4) == (None, None)
    assert read.title == "Chips report"
    assert read.metadata["importer"] == "pdf"
    assert read.metadata["importer_version"] == pdf_format.PdfImporter.version
    assert read.metadata["producer"].startswith("Qt")
    assert read.metadata["created"][:2] == "20"


def test_many_pages_in_order(qapp, tmp_path):
    path = long_pdf(tmp_path / "long.pdf", pages=6, paragraphs_per_page=3)
    read = extract_file(path)
    pages = read.metadata["pages"]
    assert len(pages) == 6
    for number, start in enumerate(pages, start=1):
        assert read.text[start:].startswith(f"Page {number} paragraph 1 opens")
    paragraphs = read.text.split("\n\n")
    assert len(paragraphs) == 18
    assert paragraphs[4] == ("Page 2 paragraph 2 opens with a plain line of text that runs "
                             "on to a second line, then to a third one, and finally ends on "
                             "the fourth line of paragraph 2.")


def test_title_falls_back_to_the_first_line(qapp, tmp_path):
    path = make_pdf(tmp_path / "untitled.pdf", [[["Quarterly Outlook"], ["Body text."]]])
    assert extract_file(path).title == "Quarterly Outlook"


def test_blank_pdf_has_no_text(qapp, tmp_path):
    path = make_pdf(tmp_path / "blank.pdf", [[]])
    assert "no text" in problem(path)
    assert "OCR" in problem(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert "empty" in problem(path)


def test_binary_file_named_pdf(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(bytes(range(256)) * 40)
    assert "not a PDF" in problem(path)


def test_truncated_pdf(qapp, tmp_path):
    whole = long_pdf(tmp_path / "whole.pdf", pages=3).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[:len(whole) // 2])
    assert "truncated" in problem(path)


def test_damaged_pdf(tmp_path):
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n"
                     b"trailer << /Root 1 0 R >>\n%%EOF\n")
    reason = problem(path)
    assert "damaged" in reason or "no pages" in reason


def test_password_protected_pdf(tmp_path):
    path = encrypted_pdf(tmp_path / "locked.pdf", "Secret words", user_password="secret")
    reason = problem(path)
    assert "encrypted with a password" in reason


def test_encrypted_pdf_without_a_user_password_opens(tmp_path):
    path = encrypted_pdf(tmp_path / "restricted.pdf", "Readable despite encryption",
                         user_password="")
    read = extract_file(path)
    assert read.text == "Readable despite encryption"
    assert read.metadata["encrypted"] is True


def test_time_limit_stops_the_parser(qapp, tmp_path):
    path = long_pdf(tmp_path / "slow.pdf", pages=10)
    reason = problem(path, ImportOptions(pdf_timeout=0.01))
    assert "longer than 0.01 seconds" in reason


def test_memory_limit_stops_the_parser(qapp, tmp_path):
    path = long_pdf(tmp_path / "small.pdf", pages=1)
    # Far below what even an idle Python process maps: the parse fails at once.
    reason = problem(path, ImportOptions(pdf_memory=24 * 2**20))
    assert "more than 24 MiB of memory" in reason


def test_a_decompression_bomb_hits_the_memory_limit(tmp_path):
    # A content stream that inflates 0.5 MiB into 512 MiB of spaces. After a full
    # flush, deflate output for the same input repeats, so one block is reused.
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(chunk) + compressor.flush()
    checksum = 1
    for _ in range(512):
        checksum = zlib.adler32(chunk, checksum)
    stream = first + block * 510 + last[:-4] + checksum.to_bytes(4, "big")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bytes(out))
    reason = problem(path, ImportOptions(pdf_memory=256 * 2**20, pdf_timeout=60))
    assert "more than 256 MiB of memory" in reason


def test_cancel_stops_the_parser(qapp, tmp_path):
    path = long_pdf(tmp_path / "cancelled.pdf", pages=10)
    with pytest.raises(ImportCancelled):
        extract_file(path, ImportOptions(cancel=lambda: True))


def test_pdf_dates():
    assert pdf_date("D:20250127093000+01'00'") == "2025-01-27T09:30:00+01:00"
    assert pdf_date("D:20250127093000Z") == "2025-01-27T09:30:00Z"
    assert pdf_date("D:2025") == "2025-01-01"
    assert pdf_date("yesterday") == "yesterday"
