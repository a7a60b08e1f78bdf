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
way the unit is written on every line. ``codepoint`` is for reading the file
with a script (Python indexes): doccano's own editor would put every span after
an emoji on the wrong characters.

Overlapping spans: claims overlap (two analysts, or a claim inside another),
and a doccano project created with its defaults (no "Allow overlapping
entity") silently keeps only some of them. :func:`write_doccano` counts them
and says so in the export's notes. Converting back::

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


def overlapping(claims: list[dict[str, Any]]) -> int:
    """How many of these claims overlap another one."""
    spans = sorted((r["start"], r["end"], i) for i, r in enumerate(claims))
    found: set[int] = set()
    reach, holder = -1, -1
    for start, end, index in spans:
        if start < reach:
            found.update((index, holder))
        if end > reach:
            reach, holder = end, index
    return len(found)


def write_doccano(handle: IO[str], groups: Iterable[DocumentGroup], *,
                  span_label: str = "stance", offset_unit: str = "utf-16",
                  notes: list[str] | None = None) -> int:
    """Write one JSON line per document. Returns the number of claims written;
    how many overlap goes to ``notes``, with what to set in doccano."""
    encode = json_text
    claims = overlaps = 0
    for document, records in groups:
        overlaps += overlapping(records)
        handle.write(encode(line(document, records, span_label=span_label,
                                 offset_unit=offset_unit)))
        handle.write("\n")
        claims += len(records)
    if overlaps and notes is not None:
        notes.append(f"{overlaps} of {claims} spans overlap another: create the doccano "
                     "project with \"Allow overlapping entity\" ticked (allow_overlapping), "
                     "or doccano keeps only some of them")
    return claims
