"""PDFs with known text for the PDF benchmark: columns, hyphenation, running
headers and footers, page numbers, Cyrillic and CJK.

Each sample is drawn line by line (Qt's ``QPdfWriter``, or written by hand for
CJK, which needs no font on the machine: a non-embedded Adobe-GB1 font whose
UCS-2 encoding maps straight to Unicode), and comes with the text a perfect
import gives: the body paragraphs in reading order, words broken at a line end
joined again, headers, footers and page numbers left out.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.formats.documents import pdf_bytes

ENGLISH = ("the", "export", "controls", "on", "advanced", "semiconductors", "changed",
           "how", "analysts", "read", "investment", "reports", "from", "manufacturers",
           "and", "governments", "one", "claim", "about", "lithography", "equipment",
           "needs", "evidence", "that", "reviewers", "can", "verify", "independently",
           "while", "the", "market", "for", "accelerators", "kept", "growing", "faster",
           "than", "forecasts", "predicted", "in", "every", "region", "with",
           "considerable", "uncertainty", "regarding", "supply", "chains", "of",
           "specialised", "components", "is", "was", "by", "their")
RUSSIAN = ("экспорт", "полупроводников", "и", "оборудования", "для", "литографии",
           "вызвал", "споры", "среди", "аналитиков", "которые", "проверяют",
           "утверждения", "в", "отчётах", "производителей", "рынок", "ускорителей",
           "продолжал", "расти", "быстрее", "прогнозов", "на", "фоне",
           "неопределённости", "поставок", "★", "компонентов")
CHINESE = ("半导体出口管制改变了分析师阅读制造商和政府投资报告的方式"
           "关于光刻设备的说法需要审稿人能够独立核实的证据加速器市场持续增长速度超过预测")


@dataclass
class Sample:
    name: str
    path: Path
    expected: str                       # the body text a perfect import gives
    pages: int
    running: list[str] = field(default_factory=list)   # header/footer lines (any page)


def _paragraph(rng: random.Random, words: Sequence[str], count: int) -> str:
    chosen = [rng.choice(words) for _ in range(count)]
    sentences, current = [], []
    for word in chosen:
        current.append(word)
        if len(current) >= rng.randint(9, 16):
            sentences.append(" ".join(current).capitalize() + ".")
            current = []
    if current:
        sentences.append(" ".join(current).capitalize() + ".")
    return " ".join(sentences)


def _measure() -> Callable[[str], float]:
    """The printed width (points) of a line of 10 pt DejaVu Sans in the PDF."""
    import tempfile

    from PySide6.QtGui import QFont, QFontMetricsF, QPdfWriter
    from PySide6.QtWidgets import QApplication

    # A QApplication (not a QGuiApplication): the viewer benchmark may run next.
    _app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        writer = QPdfWriter(str(Path(folder) / "measure.pdf"))
        writer.setResolution(72)
        metrics = QFontMetricsF(QFont("DejaVu Sans", 10), writer)
    return metrics.horizontalAdvance


def _lines(paragraph: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``paragraph`` set in lines at most ``width`` points wide, filled word by
    word as a word processor does (ragged right); a long word that does not fit
    is broken with a hyphen when at least 3 letters go on each line."""
    lines, current = [], ""
    for word in paragraph.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        letters = word.rstrip(".,")
        cut = 0
        if letters.isalpha() and len(letters) >= 6:
            for k in range(len(letters) - 3, 2, -1):
                head = f"{current} {word[:k]}-" if current else f"{word[:k]}-"
                if measure(head) <= width:
                    cut = k
                    break
        if cut:
            lines.append(f"{current} {word[:cut]}-" if current else f"{word[:cut]}-")
            current = word[cut:]
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def _column_lines(paragraphs: Sequence[str], width: float, indented: bool,
                  measure: Callable[[str], float]) -> list[str | None]:
    """Printed lines of ``paragraphs``; ``None`` is the gap between paragraphs
    (none when ``indented``: then a paragraph's first line is indented)."""
    out: list[str | None] = []
    for paragraph in paragraphs:
        if out and not indented:
            out.append(None)
        lines = _lines(("\u2003" if indented else "") + paragraph, width, measure)
        out.extend(lines)
    return out


def _qt_pdf(path: Path, pages: list[dict]) -> None:
    """Draw ``pages``: each ``{"header": str, "footer": str, "columns": [[lines]],
    "interleaved": bool}`` on A4 with 10 pt DejaVu Sans."""
    from PySide6.QtCore import QMarginsF, QPointF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter
    from PySide6.QtWidgets import QApplication

    # A QApplication (not a QGuiApplication): the viewer benchmark may run next.
    _app = QApplication.instance() or QApplication([])
    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(path.stem)
    painter = QPainter(writer)
    try:
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
            painter.setFont(QFont("DejaVu Sans", 8))
            if page.get("header"):
                painter.drawText(QPointF(50, 40), page["header"])
            columns = page["columns"]
            width = 495 / len(columns)
            painter.setFont(QFont("DejaVu Sans", 10))
            placed = []
            for index, column in enumerate(columns):
                y = 75.0
                for line in column:
                    if line is None:
                        y += 7
                        continue
                    placed.append((index, QPointF(50 + index * width, y), line))
                    y += 13
            if page.get("interleaved"):
                placed.sort(key=lambda item: (item[1].y(), item[0]))
            for _, point, line in placed:
                painter.drawText(point, line)
            painter.setFont(QFont("DejaVu Sans", 8))
            if page.get("footer"):
                painter.drawText(QPointF(280, 810), page["footer"])
    finally:
        painter.end()


def _cjk_pdf(path: Path, pages: list[tuple[str, list[str | None], str]]) -> None:
    """Pages of (header, lines, footer) in a non-embedded Adobe-GB1 font
    (``UniGB-UCS2-H``: two bytes of UCS-2 per character)."""
    count = len(pages)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(count)), count),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R "
        b"/DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox "
        b"[-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 "
        b"/StemV 93 >>",
    ]

    def show(x: float, y: float, size: float, text: str) -> bytes:
        return (b"BT /F1 %g Tf %g %g Td <%s> Tj ET\n"
                % (size, x, y, text.encode("utf-16-be").hex().upper().encode()))

    for header, lines, footer in pages:
        content = bytearray(show(50, 800, 8, header))
        y = 760.0
        for line in lines:
            if line is None:
                y -= 8
                continue
            content += show(50, y, 11, line)
            y -= 15
        content += show(290, 30, 8, footer)
        stream = zlib.compress(bytes(content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (len(objects) + 2))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
                       + stream + b"\nendstream")
    path.write_bytes(pdf_bytes(objects))


def _two_columns(rng, words, paragraphs_per_column, width, measure, indented=False):
    left = [_paragraph(rng, words, rng.randint(40, 70)) for _ in range(paragraphs_per_column)]
    right = [_paragraph(rng, words, rng.randint(40, 70)) for _ in range(paragraphs_per_column)]
    return left + right, [_column_lines(left, width, indented, measure),
                          _column_lines(right, width, indented, measure)]


def make_samples(folder: Path, pages: int = 6, seed: int = 14) -> list[Sample]:
    """Four samples of ``pages`` pages each in ``folder``."""
    rng = random.Random(seed)
    measure = _measure()
    samples = []

    # 1. Two columns, running header, "Page N of M" footer. On the second page
    #    both columns hold the same text, so their paragraph gaps line up (a
    #    page cut at white space row by row would read across the columns).
    header = "Semiconductor Policy Review 2025 \u2014 Internal Draft"
    body, content = [], []
    for number in range(pages):
        paragraphs, columns = _two_columns(rng, ENGLISH, 3, 230, measure)
        if number == 1:
            paragraphs = paragraphs[:3] * 2
            columns = [columns[0], columns[0]]
        body += paragraphs
        content.append({"header": header, "footer": f"Page {number + 1} of {pages}",
                        "columns": columns})
    path = folder / "columns.pdf"
    _qt_pdf(path, content)
    samples.append(Sample("two columns", path, "\n\n".join(body), pages,
                          [header, "Page 1 of"]))

    # 2. The same, drawn line by line across both columns (drawing order is not
    #    reading order), a bare page number at the top.
    body, content = [], []
    for number in range(pages):
        paragraphs, columns = _two_columns(rng, ENGLISH, 3, 230, measure)
        body += paragraphs
        content.append({"header": f"{number + 1}", "footer": "Confidential \u2014 do not cite",
                        "columns": columns, "interleaved": True})
    path = folder / "interleaved.pdf"
    _qt_pdf(path, content)
    samples.append(Sample("columns drawn across", path, "\n\n".join(body), pages,
                          ["Confidential"]))

    # 3. One column of Cyrillic, paragraphs marked by indentation only.
    header = "Отчёт о рынке полупроводников"
    body, content = [], []
    for number in range(pages):
        paragraphs = [_paragraph(rng, RUSSIAN, rng.randint(50, 90)) for _ in range(5)]
        body += paragraphs
        content.append({"header": header, "footer": f"— {number + 1} —",
                        "columns": [_column_lines(paragraphs, 480, True, measure)]})
    path = folder / "cyrillic.pdf"
    _qt_pdf(path, content)
    samples.append(Sample("Cyrillic, indented", path,
                          "\n\n".join(p.replace("\u2003", "") for p in body), pages,
                          [header]))

    # 4. Chinese, one column, 30 characters a line, header and page number.
    body, cjk_pages = [], []
    for number in range(pages):
        paragraphs = []
        for _ in range(4):
            # Random characters, and never a line of one character: PDFium drops
            # a text object it takes for a repeat of an earlier one when glyph
            # boxes are empty, as with this font where no CJK font is installed.
            length = rng.randint(40, 58)
            length += length % 30 == 29
            paragraphs.append("".join(rng.choice(CHINESE) for _ in range(length)) + "。")
        body += paragraphs
        lines: list[str | None] = []
        for paragraph in paragraphs:
            if lines:
                lines.append(None)
            lines += [paragraph[i:i + 30] for i in range(0, len(paragraph), 30)]
        cjk_pages.append(("半导体年度报告", lines, f"{number + 1}"))
    path = folder / "chinese.pdf"
    _cjk_pdf(path, cjk_pages)
    samples.append(Sample("Chinese (CID font)", path, "\n\n".join(body), pages,
                          ["半导体年度报告"]))
    return samples


def similarity(expected: str, got: str) -> float:
    """Character-level similarity (0..1) of two texts, white space normalised."""
    import difflib

    a, b = " ".join(expected.split()), " ".join(got.split())
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(sample: Sample, text: str) -> dict:
    """How close ``text`` is to ``sample.expected``: character similarity
    (white space aside), share of paragraphs found as paragraphs (neither split
    nor run together), running lines that leaked in."""
    paragraphs = sample.expected.split("\n\n")
    flat = " ".join(text.split())
    found = {" ".join(p.split()) for p in text.split("\n\n")}
    whole = sum(1 for p in paragraphs if " ".join(p.split()) in found)
    leaked = sum(flat.count(line) for line in sample.running)
    return {"similarity": round(similarity(sample.expected, text), 4),
            "paragraphs_whole": round(whole / len(paragraphs), 3),
            "running_lines_leaked": leaked}
