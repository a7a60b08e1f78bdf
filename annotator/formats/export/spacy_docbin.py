"""spaCy DocBin (``.spacy``): one ``Doc`` per document, its claims in
``doc.spans["claims"]``, for training span categorisers.

- Tokens: spaCy's language-independent tokenizer (``spacy.blank("xx")``) run
  on the text between claim edges, so every claim edge is a token boundary and
  every span's text is its claim's quote (``span.text == quote``,
  ``span.start_char == start``, ``span.end_char == end``). ``doc.text`` is the
  document's text exactly (line ends kept).
- Offsets: spaCy counts code points, as annotator does: no conversion.
- Each span: ``label_`` the claim's key in the span-label dimension (``stance``
  by default, :data:`UNLABELLED` without one), ``id_`` the claim's id.
- Every label of the claim is in ``doc.user_data["claims"][span.id_]``:
  ``stance``, ``source_reliability``, ``info_credibility``, ``claim_type``,
  ``likelihood``, ``confidence``, ``annotator``, ``note``, ``proposition``,
  ``claim_source``, ``tags`` (span extension attributes are not used: spaCy keys
  them by offsets, so two analysts' claims on the same words would share them).
- ``doc.user_data["document"]``: the document's id, SHA-256 and title.

Reading back::

    from spacy.tokens import DocBin
    from spacy.vocab import Vocab
    for doc in DocBin().from_disk("claims.spacy").get_docs(Vocab()):
        for span in doc.spans["claims"]:
            labels = doc.user_data["claims"][span.id_]

Writing needs spaCy (``pip install 'annotator[spacy]'``); reading it too.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from itertools import pairwise
from typing import IO, Any

from annotator.domain.codebook import Dimension
from annotator.formats.export.label_studio import UNLABELLED

DocumentGroup = tuple[dict[str, Any], list[dict[str, Any]]]

SPAN_KEY = "claims"
INSTALL_HINT = ("the spaCy export needs spaCy: pip install 'annotator[spacy]' "
                "(or pip install spacy)")
#: The claim fields kept in ``doc.user_data["claims"]``.
KEPT = (*(d.value for d in Dimension), "annotator", "note", "proposition", "claim_source",
        "tags")


def missing() -> str | None:
    return None if importlib.util.find_spec("spacy") is not None else INSTALL_HINT


def label_of(record: dict[str, Any], span_label: str) -> str:
    key = record.get(span_label)
    return UNLABELLED if key is None else str(key)


def _words(tokenizer: Any, text: str, edges: list[int]) -> tuple[list[str], list[bool]]:
    """Tokens of ``text`` with a boundary at every offset in ``edges``."""
    words: list[str] = []
    spaces: list[bool] = []
    cuts = sorted({0, len(text), *(e for e in edges if 0 < e < len(text))})
    for start, end in pairwise(cuts):
        segment = text[start:end]
        for token in tokenizer(segment):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        if spaces and spaces[-1]:
            # The trailing space belongs to the segment: a token of its own, so
            # a claim that ends with it (or starts after it) keeps it.
            spaces[-1] = False
            words.append(" ")
            spaces.append(False)
    return words, spaces


def make_doc(vocab: Any, tokenizer: Any, document: dict[str, Any],
             claims: list[dict[str, Any]], span_label: str = "stance") -> Any:
    """The ``Doc`` of one document with its claims as spans."""
    from spacy.tokens import Doc

    text = document["text"]
    edges = [o for r in claims for o in (r["start"], r["end"])]
    words, spaces = _words(tokenizer, text, edges)
    doc = Doc(vocab, words=words, spaces=spaces) if words else Doc(vocab, words=[])
    if doc.text != text:      # the tokenizer changed the text: a bug, never a silent loss
        raise RuntimeError(f"spaCy tokens do not rebuild document {document['id']}")
    spans = []
    for record in claims:
        span = doc.char_span(record["start"], record["end"], label=label_of(record, span_label),
                             span_id=record["id"])
        if span is None or span.text != record["quote"]:
            raise RuntimeError(f"claim {record['id']} is not on token boundaries")
        spans.append(span)
    doc.spans[SPAN_KEY] = spans
    doc.user_data["document"] = {"id": document["id"], "sha256": document["sha256"],
                                 "title": document["title"]}
    doc.user_data[SPAN_KEY] = {
        record["id"]: {name: (list(record.get(name) or []) if name == "tags" else record.get(name))
                       for name in KEPT}
        for record in claims}
    return doc


def write_docbin(handle: IO[bytes], groups: Iterable[DocumentGroup], *,
                 span_label: str = "stance") -> int:
    """Write the documents as a DocBin; returns the number of claims written."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("xx")
    docs = DocBin(store_user_data=True)
    claims = 0
    for document, records in groups:
        docs.add(make_doc(nlp.vocab, nlp.tokenizer, document, records, span_label))
        claims += len(records)
    handle.write(docs.to_bytes())
    return claims
