"""spaCy DocBin export: read back with ``DocBin().from_disk`` and compare claim
by claim on the corpus (emoji, CJK, combining marks, CRLF): every span's text
is its quote, its characters are the claim's offsets, its labels the claim's.

spaCy is in the ``[test]`` extra: this runs in CI, it is not skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import DocBin
from spacy.vocab import Vocab

from annotator.domain.codebook import Dimension
from annotator.formats.export import spacy_docbin
from annotator.formats.export.label_studio import UNLABELLED
from annotator.services import exports
from annotator.services.exports import ExportOptions
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, export_corpus


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    folder = tmp_path_factory.mktemp("docbin")
    corpus, _, result = export_corpus(folder, "spacy", "claims.spacy",
                                      options=ExportOptions(span_label="claim_type"))
    assert result.claims == len(corpus.claims)
    return corpus, folder / "claims.spacy"


def test_spans_are_the_claims(exported: tuple[Corpus, Path]) -> None:
    corpus, path = exported
    docs = list(DocBin().from_disk(path).get_docs(Vocab()))
    texts = {document.id: document.text for document in corpus.documents.values()}
    assert {doc.user_data["document"]["id"]: doc.text for doc in docs} == texts
    spans = {span.id_: (doc, span) for doc in docs for span in doc.spans["claims"]}
    assert len(spans) == len(corpus.claims)
    for claim in corpus.claims:
        doc, span = spans[claim.id]
        assert doc.user_data["document"]["id"] == claim.document_id
        assert span.text == claim.quote
        assert (span.start_char, span.end_char) == (claim.start, claim.end)
        assert span.label_ == (claim.claim_type or UNLABELLED)
        labels = doc.user_data["claims"][span.id_]
        for dimension in Dimension:
            assert labels[dimension.value] == getattr(claim, dimension.value)
        assert labels["annotator"] == claim.annotator
        assert labels["note"] == claim.note
        assert list(labels["tags"]) == list(claim.tags)   # msgpack gives a tuple


def test_claim_edges_inside_words_and_on_spaces_are_token_edges() -> None:
    import spacy

    nlp = spacy.blank("xx")
    text = "Cafe\u0301 society 👩🏽‍💻 built it.\r\n\r\nend "
    quotes = ["\u0301 society", "society ", " 👩🏽", "\r\n\r\n", "end ", "uilt it"]
    claims = []
    for number, quote in enumerate(quotes):
        start = text.index(quote)
        claims.append({"id": f"c{number}", "start": start, "end": start + len(quote),
                       "quote": quote, "stance": None})
    doc = spacy_docbin.make_doc(nlp.vocab, nlp.tokenizer,
                                {"id": "d", "sha256": "s", "title": "t", "text": text}, claims)
    assert doc.text == text
    assert [span.text for span in doc.spans["claims"]] == quotes


def test_refused_clearly_without_spacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without spaCy installed the export says what to install and writes nothing."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "spacy" else real(name, *a))
    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        with pytest.raises(exports.ExportError, match=r"annotator\[spacy\]"):
            exports.export(service, "spacy", tmp_path / "out.spacy")
    finally:
        service.close()
    assert not (tmp_path / "out.spacy").exists()
