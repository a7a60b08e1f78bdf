"""Test documents made at test time: PDFs drawn by Qt, DOCX and zip files, HTML.

Nothing binary is committed: every file a test reads is written here, in the
test's own folder. PDFs are drawn with ``QPdfWriter`` (a ``QGuiApplication``
must exist: use pytest-qt's ``qapp`` fixture), one ``QTextDocument`` per page
with explicit line breaks, so tests know exactly which line ends where.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

#: A page is a list of paragraphs; a paragraph is a list of printed lines.
Page = Sequence[Sequence[str]]


def make_pdf(path: Path, pages: Sequence[Page], *, title: str = "",
             author: str = "") -> Path:
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setResolution(72)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(50, 50, 50, 50)))
    if title:
        writer.setTitle(title)
    if author:
        writer.setCreator(author)
    painter = QPainter(writer)
    try:
        for number, page in enumerate(pages):
            if number:
                writer.newPage()
            document = QTextDocument()
            document.documentLayout().setPaintDevice(writer)
            document.setDefaultFont(QFont("DejaVu Sans", 10))
            document.setPageSize(QSizeF(495, 742))
            document.setHtml("".join(
                "<p style='margin-bottom: 12px'>"
                + "<br>".join(html.escape(line) for line in paragraph) + "</p>"
                for paragraph in page))
            document.drawContents(painter)
    finally:
        painter.end()
    return path


def long_pdf(path: Path, pages: int, paragraphs_per_page: int = 6) -> Path:
    """A ``pages``-page PDF of numbered, hyphen-free paragraphs of 4 lines each."""
    content = []
    for page in range(pages):
        content.append([[f"Page {page + 1} paragraph {n + 1} opens with a plain line of",
                         "text that runs on to a second line, then to a",
                         "third one, and finally ends on the fourth line",
                         f"of paragraph {n + 1}."] for n in range(paragraphs_per_page)])
    return make_pdf(path, content, title=f"A {pages}-page report")


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# An encrypted PDF, written by hand: the standard security handler, revision 2
# (RC4, 40-bit key), as in the PDF 1.7 specification, algorithms 3.1–3.4.

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def encrypted_pdf(path: Path, text: str, *, user_password: str = "secret",
                  owner_password: str = "owner") -> Path:
    """A one-page PDF showing ``text``, encrypted; with ``user_password=""`` it
    opens without a password (only the owner's permissions are restricted)."""
    import hashlib

    def padded(password: str) -> bytes:
        return (password.encode("latin-1") + _PAD)[:32]

    file_id = hashlib.md5(text.encode()).digest()
    owner = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    permissions = -4     # all permissions bits set but the two lowest
    key = hashlib.md5(padded(user_password) + owner
                      + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    user = _rc4(key, _PAD)

    def crypt(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + number.to_bytes(3, "little") + b"\0\0").digest()[:10]
        return _rc4(object_key, data)

    content = crypt(4, f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <"
        + user.hex().encode() + b"> /P %d >>" % permissions,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\n"
            % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode()))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def nested_page(depth: int, size: int, *, deep: bool = True) -> str:
    """An HTML page of about ``size`` characters of paragraphs, in blocks of
    ``depth`` divs: each block's divs nested in one another (``deep``), or side
    by side (a flat page of the same size and number of elements)."""
    paragraph = "<p>" + "Analysts label claims in documents about chips. " * 4 + "</p>\n"
    inner = paragraph * 50
    if deep:
        block = "<div>" * depth + inner + "</div>" * depth
    else:
        block = "<div></div>" * (depth - 1) + "<div>" + inner + "</div>"
    return ("<!DOCTYPE html><html><head><title>T</title></head><body>"
            + block * max(1, size // len(block)) + "</body></html>")


def slow_pdf(path: Path, pages: int = 400, operations: int = 20_000) -> Path:
    """A small file that takes the PDF reader long to read: ``pages`` pages
    sharing one compressed content stream of ``operations`` text-showing
    operations (about 0.3 s per 100,000 operations on a fast machine)."""
    import zlib

    content = b"BT /F1 9 Tf 40 800 Td " + b"(word word word) Tj 0 -0.1 Td " * operations + b"ET"
    stream = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"] * pages
    path.write_bytes(pdf_bytes(objects))
    return path


def pdf_bytes(objects: Sequence[bytes]) -> bytes:
    """A PDF file of ``objects`` (numbered from 1; the first is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
