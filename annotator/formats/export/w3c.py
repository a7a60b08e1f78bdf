"""W3C Web Annotation Data Model (JSON-LD): one ``Annotation`` per claim.

The file is a JSON array of annotations, each a complete JSON-LD document
with its own ``@context`` (``http://www.w3.org/ns/anno.jsonld``), so any one
of them can be copied out and still be valid. Per the recommendation
(https://www.w3.org/TR/annotation-model/):

- ``id`` is an IRI: ``urn:uuid:<claim id>`` (RFC 4122 URN namespace);
  ``type`` is ``"Annotation"``;
- ``target`` is a ``SpecificResource`` whose ``source`` is the document,
  ``urn:uuid:<document id>`` (document ids are UUIDs derived from the SHA-256
  of the text, so the same text has the same IRI in every project), with two
  alternative selectors of the same span: a ``TextQuoteSelector`` (``exact``,
  ``prefix``, ``suffix``: up to 32 code points of context) and a
  ``TextPositionSelector`` (``start``, ``end``). Positions count Unicode code
  points of the stored text, as the recommendation requires and as Python
  indexes strings, so ``text[start:end] == exact``. The text is plain text
  stored as imported: no further normalisation applies. Spans are chosen by
  people and may, rarely, start or end inside a grapheme cluster (a SHOULD
  NOT of the recommendation, not a MUST);
- ``body`` is a list of ``TextualBody`` resources (``format`` ``text/plain``),
  each with a ``purpose`` from the recommendation's motivations:

  =================  ============  ===========================================
  claim field        purpose       value
  =================  ============  ===========================================
  stance             classifying   ``stance:<key>``
  claim_type         classifying   ``claim_type:<key>``
  source_reliability assessing     ``source_reliability:<A–F>``
  info_credibility   assessing     ``info_credibility:<1–6>``
  likelihood         assessing     ``likelihood:<key>``
  confidence         assessing     ``confidence:<key>``
  proposition        describing    ``proposition:<text>``
  claim_source       describing    ``claim_source:<name>`` (who makes the claim)
  each tag           tagging       the tag
  note               commenting    the note
  =================  ============  ===========================================

  Label keys are the project codebook's (it travels beside the export);
  prefixing each value with its field keeps values from different scales
  (``B``, ``2``, ``none``) unambiguous for a generic client;
- ``motivation`` is ``classifying`` when the claim has a label, else
  ``highlighting`` (an unlabelled span, which may then have no body);
- ``creator`` is a ``Person`` agent named after the annotator; ``created`` and
  ``modified`` are the claim's timestamps, ``xsd:dateTime`` in UTC with ``Z``;
  ``generator`` is this program (a ``Software`` agent) and ``generated`` the
  time of the export.

Each link between two claims (``links`` of the record: "target <relation>
claim") follows its claim's annotation as a *linking* annotation: ``motivation``
``linking``, ``id`` ``urn:uuid:<link id>``, ``target`` the claim's annotation
IRI, ``body`` the linked (target) claim's annotation IRI and a ``TextualBody``
``relation:<same|supports|refutes|not_enough_info>`` (purpose ``classifying``);
``creator`` the analyst who confirmed it, ``created`` when.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from annotator.formats.export.streams import json_text

CONTEXT = "http://www.w3.org/ns/anno.jsonld"

#: (record field, purpose) of the bodies that carry ``field:value``.
LABEL_BODIES = (
    ("stance", "classifying"),
    ("claim_type", "classifying"),
    ("source_reliability", "assessing"),
    ("info_credibility", "assessing"),
    ("likelihood", "assessing"),
    ("confidence", "assessing"),
    ("proposition", "describing"),
    ("claim_source", "describing"),
)
_LABELS = frozenset({"stance", "claim_type", "source_reliability", "info_credibility",
                     "likelihood", "confidence"})


def iri(uuid_text: str) -> str:
    """An IRI for a claim or document id (a UUID)."""
    return f"urn:uuid:{uuid_text}"


def _body(purpose: str, value: str) -> dict[str, str]:
    return {"type": "TextualBody", "purpose": purpose, "value": value, "format": "text/plain"}


def annotation(record: dict[str, Any], *, generator: dict[str, Any] | None = None,
               generated: str | None = None) -> dict[str, Any]:
    """The Web Annotation for one canonical claim record."""
    bodies = []
    labelled = False
    for field, purpose in LABEL_BODIES:
        value = record.get(field)
        if value is None or value == "":
            continue
        labelled = labelled or field in _LABELS
        bodies.append(_body(purpose, f"{field}:{value}"))
    bodies.extend(_body("tagging", tag) for tag in record.get("tags") or ())
    if record.get("note"):
        bodies.append(_body("commenting", record["note"]))
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": iri(record["id"]),
        "type": "Annotation",
        "motivation": "classifying" if labelled else "highlighting",
        "created": record["created_at"],
        "modified": record["updated_at"],
    }
    if record.get("annotator"):
        result["creator"] = {"type": "Person", "name": record["annotator"]}
    if generator is not None:
        result["generator"] = generator
    if generated is not None:
        result["generated"] = generated
    if bodies:
        result["body"] = bodies
    result["target"] = {
        "type": "SpecificResource",
        "source": iri(record["document_id"]),
        "selector": [
            {"type": "TextQuoteSelector", "exact": record["quote"],
             "prefix": record.get("prefix") or "", "suffix": record.get("suffix") or ""},
            {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]},
        ],
    }
    return result


def linking(record: dict[str, Any], link: dict[str, Any], *,
            generator: dict[str, Any] | None = None,
            generated: str | None = None) -> dict[str, Any]:
    """The linking annotation of one of a claim record's ``links``."""
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": iri(link["id"]),
        "type": "Annotation",
        "motivation": "linking",
        "created": link["created_at"],
    }
    if link.get("analyst"):
        result["creator"] = {"type": "Person", "name": link["analyst"]}
    if generator is not None:
        result["generator"] = generator
    if generated is not None:
        result["generated"] = generated
    result["body"] = [iri(link["target_id"]),
                      _body("classifying", f"relation:{link['relation']}")]
    result["target"] = iri(record["id"])
    return result


def write_w3c(handle: IO[str], records: Iterable[dict[str, Any]], *,
              generator: dict[str, Any] | None = None, generated: str | None = None) -> int:
    """Write a JSON array of annotations, one per record and one per link of a
    record, streamed: one annotation a line between ``[`` and ``]``. Returns the
    number of records (claims) written."""
    encode = json_text
    count = written = 0
    handle.write("[")
    for record in records:
        handle.write(",\n" if written else "\n")
        handle.write(encode(annotation(record, generator=generator, generated=generated)))
        written += 1
        for link in record.get("links") or ():
            handle.write(",\n")
            handle.write(encode(linking(record, link, generator=generator,
                                        generated=generated)))
            written += 1
        count += 1
    handle.write("\n]\n" if written else "]\n")
    return count
