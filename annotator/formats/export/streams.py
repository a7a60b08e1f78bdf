"""The canonical records written to an open text handle as JSON Lines and as
CSV, one record at a time (what ``annotator export --format jsonl`` and
``--format csv`` write; :mod:`annotator.services.exports` opens the files)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable
from typing import IO, Any

from annotator.formats import claims as claim_format

_STRICT = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def finite(value: Any) -> Any:
    """``value`` with every NaN and ±Infinity (not JSON) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def json_text(value: Any) -> str:
    """``value`` as JSON (UTF-8 text, not escaped to ASCII) that every JSON
    reader accepts: NaN and ±Infinity, which Python would write as the non-JSON
    ``NaN`` and ``Infinity``, are written as ``null``. Every export encodes its
    records with this."""
    try:
        return _STRICT(value)
    except ValueError:      # a non-finite float somewhere (rare: checked only then)
        return _STRICT(finite(value))


def json_dumps(value: Any, **options: Any) -> str:
    """:func:`json.dumps` with ``options`` (such as ``indent``) and the rules of
    :func:`json_text`."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, **options)
    except ValueError:
        return json.dumps(finite(value), ensure_ascii=False, allow_nan=False, **options)


def write_jsonl(handle: IO[str], records: Iterable[dict]) -> int:
    encode = json_text
    count = 0
    write = handle.write
    for record in records:
        write(encode(record))
        write("\n")
        count += 1
    return count


_INTEGER_FIELDS = frozenset({"start", "end", "info_credibility", "codebook_version",
                             "page_start", "page_end"})
#: First characters that make a spreadsheet run a cell as a formula (OWASP).
_FORMULA = frozenset("=+-@\t\r")


def write_csv(handle: IO[str], records: Iterable[dict],
              fields: tuple[str, ...] = claim_format.CLAIM_FIELDS) -> int:
    """CSV (RFC 4180, CRLF) with a header; text cells that a spreadsheet would run
    as a formula get a leading ``'``, as :func:`annotator.formats.claims.csv_cell`
    does (the same rule, unrolled for speed: integers are never neutralised,
    ``None`` is an empty cell, lists are joined with ``"; "``)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow(fields)
    separator = claim_format.CSV_TAG_SEPARATOR
    texts = [i for i, name in enumerate(fields) if name not in _INTEGER_FIELDS]
    count = 0
    for record in records:
        cells = [record.get(name) for name in fields]
        for i in texts:
            value = cells[i]
            if value is None:
                continue
            if type(value) is not str:
                value = separator.join(value) if isinstance(value, list) else str(value)
                cells[i] = value
            if value and value[0] in _FORMULA:
                cells[i] = "'" + value
        writer.writerow(cells)
        count += 1
    return count
