"""PDF files: text in reading order, paragraphs rejoined, page boundaries kept.

Parsing runs in a child process (:mod:`annotator.formats.pdf_child`, with
pypdfium2) that gets the file's bytes on standard input, may use at most
:data:`DEFAULT_MEMORY` bytes of address space (``RLIMIT_AS``) and a little more
processor time than the time limit (``RLIMIT_CPU``, both on Linux and macOS),
dies with the importing process (a killed import leaves no parser running), and
is killed after :data:`DEFAULT_TIMEOUT` seconds or when the import is
cancelled: a hostile or broken PDF cannot hang or exhaust the app, and the
parser never sees the file's path or the project.

The child returns each page's text boxes in reading order (its own layout
analysis, so two-column pages read column by column); the parent joins them
(:func:`annotator.formats.reflow.join_pages`): lines of a box become a
paragraph with end-of-line hyphenation repaired, boxes are separated by a blank
line, a bare page number at the top or bottom of a page and running headers
and footers are dropped, and
``metadata["pages"]`` holds the code-point offset where each page starts.
"""

from __future__ import annotations

import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from annotator.formats import registry
from annotator.formats.problems import ImportProblem
from annotator.formats.reflow import Block, Line, join_pages
from annotator.formats.registry import Extracted, ImportCancelled, Importer, ImportOptions

#: Wall-time seconds the parser may take for one PDF before it is stopped.
DEFAULT_TIMEOUT = 120.0
#: Bytes of address space the parser process may use (not all of it is memory in use).
DEFAULT_MEMORY = 1536 * 1024 * 1024
_POLL_SECONDS = 0.05
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
                       r"(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?")
_USELESS_TITLES = re.compile(r"^(untitled|microsoft word - .*|document\d*|\s*|.*\.(docx?|pdf))$",
                             re.IGNORECASE)


def child_command(memory: int, max_chars: int, cpu_seconds: int = 0) -> list[str]:
    """The command that runs the parser process (a frozen app would replace it)."""
    return [sys.executable, "-m", "annotator.formats.pdf_child", str(memory), str(max_chars),
            str(cpu_seconds), str(os.getpid())]


def run_parser(data: bytes, path: Path, *, timeout: float, memory: int,
               cancel: Any = None) -> dict[str, Any]:
    """The child's JSON answer for ``data``; raises ImportProblem on a limit or
    crash, ImportCancelled when ``cancel()`` turns true.

    The bytes go in, and the answer comes back, through anonymous temporary
    files rather than pipes: nothing can block on a full pipe, whatever the
    sizes, and the parent only has to wait (polling for the deadline and
    ``cancel``).
    """
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    with tempfile.TemporaryFile() as source, tempfile.TemporaryFile() as answer, \
            tempfile.TemporaryFile() as errors:
        source.write(data)
        source.flush()
        source.seek(0)
        # The child dies with this process (see pdf_child): on Linux, with the
        # thread that started it, which waits here until the child has ended.
        try:
            process = subprocess.Popen(
                child_command(memory, registry.MAX_TEXT_CHARS, math.ceil(timeout) + 5),
                stdin=source, stdout=answer,
                stderr=errors, cwd=_PACKAGE_PARENT, creationflags=flags)
        except OSError as error:
            raise ImportProblem(path, f"the PDF reader could not be started: {error}") from None
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    process.wait(timeout=_POLL_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    pass
                if cancel is not None and cancel():
                    raise ImportCancelled(str(path))
                if time.monotonic() > deadline:
                    raise ImportProblem(path, f"took longer than {timeout:g} seconds to read "
                                              f"and was stopped (the PDF may be damaged or "
                                              f"hostile)")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        answer.seek(0)
        out = answer.read()
        errors.seek(0)
        err = errors.read(65536)
    if process.returncode != 0 or not out:
        if process.returncode == -getattr(signal, "SIGXCPU", -1000):
            raise ImportProblem(path, f"took longer than {timeout:g} seconds to read "
                                      f"and was stopped (the PDF may be damaged or hostile)")
        # PDFium aborts when an allocation fails under the address-space limit.
        if b"MemoryError" in err or process.returncode == -getattr(signal, "SIGABRT", -1000):
            raise ImportProblem(path, _memory_reason(memory))
        raise ImportProblem(path, f"the PDF reader stopped unexpectedly "
                                  f"(exit status {process.returncode}); the PDF may be damaged")
    try:
        parsed = json.loads(out)
    except ValueError:
        raise ImportProblem(path, "the PDF reader gave an unreadable answer") from None
    if not isinstance(parsed, dict):
        raise ImportProblem(path, "the PDF reader gave an unreadable answer")
    return parsed


def _memory_reason(memory: int) -> str:
    return (f"needed more than {memory / 2**20:g} MiB of memory to read and was stopped "
            f"(the PDF may be damaged or hostile)")


def pdf_date(value: str) -> str:
    """A PDF date (``D:20250127093000+01'00'``) as ISO 8601, or ``value`` as is."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return value
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = match.groups()
    result = f"{year}-{month or '01'}-{day or '01'}"
    if hour:
        result += f"T{hour}:{minute or '00'}:{second or '00'}"
        if zulu:
            result += "Z"
        elif sign:
            result += f"{sign}{tz_hour}:{tz_minute or '00'}"
    return result


class PdfImporter(Importer):
    name = "pdf"
    version = "2"        # 2: pypdfium2 and running headers/footers dropped (1: pdfminer.six)
    suffixes = (".pdf",)
    label = "PDF"

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        if not data:
            raise ImportProblem(path, "the file is empty")
        if b"%PDF-" not in data[:1024]:
            raise ImportProblem(path, "is not a PDF (it does not start with %PDF-)")
        if b"%%EOF" not in data[-2048:]:
            raise ImportProblem(path, "is truncated (it does not end with %%EOF): the "
                                      "download or copy may be incomplete")
        memory = options.pdf_memory or DEFAULT_MEMORY
        timeout = options.pdf_timeout or DEFAULT_TIMEOUT
        answer = run_parser(data, path, timeout=timeout, memory=memory, cancel=options.cancel)
        error = answer.get("error")
        if error:
            raise ImportProblem(path, _reason(str(error), str(answer.get("detail", "")), memory))
        pages = [[Block(tuple(Line(str(t), float(x0), float(x1)) for t, x0, x1 in box["lines"]),
                        float(box["x0"]), float(box["x1"])) for box in page]
                 for page in answer.get("pages", [])]
        if not pages:
            raise ImportProblem(path, "has no pages")
        text, starts = join_pages(pages)
        if not text.strip():
            raise ImportProblem(path, "has no text that can be extracted: its pages may be "
                                      "scanned images (run OCR on it first)")
        info = {key: str(value) for key, value in answer.get("info", {}).items()}
        for key in ("created", "modified"):
            if key in info:
                info[key] = pdf_date(info[key])
        metadata: dict[str, Any] = {"pages": starts, "page_count": len(starts)}
        if answer.get("encrypted"):
            metadata["encrypted"] = True      # with an empty user password
        metadata.update(info)
        title = info.get("title", "")
        if _USELESS_TITLES.match(title):
            title = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return Extracted(title=title, text=text, metadata=metadata)


def _reason(error: str, detail: str, memory: int) -> str:
    if error == "encrypted":
        return ("is encrypted with a password; open it in a PDF viewer and save an "
                "unprotected copy, then import that")
    if error == "encryption-unsupported":
        return f"uses an encryption that cannot be read ({detail})"
    if error == "memory":
        return _memory_reason(memory)
    if error == "too-much-text":
        return (f"holds more than the {registry.MAX_TEXT_CHARS:,} characters of text a "
                f"document may have")
    return f"is damaged or not a valid PDF ({detail})" if detail else "is damaged"


__all__ = ["DEFAULT_MEMORY", "DEFAULT_TIMEOUT", "PdfImporter", "pdf_date", "run_parser"]
