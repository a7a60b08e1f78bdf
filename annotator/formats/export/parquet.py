"""Apache Parquet with the CSV's columns (:data:`~annotator.formats.claims.CLAIM_FIELDS`,
in the same order), typed: offsets, credibility, codebook version and pages as
64-bit integers (null where empty), ``tags`` as a list of strings,
``created_at``/``updated_at`` as UTC timestamps (microseconds), the rest as
strings. Text is kept exactly (no formula neutralisation: Parquet is not
opened by spreadsheets as text). Rows are written in row groups of
:data:`BATCH` claims, so memory stays flat.

Needs ``pyarrow`` (the ``parquet`` extra: ``pip install 'annotator[parquet]'``);
without it :func:`write_parquet` raises :class:`ParquetUnavailable` with that advice.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.formats.claims import CLAIM_FIELDS

BATCH = 16_384
INTEGER_FIELDS = frozenset({"start", "end", "info_credibility", "codebook_version",
                            "page_start", "page_end"})
TIMESTAMP_FIELDS = frozenset({"created_at", "updated_at"})
INSTALL_HINT = ("Parquet export needs the pyarrow package: "
                "pip install 'annotator[parquet]' (or pip install pyarrow)")


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed."""


def available() -> bool:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def _modules():  # type: ignore[no-untyped-def]
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ParquetUnavailable(INSTALL_HINT) from None
    return pyarrow, pyarrow.parquet


def schema(metadata: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    pa, _ = _modules()
    fields = []
    for name in CLAIM_FIELDS:
        if name in INTEGER_FIELDS:
            kind = pa.int64()
        elif name in TIMESTAMP_FIELDS:
            kind = pa.timestamp("us", tz="UTC")
        elif name == "tags":
            kind = pa.list_(pa.string())
        else:
            kind = pa.string()
        fields.append(pa.field(name, kind))
    return pa.schema(fields, metadata=metadata)


def write_parquet(path: str | Path, records: Iterable[dict[str, Any]], *,
                  metadata: dict[str, str] | None = None) -> int:
    """Write the records to ``path`` (not atomically: the caller gives a temporary
    path). Returns the number of records written."""
    pa, pq = _modules()
    table_schema = schema({"offsets": "Unicode code points: text[start:end] == quote",
                           **(metadata or {})})
    count = 0
    with pq.ParquetWriter(str(path), table_schema) as writer:
        columns: dict[str, list[Any]] = {name: [] for name in CLAIM_FIELDS}

        def flush() -> None:
            arrays = []
            for field in table_schema:
                values = columns[field.name]
                if field.name in TIMESTAMP_FIELDS:
                    arrays.append(pa.array(values, pa.string()).cast(field.type))
                else:
                    arrays.append(pa.array(values, field.type))
                values.clear()
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=table_schema))

        pending = 0
        for record in records:
            for name, values in columns.items():
                values.append(record.get(name))
            pending += 1
            if pending == BATCH:
                flush()
                count += pending
                pending = 0
        if pending:
            flush()
            count += pending
    return count
