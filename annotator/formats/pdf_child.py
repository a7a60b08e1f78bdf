"""The PDF parsing process: ``python -m annotator.formats.pdf_child MEMORY MAX_CHARS``.

Reads the PDF's bytes from standard input, lays out each page with
pdfminer.six and writes one JSON object to standard output:
``{"pages": [[{"x0", "x1", "lines": [[text, x0, x1], ...]}, ...], ...], "info": {...}}``
or ``{"error": kind, "detail": text}``. The parent (:mod:`annotator.formats.pdf`)
runs it with a wall-time limit; this process caps its own address space
(``RLIMIT_AS``) before pdfminer is imported, so a hostile file cannot exhaust
the machine's memory.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
from typing import Any


def _limit_memory(limit: int) -> None:
    if limit <= 0:
        return
    try:
        import resource
    except ImportError:      # Windows: the parent's time limit still applies
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    # macOS refuses some values: the parent's time limit still holds there.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _text(value: Any) -> str:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value).replace("\x00", "").strip()[:2000]
    if isinstance(value, PSLiteral):
        return str(value.name)[:2000]
    if isinstance(value, str):
        return value.strip()[:2000]
    return ""


def _info(document: Any) -> dict[str, str]:
    names = {"Title": "title", "Author": "author", "Subject": "subject",
             "Keywords": "keywords", "Creator": "creator", "Producer": "producer",
             "CreationDate": "created", "ModDate": "modified"}
    info: dict[str, str] = {}
    for entry in document.info[:1]:
        for key, name in names.items():
            if key in entry:
                value = _text(entry[key])
                if value:
                    info[name] = value
    return info


def extract(data: bytes, max_chars: int) -> dict[str, Any]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    parser = PDFParser(io.BytesIO(data))
    document = PDFDocument(parser)
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[list[dict[str, Any]]] = []
    chars = 0
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        layout = device.get_result()
        boxes = []
        for item in layout:
            if not isinstance(item, LTTextBox):
                continue
            lines = []
            for line in item:
                if isinstance(line, LTTextLine):
                    text = line.get_text().rstrip("\n")
                    chars += len(text)
                    lines.append([text, round(line.x0, 1), round(line.x1, 1)])
            if lines:
                boxes.append({"x0": round(item.x0, 1), "x1": round(item.x1, 1),
                              "lines": lines})
        pages.append(boxes)
        if chars > max_chars:
            return {"error": "too-much-text", "detail": f"{chars}"}
    return {"pages": pages, "info": _info(document),
            "encrypted": bool(getattr(document, "encryption", None))}


def classify(error: BaseException) -> dict[str, str]:
    from pdfminer.pdfdocument import (
        PDFEncryptionError,
        PDFNoValidXRef,
        PDFPasswordIncorrect,
    )
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSEOF, PSException

    detail = f"{type(error).__name__}: {error}"[:500]
    if isinstance(error, PDFPasswordIncorrect):
        return {"error": "encrypted", "detail": detail}
    if isinstance(error, PDFEncryptionError):
        return {"error": "encryption-unsupported", "detail": detail}
    if isinstance(error, PDFNoValidXRef | PDFSyntaxError | PSEOF | PSException):
        return {"error": "broken", "detail": detail}
    return {"error": "broken", "detail": detail}


def _preload() -> None:
    """Import everything parsing needs before the memory limit is set, so the
    limit bounds the parsing, not the loading of the parser's own code."""
    import pdfminer.converter
    import pdfminer.layout
    import pdfminer.pdfdocument
    import pdfminer.pdfinterp
    import pdfminer.pdfpage
    import pdfminer.pdfparser
    import pdfminer.psexceptions
    import pdfminer.utils  # noqa: F401


def _write(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def main(argv: list[str]) -> int:
    memory, max_chars = int(argv[0]), int(argv[1])
    # Whatever pdfminer or a codec prints must not end up in the JSON answer.
    answer = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    logging.disable(logging.CRITICAL)
    data = sys.stdin.buffer.read()
    _preload()
    out_of_memory = b'{"error": "memory", "detail": ""}'
    broken = b'{"error": "broken", "detail": ""}'
    _limit_memory(memory)
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
