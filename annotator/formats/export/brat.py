"""brat standoff: a zip of one brat collection, ``<name>/`` holding per document
``<id>.txt`` (the text, exactly as stored, UTF-8, line ends kept) and
``<id>.ann`` (its claims), with ``annotation.conf`` and ``visual.conf``.

Each claim is a text-bound annotation of type ``Claim``::

    T1<TAB>Claim 10 14;16 25<TAB>深度求素 Mandarin)
    A1<TAB>stance T1 supports
    #1<TAB>AnnotatorNotes T1<TAB>the claim's note

- Offsets count code points, as brat's server indexes the text it reads (UTF-8
  through ``codecs.open``, which does no newline translation, so ``\\r\\n`` is
  two characters): the stored offsets unchanged.
- A ``.ann`` line cannot hold a line break, so a claim that crosses one is
  written as brat's discontinuous span: one fragment per line, line-break
  characters left out, and the text field the fragments joined with a space
  (brat's own rule). The claim is ``text[first start:last end]``. A claim of
  nothing but line breaks has no fragment and is not written (reported).
- Labels are attributes (``stance``, ``source_reliability``, ``info_credibility``,
  ``claim_type``, ``likelihood``, ``confidence``) declared in
  ``annotation.conf`` with the codebook's keys as values; the analyst is the
  ``annotator`` attribute. The note is the ``AnnotatorNotes`` line, line
  breaks written as spaces (brat notes are one line).
- Lost: the claim's id, proposition, tags, claim source, timestamps and review
  status (brat has no place for them).
- ``annotation.conf`` allows any overlap (``<OVERLAP>``): claims may overlap.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from annotator.domain.codebook import Codebook, Dimension

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

ENTITY = "Claim"
ANNOTATOR = "annotator"
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
#: What a brat attribute value may hold (no separators of annotation.conf).
_UNSAFE = re.compile(r"[^\w.@+-]")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The fragments of ``text[start:end]`` between its line breaks (brat's
    discontinuous span), empty ones left out."""
    found = []
    at = start
    for match in _LINE_BREAK.finditer(text, start, end):
        if match.start() > at:
            found.append((at, match.start()))
        at = match.end()
    if end > at:
        found.append((at, end))
    return found


def attribute_value(key: object) -> str:
    """A label key or analyst name as a brat attribute value (a word)."""
    return _UNSAFE.sub("_", str(key)) or "_"


def one_line(text: str) -> str:
    return " ".join(text.split()) if _LINE_BREAK.search(text) or "\t" in text else text


def ann(document: dict[str, Any], claims: list[dict[str, Any]],
        skipped: list[str] | None = None) -> str:
    """The ``.ann`` file of one document."""
    text = document["text"]
    lines: list[str] = []
    attribute = note = 0
    number = 0
    for record in claims:
        parts = fragments(text, record["start"], record["end"])
        if not parts:
            if skipped is not None:
                skipped.append(f"claim {record['id']} (document {document['id']}) holds only "
                               "line breaks, which brat cannot mark")
            continue
        number += 1
        tid = f"T{number}"
        spans = ";".join(f"{s} {e}" for s, e in parts)
        shown = " ".join(text[s:e] for s, e in parts)
        lines.append(f"{tid}\t{ENTITY} {spans}\t{shown}")
        for dimension in Dimension:
            value = record.get(dimension.value)
            if value is not None:
                attribute += 1
                lines.append(f"A{attribute}\t{dimension.value} {tid} {attribute_value(value)}")
        if record.get("annotator"):
            attribute += 1
            lines.append(f"A{attribute}\t{ANNOTATOR} {tid} "
                         f"{attribute_value(record['annotator'])}")
        if record.get("note"):
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes {tid}\t{one_line(record['note'])}")
    return "".join(line + "\n" for line in lines)


def annotation_conf(codebook: Codebook, analysts: Iterable[str]) -> str:
    lines = ["[entities]", ENTITY, "", "[relations]",
             "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "",
             "[attributes]"]
    for dimension in Dimension:
        keys = [attribute_value(label.key) for label in codebook.of(dimension)]
        if keys:
            lines.append(f"{dimension.value}\tArg:{ENTITY}, Value:{'|'.join(keys)}")
    names = sorted({attribute_value(name) for name in analysts})
    if names:
        lines.append(f"{ANNOTATOR}\tArg:{ENTITY}, Value:{'|'.join(names)}")
    return "\n".join(lines) + "\n"


def visual_conf(codebook: Codebook) -> str:
    lines = ["[labels]", f"{ENTITY} | Claim", "", "[drawing]",
             f"{ENTITY}\tbgColor:#E69F00", "", "[options]"]
    return "\n".join(lines) + "\n"


def file_stem(document: dict[str, Any]) -> str:
    return attribute_value(document["id"])


def write_brat(handle: IO[bytes], name: str, groups: Iterable[DocumentGroup],
               codebook: Codebook, skipped: list[str]) -> int:
    """Write the collection as a zip to ``handle``; returns the claims written."""
    folder = attribute_value(name)
    claims = 0
    analysts: set[str] = set()
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document, records in groups:
            stem = file_stem(document)
            archive.writestr(f"{folder}/{stem}.txt", document["text"].encode("utf-8"))
            before = len(skipped)
            archive.writestr(f"{folder}/{stem}.ann", ann(document, records, skipped)
                             .encode("utf-8"))
            claims += len(records) - (len(skipped) - before)
            analysts.update(r["annotator"] for r in records if r.get("annotator"))
        archive.writestr(f"{folder}/annotation.conf",
                         annotation_conf(codebook, analysts).encode("utf-8"))
        archive.writestr(f"{folder}/visual.conf", visual_conf(codebook).encode("utf-8"))
    return claims
