"""The PDF parsing process: ``python -m annotator.formats.pdf_child MEMORY MAX_CHARS CPU PARENT``.

Reads the PDF's bytes from standard input, reads each page's text with
pypdfium2 (PDFium, the PDF engine of Chromium) and writes one JSON object to
standard output:
``{"pages": [[{"x0", "x1", "lines": [[text, x0, x1], ...]}, ...], ...], "info": {...}}``
or ``{"error": kind, "detail": text}``.

Limits, set here before any PDF byte is parsed: the address space
(``RLIMIT_AS``, ``MEMORY`` bytes) and the processor time (``RLIMIT_CPU``,
``CPU`` seconds) on Linux and macOS; and the process dies with its parent
(``PARENT``, the importing process's id): on Linux the kernel kills it
(``PR_SET_PDEATHSIG``), elsewhere a watchdog thread notices the parent is gone.
The parent (:mod:`annotator.formats.pdf`) also stops it after a wall-time limit.

Layout (:func:`page_blocks`): PDFium gives the page's characters in the order
they are drawn; words are cut into printed lines where the baseline changes or
a gap wider than a character's height opens (two columns drawn line by line
across the page), lines are stacked into text boxes (a paragraph: the next line
just below, overlapping horizontally, at the box's line spacing) and boxes are
put in reading order by cutting the page at white space, columns before rows
(:func:`reading_order`).
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import logging
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

#: A word and any line-end hyphen marker PDFium puts after it (U+FFFE, U+0002).
_WORD = re.compile(r"[^\s\ufffe\x02]+[\ufffe\x02]?|[\ufffe\x02]")
_HYPHEN_MARKS = str.maketrans({"\ufffe": "-", "\x02": "-"})
#: Horizontal gap (in line heights) that separates two printed lines on one baseline.
_COLUMN_GAP = 1.0
#: Largest line spacing (in line heights) inside one text box.
_LINE_SPACING = 1.5


# Limits ------------------------------------------------------------------------------


def _limit(name: str, limit: int) -> None:
    if limit <= 0:
        return
    try:
        import resource
    except ImportError:      # Windows: the parent's time limit still applies
        return
    kind = getattr(resource, name)
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    # macOS refuses some values: the parent's time limit still holds there.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (limit, hard))


def _die_with_parent(parent: int) -> None:
    """End this process as soon as ``parent`` (the importing process) is gone."""
    if parent <= 0:
        return
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, 9, 0, 0, 0) == 0:      # PR_SET_PDEATHSIG, SIGKILL
                # The parent may have died before prctl: then this process was
                # already handed to another parent and no signal will come.
                if os.getppid() != parent:
                    os._exit(3)
                return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    if sys.platform == "win32":
        kernel32 = ctypes.windll.kernel32       # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x00100000, False, parent)    # SYNCHRONIZE
        if handle:
            kernel32.WaitForSingleObject(handle, 0xFFFFFFFF)
        os._exit(3)
    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(3)


# Layout ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    words: list[str]
    x0: float
    x1: float
    bottom: float
    top: float

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 0.1)


@dataclass(slots=True)
class _Box:
    lines: list[_Line] = field(default_factory=list)
    x0: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    top: float = 0.0
    order: int = 0

    def add(self, line: _Line) -> None:
        if not self.lines:
            self.x0, self.x1, self.bottom, self.top = line.x0, line.x1, line.bottom, line.top
        self.lines.append(line)
        self.x0, self.x1 = min(self.x0, line.x0), max(self.x1, line.x1)
        self.bottom, self.top = min(self.bottom, line.bottom), max(self.top, line.top)


def _printed_lines(textpage: Any, raw: Any) -> list[_Line]:
    count = textpage.count_chars()
    text = textpage.get_text_range() if count > 0 else ""
    handle = textpage.raw
    if len(text) != count:     # rare: rebuild it one character per index
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i) or 32) for i in range(count))
    box = raw.FS_RECTF()
    get_box = raw.FPDFText_GetLooseCharBox
    lines: list[_Line] = []
    words: list[str] = []
    # The line being read: its right end, baseline-ish bottom, height, letters.
    right = bottom = height = 0.0
    letters = 0
    previous_end = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        found = get_box(handle, start, box)
        x0, top, low = box.left, box.top, box.bottom
        if found and end - 1 != start:
            found = get_box(handle, end - 1, box)
        if not found:
            # No position (never seen, but text must not be lost): the word
            # goes on the line being read.
            if words:
                words.append(word)
            else:
                words = [word]
                lines.append(_Line(words, 0.0, 0.0, 0.0, 1.0))
            previous_end = end
            continue
        x1 = box.right
        between = text[previous_end:start]
        previous_end = end
        if words:
            gap = x0 - right
            if not ("\n" in between or "\r" in between
                    or words[-1][-1] in "\ufffe\x02"
                    or abs(low - bottom) > 0.5 * height
                    or gap < -0.5 * height
                    or (gap > _COLUMN_GAP * height
                        and letters > 3)):     # not after a bullet or a list number
                words.append(word)
                letters += end - start
                right = max(right, x1)
                continue
            lines[-1].x1 = right
        if top - low < 0.3 * (size := raw.FPDFText_GetFontSize(handle, start)):
            top = low + size            # a font without metrics (not embedded, not installed)
        words = [word]
        lines.append(_Line(words, x0, x1, low, top))
        right, bottom, height, letters = x1, low, max(top - low, 0.1), end - start
    if lines:
        lines[-1].x1 = right
    return lines


def _boxes(lines: list[_Line]) -> list[_Box]:
    """Lines stacked into boxes: a line goes under the last line of the most
    recent box it continues (just below, overlapping it horizontally, within
    the box's line spacing), else it starts a box."""
    boxes: list[_Box] = []
    for line in lines:
        height = line.height
        for box in reversed(boxes[-12:]):
            last = box.lines[-1]
            drop = last.bottom - line.bottom
            if abs(drop) <= 0.3 * height and line.x0 >= last.x1 and line.x1 <= box.x1 + height \
                    and len(box.lines) > 1:
                last.words.extend(line.words)       # the rest of a line cut at a wide space
                last.x1 = max(last.x1, line.x1)
                break
            if not (0.3 * height < drop <= _LINE_SPACING * max(height, last.height)):
                continue
            if min(line.x1, box.x1) - max(line.x0, box.x0) <= 0:
                continue
            if abs(line.height - last.height) > 0.3 * max(line.height, last.height):
                continue
            if len(box.lines) > 1:
                pitch = box.lines[-2].bottom - last.bottom
                if drop > 1.3 * pitch:
                    continue        # more space than between its lines: a new paragraph
            box.add(line)
            break
        else:
            box = _Box(order=len(boxes))
            box.add(line)
            boxes.append(box)
    return boxes


def reading_order(boxes: list[_Box]) -> list[_Box]:
    """``boxes`` in reading order: the page is cut at vertical bands of white
    space between columns (each at least a few characters wide) where there
    are any, else at horizontal bands between rows, recursively; rows cut by
    the same column gap are read together, column by column (two columns
    whose paragraph gaps line up are not read across); boxes nothing
    separates keep the order they were drawn in."""
    if len(boxes) <= 1:
        return boxes
    columns = _columns(boxes)
    if columns:
        return [box for column in columns for box in reading_order(column)]
    rows = _cut(boxes, lambda b: (-b.top, -b.bottom))
    if len(rows) == 1:
        return sorted(boxes, key=lambda b: b.order)
    groups: list[list[_Box]] = []
    gutters: list[tuple[float, float]] = []     # the last group's column gaps
    for row in rows:
        found = _gutters(row)
        if groups and gutters and found and any(
                min(b, d) > max(a, c) for a, b in gutters for c, d in found):
            groups[-1] += row
            gutters = [(max(a, c), min(b, d)) for a, b in gutters for c, d in found
                       if min(b, d) > max(a, c)]
        else:
            groups.append(list(row))
            gutters = found
    if len(groups) == 1:        # one group of rows whose gaps line up: it has columns
        columns = _columns(groups[0])
        if columns:
            return [box for column in columns for box in reading_order(column)]
        return sorted(boxes, key=lambda b: b.order)
    return [box for group in groups for box in reading_order(group)]


def _columns(boxes: list[_Box]) -> list[list[_Box]]:
    """``boxes`` cut into columns at vertical white space, or ``[]`` when there
    is none or a part would be narrower than six line heights (a bullet or a
    line number is no column)."""
    columns = _cut(boxes, lambda b: (b.x0, b.x1))
    if len(columns) > 1 and all(max(b.x1 for b in c) - min(b.x0 for b in c)
                                >= 6 * max(b.lines[0].height for b in c) for c in columns):
        return columns
    return []


def _gutters(boxes: list[_Box]) -> list[tuple[float, float]]:
    """The gaps between the columns of ``boxes`` (empty: no columns)."""
    columns = _columns(boxes)
    return [(max(b.x1 for b in left), min(b.x0 for b in right))
            for left, right in itertools.pairwise(columns)]


def _cut(boxes: list[_Box], span: Any) -> list[list[_Box]]:
    groups: list[list[_Box]] = []
    end = float("-inf")
    for box in sorted(boxes, key=span):
        low, high = span(box)
        if groups and low < end + 1.0:
            groups[-1].append(box)
            end = max(end, high)
        else:
            groups.append([box])
            end = high
    return groups


def page_blocks(textpage: Any, raw: Any) -> list[dict[str, Any]]:
    """A page's text boxes in reading order, as the parent reads them."""
    out = []
    for box in reading_order(_boxes(_printed_lines(textpage, raw))):
        lines = [[" ".join(line.words).translate(_HYPHEN_MARKS), round(line.x0, 1),
                  round(line.x1, 1)] for line in box.lines]
        out.append({"x0": round(box.x0, 1), "x1": round(box.x1, 1), "lines": lines})
    return out


# The document ------------------------------------------------------------------------


def _info(document: Any) -> dict[str, str]:
    names = {"Title": "title", "Author": "author", "Subject": "subject",
             "Keywords": "keywords", "Creator": "creator", "Producer": "producer",
             "CreationDate": "created", "ModDate": "modified"}
    info: dict[str, str] = {}
    for key, value in document.get_metadata_dict(skip_empty=True).items():
        value = str(value).replace("\x00", "").strip()[:2000]
        if key in names and value:
            info[names[key]] = value
    return info


def extract(data: bytes, max_chars: int) -> dict[str, Any]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        pages: list[list[dict[str, Any]]] = []
        chars = 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                chars += textpage.count_chars()
                if chars > max_chars:
                    return {"error": "too-much-text", "detail": f"{chars}"}
                pages.append(page_blocks(textpage, raw))
            finally:
                textpage.close()
                page.close()
        encrypted = raw.FPDF_GetSecurityHandlerRevision(document.raw) != -1
        return {"pages": pages, "info": _info(document), "encrypted": encrypted}
    finally:
        document.close()


def classify(error: BaseException) -> dict[str, str]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    detail = f"{type(error).__name__}: {error}"[:500]
    if isinstance(error, pdfium.PdfiumError):
        if error.err_code == raw.FPDF_ERR_PASSWORD:
            return {"error": "encrypted", "detail": detail}
        if error.err_code == raw.FPDF_ERR_SECURITY:
            return {"error": "encryption-unsupported", "detail": detail}
    return {"error": "broken", "detail": detail}


def _preload() -> None:
    """Load the parser (its code and PDFium's library) before the memory limit
    is set, so the limit bounds the parsing, not the loading."""
    import pypdfium2
    import pypdfium2.raw  # noqa: F401


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def main(argv: list[str]) -> int:
    memory, max_chars = int(argv[0]), int(argv[1])
    cpu = int(argv[2]) if len(argv) > 2 else 0
    _die_with_parent(int(argv[3]) if len(argv) > 3 else 0)
    # Whatever PDFium or a codec prints must not end up in the JSON answer.
    answer = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.disable(logging.CRITICAL)
    data = sys.stdin.buffer.read()
    _preload()
    out_of_memory = b'{"error": "memory", "detail": ""}'
    broken = b'{"error": "broken", "detail": ""}'
    _limit("RLIMIT_CPU", cpu)
    _limit("RLIMIT_AS", memory)
    try:
        payload = json.dumps(extract(data, max_chars), ensure_ascii=False).encode("utf-8")
    except MemoryError:
        payload = out_of_memory
    except RecursionError:
        payload = b'{"error": "broken", "detail": "nesting too deep"}'
    except BaseException as error:     # every failure becomes an answer
        try:
            payload = json.dumps(classify(error)).encode("utf-8")
        except MemoryError:
            payload = out_of_memory
        except BaseException:
            payload = broken
    del data
    _write(answer, payload)
    os.close(answer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
