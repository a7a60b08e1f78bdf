"""Label Studio tasks JSON, and the labeling config that reads them.

One task per document: ``data.text`` is the document's text (with
``document_id``, ``document_sha256`` and ``title`` beside it), and
``annotations`` holds one annotation per annotator (``data.annotators`` names
them, in the same order), whose ``result`` has, for every claim:

- a ``labels`` region: ``from_name`` the span-label dimension (``stance`` by
  default), ``to_name`` ``"text"``, ``value`` ``{start, end, text, labels}``
  with the claim's key in that dimension, or :data:`UNLABELLED`;
- per-region ``choices`` for the claim's other labels (``claim_type``,
  ``source_reliability``, ``info_credibility``, ``likelihood``,
  ``confidence``) and per-region ``textarea`` results for ``proposition``,
  ``claim_source``, ``note`` and ``tags``, all sharing the region's ``id``
  (the claim id), which is how Label Studio ties them to the span.

The analyst: Label Studio attributes every imported annotation to the user who
imports it, so who made each claim travels where Label Studio keeps it: in the
task's data (``data.annotators``, one per annotation, in order) and in each
span region's ``meta`` (``{"text": ["annotator: NAME"]}``, shown with the
region in the editor and kept in Label Studio's exports).

Offsets: ``start``/``end`` count Unicode code points, as Python indexes a
``str`` (``data["text"][start:end] == value["text"]``); Label Studio's editor
stores code points too (since its 2022 fix for emoji), and counts ``\\r\\n``
as two characters, so text is given exactly as stored. Documents in the
export's scope that have no claims are tasks with no annotations (still to label).

:func:`label_config` writes the matching ``<View>`` for a new Label Studio
project, from the codebook: every key of every dimension, with its colour and
description.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any
from xml.etree import ElementTree

from annotator.domain.codebook import Codebook, Dimension
from annotator.formats.export.streams import json_text

#: The span label of a claim with no key in the span-label dimension. Codebook
#: keys cannot contain parentheses, so it never clashes with one.
UNLABELLED = "(unlabelled)"
#: Dimensions that can label spans (``labels``) or regions (``choices``).
LABEL_DIMENSIONS = tuple(d.value for d in Dimension)
TEXT_FIELDS = ("proposition", "claim_source", "note")
TO_NAME = "text"

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]


def _region(record: dict[str, Any], from_name: str, kind: str,
            value: dict[str, Any]) -> dict[str, Any]:
    return {"id": record["id"], "from_name": from_name, "to_name": TO_NAME, "type": kind,
            "origin": "manual",
            "value": {"start": record["start"], "end": record["end"], **value}}


def results(record: dict[str, Any], span_label: str = "stance") -> list[dict[str, Any]]:
    """The Label Studio results (one region and its per-region answers) of a claim."""
    key = record.get(span_label)
    found = [_region(record, span_label, "labels",
                     {"text": record["quote"],
                      "labels": [UNLABELLED if key is None else str(key)]})]
    if record.get("annotator"):
        found[0]["meta"] = {"text": [f"annotator: {record['annotator']}"]}
    for dimension in LABEL_DIMENSIONS:
        value = record.get(dimension)
        if dimension != span_label and value is not None:
            found.append(_region(record, dimension, "choices", {"choices": [str(value)]}))
    for name in TEXT_FIELDS:
        if record.get(name):
            found.append(_region(record, name, "textarea", {"text": [record[name]]}))
    if record.get("tags"):
        found.append(_region(record, "tags", "textarea", {"text": list(record["tags"])}))
    return found


def task(document: dict[str, Any], claims: list[dict[str, Any]],
         span_label: str = "stance") -> dict[str, Any]:
    """The task for one document and its claims (grouped by annotator)."""
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for record in claims:
        by_annotator.setdefault(record.get("annotator") or "", []).append(record)
    annotations = []
    for records in by_annotator.values():
        annotations.append({
            "result": [item for record in records for item in results(record, span_label)],
            "created_at": min(r["created_at"] for r in records),
            "updated_at": max(r["updated_at"] for r in records),
            "ground_truth": False,
            "was_cancelled": False,
        })
    return {
        "data": {"text": document["text"], "document_id": document["id"],
                 "document_sha256": document["sha256"], "title": document["title"],
                 "annotators": list(by_annotator)},
        "annotations": annotations,
    }


def write_tasks(handle: IO[str], groups: Iterable[DocumentGroup], *,
                span_label: str = "stance") -> int:
    """Write a JSON array of tasks, one a line, streamed document by document.
    Returns the number of claims written."""
    encode = json_text
    tasks = claims = 0
    handle.write("[")
    for document, records in groups:
        handle.write(",\n" if tasks else "\n")
        handle.write(encode(task(document, records, span_label)))
        tasks += 1
        claims += len(records)
    handle.write("\n]\n" if tasks else "]\n")
    return claims


def label_config(codebook: Codebook, span_label: str = "stance") -> str:
    """A Label Studio labeling config (XML) that shows these tasks: spans labelled
    in ``span_label``, the other dimensions and the free-text fields per region."""
    view = ElementTree.Element("View")
    span_dimension = Dimension(span_label)
    labels = ElementTree.SubElement(view, "Labels", name=span_label, toName=TO_NAME)
    for label in codebook.of(span_dimension):
        ElementTree.SubElement(labels, "Label", value=label.key, background=label.colour,
                               hint=label.description or label.name)
    ElementTree.SubElement(labels, "Label", value=UNLABELLED, background="#9E9E9E")
    ElementTree.SubElement(view, "Text", name=TO_NAME, value="$text")
    region = ElementTree.SubElement(view, "View", visibleWhen="region-selected")
    for dimension in codebook.dimensions():
        if dimension is span_dimension:
            continue
        ElementTree.SubElement(region, "Header", value=dimension.title)
        choices = ElementTree.SubElement(region, "Choices", name=dimension.value,
                                         toName=TO_NAME, perRegion="true", choice="single")
        for label in codebook.of(dimension):
            ElementTree.SubElement(choices, "Choice", value=label.key,
                                   hint=label.description or label.name)
    for name, title in (("proposition", "Proposition"), ("claim_source", "Claim source"),
                        ("note", "Note"), ("tags", "Tags")):
        ElementTree.SubElement(region, "Header", value=title)
        ElementTree.SubElement(region, "TextArea", name=name, toName=TO_NAME, perRegion="true",
                               **({} if name == "tags" else {"maxSubmissions": "1"}))
    ElementTree.indent(view)
    return ElementTree.tostring(view, encoding="unicode") + "\n"
