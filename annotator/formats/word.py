"""Word documents (``.docx``): paragraphs, headings and tables as text, core
properties as metadata.

A ``.docx`` is a zip archive of XML parts. Before python-docx sees it, the
archive's directory is checked without inflating anything: it must be a zip
(an old binary ``.doc`` gets its own message), hold ``word/document.xml``,
have at most :data:`MAX_MEMBERS` entries, inflate to at most
:data:`MAX_UNCOMPRESSED` bytes in all and :data:`MAX_PART` in one entry, and
have no entry over :data:`RATIO_FLOOR` bytes inflating more than
:data:`MAX_RATIO` times its compressed size (a zip bomb).
python-docx parses the XML with entity resolution off and never loads
external or linked content (linked images, templates, OLE objects).

Text: one paragraph per Word paragraph (empty ones dropped), tables as one
line per row with `` | `` between cells, all separated by blank lines, in
document order. ``metadata["headings"]`` lists each heading's level, text and
code-point start.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from annotator.formats.problems import ImportProblem
from annotator.formats.registry import Extracted, Importer, ImportOptions

#: Most bytes the parts of one .docx may inflate to.
MAX_UNCOMPRESSED = 256 * 1024 * 1024
#: Largest inflated-to-compressed ratio of a member bigger than RATIO_FLOOR.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024
#: Most bytes one part may inflate to (the XML of the body is parsed into a tree).
MAX_PART = 64 * 1024 * 1024
#: Most entries in the archive.
MAX_MEMBERS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_archive(data: bytes, path: Path) -> None:
    """Refuse ``data`` unless it is a plausible, bounded .docx archive."""
    if not data:
        raise ImportProblem(path, "the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise ImportProblem(path, "is an old binary Word document (.doc), not .docx; "
                                  "open it in Word or LibreOffice and save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ImportProblem(path, "is not a Word .docx document (it is not a zip archive, "
                                  "or a damaged one)") from None
    if len(members) > MAX_MEMBERS:
        raise ImportProblem(path, f"holds {len(members):,} archive entries; a Word document "
                                  f"has far fewer (it may be a zip bomb)")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_PART:
            raise ImportProblem(path, f"part {member.filename!r} would inflate to "
                                      f"{member.file_size / 2**20:,.0f} MiB, more than the "
                                      f"{MAX_PART // 2**20} MiB allowed for one part")
        if member.file_size > RATIO_FLOOR and \
                member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise ImportProblem(path, f"part {member.filename!r} would inflate "
                                      f"{member.file_size // max(member.compress_size, 1):,} "
                                      f"times its size (a zip bomb); refused")
    if total > MAX_UNCOMPRESSED:
        raise ImportProblem(path, f"would inflate to {total / 2**20:,.0f} MiB, more than the "
                                  f"{MAX_UNCOMPRESSED // 2**20} MiB allowed (it may be a zip bomb)")
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        if "content.xml" in names:
            raise ImportProblem(path, "is an OpenDocument file, not .docx; save it as .docx")
        raise ImportProblem(path, "is a zip archive but not a Word .docx document "
                                  "(it has no word/document.xml)")


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value).strip() if value else ""


def core_properties(document: Any) -> dict[str, str]:
    props = document.core_properties
    fields = {
        "title": props.title, "author": props.author, "subject": props.subject,
        "keywords": props.keywords, "category": props.category, "comments": props.comments,
        "last_modified_by": props.last_modified_by, "language": props.language,
        "created": props.created, "modified": props.modified, "revision": props.revision,
        "identifier": props.identifier, "version": props.version,
    }
    return {key: _iso(value)[:2000] for key, value in fields.items()
            if value not in (None, "", 0)}


def _heading_level(paragraph: Any) -> int | None:
    try:
        name = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError, AttributeError):
        return None
    if name == "Title":
        return 0
    if name.startswith("Heading"):
        number = name[len("Heading"):].strip()
        return int(number) if number.isdigit() else 1
    return None


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:     # a merged cell repeats across the columns it spans
                continue
            previous = cell._tc
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


class DocxImporter(Importer):
    name = "docx"
    version = "1"
    suffixes = (".docx",)
    label = "Word"

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        check_archive(data, path)
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as error:     # python-docx raises many kinds
            raise ImportProblem(path, f"is a damaged Word document "
                                      f"({type(error).__name__}: {error})"[:300]) from None
        blocks: list[str] = []
        headings: list[dict[str, Any]] = []
        offset = 0
        try:
            for item in document.iter_inner_content():
                if isinstance(item, Paragraph):
                    text = item.text.strip()
                    if not text:
                        continue
                    level = _heading_level(item)
                    if level is not None:
                        headings.append({"level": level, "text": text[:500], "start": offset})
                    blocks.append(text)
                elif isinstance(item, Table):
                    rows = _table_rows(item)
                    if not rows:
                        continue
                    text = "\n".join(rows)
                    blocks.append(text)
                else:
                    continue
                offset += len(blocks[-1]) + 2
        except RecursionError:
            raise ImportProblem(path, "is nested too deeply to be read") from None
        text = "\n\n".join(blocks)
        metadata: dict[str, Any] = core_properties(document)
        if headings:
            metadata["headings"] = headings
        title = metadata.get("title") or next(
            (h["text"] for h in headings if h["level"] <= 1), "") or (blocks[0][:200]
                                                                   if blocks else "")
        return Extracted(title=title, text=text, metadata=metadata)


__all__ = ["DocxImporter", "check_archive", "core_properties"]
