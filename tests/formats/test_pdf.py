"""PDF import: reading order, paragraphs, hyphenation, pages, and every way a
PDF can be bad. The PDFs are drawn by Qt at test time (``make_pdf``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import pytest

from annotator.formats import pdf as pdf_format
from annotator.formats.claims import page_span
from annotator.formats.pdf import pdf_date
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportCancelled, ImportOptions, extract_file
from tests.formats.documents import encrypted_pdf, long_pdf, make_pdf, pdf_bytes, slow_pdf

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


def test_sample_pdfs_read_as_their_source_text(qapp, tmp_path):
    # Two columns (also drawn line by line across the page), running headers,
    # footers and page numbers, hyphenated line ends, Cyrillic with paragraphs
    # marked by indentation only, Chinese in a CID font (tests/bench/pdfs.py).
    from tests.bench.pdf_samples import make_samples, score

    for sample in make_samples(tmp_path, pages=3):
        read = extract_file(sample.path)
        assert score(sample, read.text) == {"similarity": 1.0, "paragraphs_whole": 1.0,
                                            "running_lines_leaked": 0}, sample.name
        assert len(read.metadata["pages"]) == 3


def test_an_invisible_text_layer_is_read(tmp_path):
    # Scanned pages with OCR: the text is drawn invisibly (render mode 3).
    content = (b"BT 3 Tr /F1 11 Tf 72 720 Td (The OCR layer of a scanned page,) Tj "
               b"0 -14 Td (which analysts quote.) Tj ET")
    path = tmp_path / "scanned.pdf"
    path.write_bytes(pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]))
    assert extract_file(path).text == "The OCR layer of a scanned page, which analysts quote."


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


@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="no processor time limit")
def test_a_reader_out_of_processor_time_was_too_slow(tmp_path, monkeypatch):
    # The reader's RLIMIT_CPU (checked in test_a_killed_import_takes_its_pdf_reader_with_it)
    # ends it with SIGXCPU: the import reports the time limit, not a crash.
    monkeypatch.setattr(pdf_format, "child_command", lambda *_: [
        sys.executable, "-c",
        "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (1, 30))\nwhile True: pass"])
    path = encrypted_pdf(tmp_path / "busy.pdf", "Text", user_password="")
    assert "longer than 30 seconds" in problem(path, ImportOptions(pdf_timeout=30))


def test_cancel_stops_the_parser(qapp, tmp_path):
    path = long_pdf(tmp_path / "cancelled.pdf", pages=10)
    with pytest.raises(ImportCancelled):
        extract_file(path, ImportOptions(cancel=lambda: True))


def _children(parent: int, name: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent and name.encode() in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody has reaped yet has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _kill_importer_and_watch_reader(tmp_path: Path, script: str) -> tuple[int, str]:
    """Run ``script`` (which imports a slow PDF) in a process, find its PDF
    reader, kill the importing process with SIGKILL and return the reader's
    id and its limits, after waiting up to 5 s for the reader to end."""
    path = slow_pdf(tmp_path / "slow.pdf")
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    importer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), str(path)],
                                cwd=root, env=env)
    try:
        deadline = time.monotonic() + 30
        readers: list[int] = []
        while not readers and time.monotonic() < deadline and importer.poll() is None:
            time.sleep(0.05)
            readers = _children(importer.pid, "pdf_child")
        assert readers, "the PDF reader did not start (or ended at once)"
        (reader,) = readers
        time.sleep(0.3)         # past the reader's start-up, into the parsing
        assert _alive(reader), "the slow PDF was read too fast for this test"
        limits = Path(f"/proc/{reader}/limits").read_text()
        importer.send_signal(signal.SIGKILL)
        importer.wait()
        deadline = time.monotonic() + 5
        while _alive(reader) and time.monotonic() < deadline:
            time.sleep(0.05)
        still = _alive(reader)
        if still:
            os.kill(reader, signal.SIGKILL)
        assert not still, "the PDF reader outlived the killed import"
        return reader, limits
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_import_takes_its_pdf_reader_with_it(tmp_path):
    _, limits = _kill_importer_and_watch_reader(tmp_path, """
        import sys
        from pathlib import Path
        from annotator.formats.registry import ImportOptions, extract_file
        extract_file(Path(sys.argv[1]), ImportOptions(pdf_timeout=60))
    """)
    # And it may use little more processor time than the import's time limit.
    (cpu,) = [line for line in limits.splitlines() if line.startswith("Max cpu time")]
    assert cpu.split()[3] == "65"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_watchdog_ends_the_reader_where_the_kernel_does_not(tmp_path, monkeypatch):
    # Other systems have no PR_SET_PDEATHSIG: a thread watches the parent there.
    # The reader is started as on those systems (no prctl), then the same test.
    _kill_importer_and_watch_reader(tmp_path, """
        import sys
        from pathlib import Path
        from annotator.formats import pdf
        from annotator.formats.registry import extract_file
        command = pdf.child_command
        pdf.child_command = lambda *args: [
            command(*args)[0], "-c",
            "import sys; sys.platform = 'other'; sys.argv[0] = 'pdf_child'; "
            "from annotator.formats import pdf_child; "
            "sys.exit(pdf_child.main(sys.argv[1:]))", *command(*args)[3:]]
        extract_file(Path(sys.argv[1]))
    """)


def test_pdf_dates():
    assert pdf_date("D:20250127093000+01'00'") == "2025-01-27T09:30:00+01:00"
    assert pdf_date("D:20250127093000Z") == "2025-01-27T09:30:00Z"
    assert pdf_date("D:2025") == "2025-01-01"
    assert pdf_date("yesterday") == "yesterday"
