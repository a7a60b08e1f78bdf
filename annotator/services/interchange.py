"""The interchange formats of :mod:`annotator.services.exports`: brat standoff,
spaCy DocBin, ClaimReview JSON-LD, INCEpTION (UIMA CAS XMI) and REFI-QDA. Each takes the scope's
documents with their claims, one document at a time (as Label Studio and
doccano do), and writes one file atomically.

:data:`FORMATS` is what the export registry lists (name → title, suffix);
:func:`write` and :func:`preview` are what it calls. What a format cannot hold
is reported in ``notes`` (shown after the export).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.domain.codebook import Codebook
from annotator.formats.atomic import atomic_binary, atomic_write
from annotator.formats.export import brat, claimreview, inception, refi_qda, spacy_docbin
from annotator.formats.export.streams import json_dumps

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

#: name → (title, suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "brat": ("brat standoff (.txt + .ann per document, zipped)", ".zip"),
    "spacy": ("spaCy DocBin (doc.spans['claims'])", ".spacy"),
    "claimreview": ("ClaimReview JSON-LD (schema.org, for fact-checkers)", ".jsonld"),
    "inception": ("INCEpTION / UIMA CAS XMI (zip)", ".zip"),
    "refi-qda": ("REFI-QDA project (.qdpx: ATLAS.ti, MAXQDA, NVivo, QualCoder)", ".qdpx"),
}


def missing(fmt: str) -> str | None:
    """Why ``fmt`` cannot be written here (a library to install), or None."""
    if fmt == "spacy":
        return spacy_docbin.missing()
    if fmt == "inception":
        return inception.missing()
    return None


def sidecars(fmt: str, out: Path) -> list[Path]:
    """The files a format writes beside ``out``: REFI-QDA's codebook (``.qdc``)."""
    return [out.with_suffix(refi_qda.CODEBOOK_SUFFIX)] if fmt == "refi-qda" else []


def write(fmt: str, out: Path, groups: Iterable[DocumentGroup], codebook: Codebook, *,
          name: str, exported_at: str, span_label: str, notes: list[str],
          files: list[Path]) -> int:
    """Write ``groups`` as ``fmt`` to ``out`` (and its :func:`sidecars`, added to
    ``files``); returns the number of claims written."""
    if fmt == "brat":
        with atomic_binary(out) as handle:
            return brat.write_brat(handle, out.stem, groups, codebook, notes)
    if fmt == "spacy":
        with atomic_binary(out) as handle:
            return spacy_docbin.write_docbin(handle, groups, span_label=span_label)
    if fmt == "claimreview":
        with atomic_write(out, newline="\n") as handle:
            return claimreview.write_claimreview(handle, groups, codebook, notes=notes)
    if fmt == "inception":
        with atomic_binary(out) as handle:
            return inception.write_inception(handle, out.stem, groups, notes)
    if fmt == "refi-qda":
        with atomic_binary(out) as handle:
            claims = refi_qda.write_qdpx(handle, groups, codebook, name=name,
                                         exported_at=exported_at, notes=notes)
        for path in sidecars(fmt, out):
            with atomic_binary(path) as handle:
                handle.write(refi_qda.codebook_qdc(codebook))
            files.append(path)
        return claims
    raise ValueError(f"not an interchange format: {fmt}")


def preview(fmt: str, document: dict[str, Any], records: list[dict[str, Any]],
            codebook: Codebook, span_label: str = "stance") -> str:
    """What the export writes for one document's first claims, as text."""
    if fmt == "brat":
        return f"{brat.file_stem(document)}.ann:\n{brat.ann(document, records)}"
    if fmt == "claimreview":
        reviews = [claimreview.review(document, record, codebook) for record in records]
        return json_dumps([r for r in reviews if r is not None], indent=2)
    if fmt == "inception":
        return inception.preview(document, records)
    if fmt == "refi-qda":
        buffer = io.StringIO()
        refi_qda.preview(buffer, document, records, codebook)
        return buffer.getvalue()
    spans = [{"span": [r["start"], r["end"]], "text": r["quote"],
              "label": spacy_docbin.label_of(r, span_label)} for r in records]
    return json_dumps({"doc.spans['claims']": spans}, indent=2)
