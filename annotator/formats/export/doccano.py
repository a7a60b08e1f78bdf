"""doccano sequence-labelling JSONL: one line per document,
``{"text": ..., "label": [[start, end, label], ...]}``.

The span label is the claim's key in one codebook dimension (``stance`` by
default), or ``(unlabelled)``. doccano keeps the other keys of a line as the
example's metadata: ``document_id``, ``document_sha256``, ``title`` and
``offset_unit``.

Offsets: doccano's editor counts UTF-16 code units (JavaScript string indexes)
unless the project counts grapheme clusters, so by default offsets are
converted to UTF-16 code units (``offset_unit: "utf-16"``): a character
outside the Basic Multilingual Plane, such as an emoji, counts 2. With
``offset_unit="codepoint"`` they are Python ``str`` indexes instead. Either
way the unit is written on every line. Converting back::

    units = text.encode("utf-16-le")
    quote = units[2 * start:2 * end].decode("utf-16-le")
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from annotator.domain.offsets import Utf16Offsets
from annotator.formats.export.label_studio import UNLABELLED
from annotator.formats.export.streams import json_text

OFFSET_UNITS = ("utf-16", "codepoint")
__all__ = ["OFFSET_UNITS", "Utf16Offsets", "line", "write_doccano"]

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]


def line(document: dict[str, Any], claims: list[dict[str, Any]], *,
         span_label: str = "stance", offset_unit: str = "utf-16") -> dict[str, Any]:
    """The doccano example for one document and its claims."""
    if offset_unit not in OFFSET_UNITS:
        raise ValueError(f"offset unit must be one of {', '.join(OFFSET_UNITS)}")
    convert = Utf16Offsets(document["text"]) if offset_unit == "utf-16" else (lambda o: o)
    labels = []
    for record in claims:
        key = record.get(span_label)
        labels.append([convert(record["start"]), convert(record["end"]),
                       UNLABELLED if key is None else str(key)])
    return {"text": document["text"], "label": labels, "document_id": document["id"],
            "document_sha256": document["sha256"], "title": document["title"],
            "offset_unit": offset_unit}


def write_doccano(handle: IO[str], groups: Iterable[DocumentGroup], *,
                  span_label: str = "stance", offset_unit: str = "utf-16") -> int:
    """Write one JSON line per document. Returns the number of claims written."""
    encode = json_text
    claims = 0
    for document, records in groups:
        handle.write(encode(line(document, records, span_label=span_label,
                                 offset_unit=offset_unit)))
        handle.write("\n")
        claims += len(records)
    return claims
