"""Reading JSON Lines that someone else wrote, with every size bounded.

:func:`read_records` reads a binary stream (a file, or a zip member) a chunk at
a time and yields ``(line number, record)`` for each non-blank line, or
``(line number, BadRecord)`` for a line that cannot be a record: longer than
its limit (skipped without being kept in memory), not UTF-8, not JSON (NaN
and Infinity are not JSON), nested deeper than :data:`MAX_DEPTH`, holding a
number beyond 64 bits or a lone surrogate (``"\\ud800"``: not text, and not
storable as UTF-8). Blank lines are skipped at the speed of a regular
expression, so a file of nothing but line breaks is read as fast as the disk
allows. A stream that holds more than ``max_bytes`` stops the reading with an
:class:`~annotator.formats.problems.ImportProblem` for the whole file: the
size is checked against the bytes actually read, not only a header's word.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotator.formats.problems import ImportProblem

MiB = 1024 * 1024
#: Longest line of a claim record (bytes). A claim's quote is a span someone
#: labelled; 16 MiB is far more than any claim needs.
MAX_LINE_BYTES = 16 * MiB
#: Longest line of a document record (bytes): a document of the largest file an
#: import accepts (64 MiB), with room for its escapes and metadata.
MAX_DOCUMENT_LINE_BYTES = 2 * 64 * MiB + MiB
#: Most bytes one JSONL file (or package member) may hold.
MAX_FILE_BYTES = 4 * 1024 * MiB
#: Deepest nesting of arrays and objects in one record (a record itself is 1).
MAX_DEPTH = 64
#: Integers must fit in SQLite's 64-bit signed INTEGER.
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1
#: Bad lines of one file reported one by one; the rest are counted in one
#: more (so a file of garbage makes a bounded report).
MAX_BAD_LINES = 1000
#: How much of a stream is read at a time.
CHUNK = MiB

_BLANK = re.compile(rb"[ \t\r\n]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a record needs :func:`check_value` for: a surrogate escape. (Deep
#: nesting needs more opening brackets than MAX_DEPTH; NaN, huge floats and
#: integers beyond 64 bits are refused by the parser.)
_SUSPECT = re.compile(r"\\u[dD][89a-fA-F]")
_BOM = b"\xef\xbb\xbf"


class BadRecord(ValueError):
    """Why one line is not a usable record (the reason, for the user)."""


def _no_constant(name: str) -> Any:
    raise BadRecord(f"{name} is not a JSON value (write null)")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BadRecord(f"the number {text[:30]} is too large")
    return value


def _int64(text: str) -> int:
    # A 64-bit integer has at most 19 digits and a sign.
    if len(text) > 18 and (len(text) > 20 or not INT_MIN <= int(text) <= INT_MAX):
        raise BadRecord(f"the number {text[:30]} is too large (beyond 64 bits)")
    return int(text)


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite,
                            parse_int=_int64)


_DECODE = _decoder().decode


def _where(path: tuple[str, ...]) -> str:
    return ".".join(path) if path else "the record"


def _name(key: object) -> str:
    return key[:40] if isinstance(key, str) else f"[{key}]"


def _problem(item: Any) -> str | None:
    """What is wrong with a JSON scalar, or None."""
    if isinstance(item, str):
        if _SURROGATE.search(item):
            return "holds a lone surrogate (an escape such as \\ud800 that is not a character)"
    elif isinstance(item, bool) or item is None:
        return None
    elif isinstance(item, int):
        if not INT_MIN <= item <= INT_MAX:
            return f"the number {str(item)[:30]} is too large (beyond 64 bits)"
    elif isinstance(item, float) and not math.isfinite(item):
        return f"{item} is not a JSON number"
    return None


def check_value(value: Any) -> None:
    """Raise :class:`BadRecord` unless ``value`` (parsed JSON) is nested at most
    :data:`MAX_DEPTH` deep, its integers fit in 64 bits, its floats are finite
    and its strings (and keys) are valid Unicode text. Iterative: no depth or
    width makes it recurse."""
    stack: list[tuple[Any, int, tuple[str, ...]]] = [(value, 1, ())]
    while stack:
        item, depth, path = stack.pop()
        if not isinstance(item, (dict, list)):
            problem = _problem(item)
            if problem:
                raise BadRecord(f"{_where(path)}: {problem}")
            continue
        if depth > MAX_DEPTH:
            raise BadRecord(f"{_where(path[:3])}: nested more than {MAX_DEPTH} levels deep")
        is_dict = isinstance(item, dict)
        for key, child in (item.items() if is_dict else enumerate(item)):
            if is_dict and _SURROGATE.search(key):
                raise BadRecord(f"{_where(path)}: a key holds a lone surrogate")
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1, (*path, _name(key))))
            else:
                problem = _problem(child)
                if problem:
                    raise BadRecord(f"{_where((*path, _name(key)))}: {problem}")


def parse_record(line: bytes | str) -> Any:
    """The JSON value of one line, checked by :func:`check_value`; raises
    :class:`BadRecord` with the reason."""
    if isinstance(line, bytes):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BadRecord(f"is not UTF-8 text ({error.reason} at byte {error.start})") \
                from None
    else:
        text = line
    try:
        value = _DECODE(text)
    except RecursionError:
        raise BadRecord(f"is not a record: nested more than {MAX_DEPTH} levels deep") \
            from None
    except BadRecord:
        raise
    except ValueError as error:     # json.JSONDecodeError
        raise BadRecord(f"is not JSON ({error})") from None
    if text.count("[") + text.count("{") > MAX_DEPTH or _SUSPECT.search(text):
        check_value(value)      # only then: most records need no walk
    return value


def parse_document(text: str, where: str | Path) -> Any:
    """A whole JSON document (such as a codebook) parsed and checked as a record
    is; raises :class:`ImportProblem` naming ``where``."""
    try:
        return parse_record(text)
    except BadRecord as error:
        raise ImportProblem(where, str(error)) from None


def size_text(count: int) -> str:
    """``16 MiB``, ``1,000 bytes``: a size for a message."""
    return f"{count / MiB:,.0f} MiB" if count >= MiB else f"{count:,} bytes"


def _too_big(where: str | Path, limit: int) -> ImportProblem:
    return ImportProblem(where, f"holds more than {size_text(limit)}; refused (not an "
                                "Annotator export, or a zip bomb)")


def raw_lines(raw: IO[bytes], where: str | Path, *, max_line: int | None = None,
              max_bytes: int | None = None) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` of each non-blank line of ``raw`` (lines end at
    ``\\n``; a UTF-8 byte-order mark is dropped), or ``(number, None)`` for a
    line longer than ``max_line`` bytes (default :data:`MAX_LINE_BYTES`), which
    is skipped unread. Raises :class:`ImportProblem` once more than
    ``max_bytes`` (default :data:`MAX_FILE_BYTES`) were read."""
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    buffer = bytearray()
    pos = 0
    number = 1          # the line that buffer[pos] is on
    total = 0
    eof = False

    def more() -> bool:
        nonlocal buffer, pos, total, eof
        if eof:
            return False
        chunk = raw.read(CHUNK)
        if not chunk:
            eof = True
            return False
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(where, max_bytes)
        del buffer[:pos]        # O(1) at the front of a bytearray
        buffer += chunk
        pos = 0
        return True

    head = raw.read(len(_BOM))
    total = len(head)
    if head != _BOM:
        buffer += head

    while True:
        # Blank lines and leading white space, skipped at C speed.
        end = _BLANK.match(buffer, pos).end()
        number += buffer.count(b"\n", pos, end)
        pos = end
        if pos >= len(buffer):
            if not more():
                return
            continue
        newline = buffer.find(b"\n", pos)
        while newline < 0 and len(buffer) - pos <= max_line:
            start = len(buffer) - pos
            if not more():
                break
            newline = buffer.find(b"\n", start)
        if newline < 0 and eof:
            line, pos = bytes(buffer[pos:]), len(buffer)
            yield number, line if len(line) <= max_line else None
            return
        if newline < 0 or newline - pos > max_line:
            yield number, None
            # Skip to the end of the over-long line without keeping it.
            while newline < 0:
                del buffer[:]
                pos = 0
                if not more():
                    return
                newline = buffer.find(b"\n")
            pos = newline + 1
            number += 1
            continue
        line = bytes(buffer[pos:newline])
        pos = newline + 1
        yield number, line
        number += 1


def read_records(raw: IO[bytes], where: str | Path, *, max_line: int | None = None,
                 max_bytes: int | None = None) -> Iterator[tuple[int, Any]]:
    """``(line number, record)`` of each non-blank line, the record being the
    parsed JSON value, or a :class:`BadRecord` saying why the line is none
    (past :data:`MAX_BAD_LINES` of those, one more at the end counts the rest).
    Raises :class:`ImportProblem` for a stream over ``max_bytes``."""
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    bad = 0
    last = 0
    for number, line in raw_lines(raw, where, max_line=max_line, max_bytes=max_bytes):
        if line is None:
            problem = BadRecord(f"is longer than {size_text(max_line)}; skipped unread")
        else:
            try:
                yield number, parse_record(line)
                continue
            except BadRecord as error:
                problem = error
        bad += 1
        last = number
        if bad <= MAX_BAD_LINES:
            yield number, problem
    if bad > MAX_BAD_LINES:
        yield last, BadRecord(f"and {bad - MAX_BAD_LINES:,} more lines that are not records "
                              f"(after the first {MAX_BAD_LINES:,}, not listed one by one)")


def open_bounded(path: str | Path, limit: int | None = None) -> IO[bytes]:
    """``path`` opened for reading bytes, refused (:class:`ImportProblem`) when
    it cannot be read or is larger than ``limit`` (default :data:`MAX_FILE_BYTES`)."""
    path = Path(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportProblem(path, f"cannot be read: {error.strerror or error}") from None
    try:
        status = os.fstat(handle.fileno())
    except OSError as error:
        handle.close()
        raise ImportProblem(path, f"cannot be read: {error.strerror or error}") from None
    if not stat.S_ISREG(status.st_mode):    # a pipe or a device never ends
        handle.close()
        raise ImportProblem(path, "is not a regular file")
    if status.st_size > limit:
        handle.close()
        raise _too_big(path, limit)
    return handle


def read_bounded(raw: IO[bytes], where: str | Path, limit: int) -> bytes:
    """All of ``raw``, refused (:class:`ImportProblem`) past ``limit`` bytes."""
    data = raw.read(limit + 1)
    if len(data) > limit:
        raise _too_big(where, limit)
    return data
