"""spaCy reads the exported offsets as they are: ``Doc.char_span`` aligns every
claim of a dataset package (code points, as spaCy counts), exactly where the
claim's edges are token boundaries and by expanding to whole tokens
elsewhere; and the spans go into a ``DocBin`` for training, unchanged.

Needs spaCy (a blank pipeline: no model is downloaded); skipped without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.formats.export_corpus import TOKEN_ALIGNED, Corpus, export_corpus, read_jsonl

spacy = pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    folder = tmp_path_factory.mktemp("spacy")
    corpus, _, _ = export_corpus(folder, "package", "dataset")
    return corpus, folder / "dataset"


def test_char_span_aligns_every_claim(package: tuple[Corpus, Path]) -> None:
    corpus, folder = package
    nlp = spacy.blank("xx")
    documents = {d["id"]: nlp(d["text"]) for d in read_jsonl(folder / "documents.jsonl")}
    claims = read_jsonl(folder / "claims.jsonl")
    assert len(claims) == len(corpus.claims)
    strict = 0
    for claim in claims:
        doc = documents[claim["document_id"]]
        start, end = claim["start"], claim["end"]
        expanded = doc.char_span(start, end, alignment_mode="expand")
        assert expanded is not None, claim["quote"]
        # The tokens cover the claim and the claim's text sits where its offsets say.
        assert expanded.start_char <= start < end <= expanded.end_char
        assert expanded.text[start - expanded.start_char:end - expanded.start_char] == \
            claim["quote"]
        exact = doc.char_span(start, end)
        if claim["quote"] in TOKEN_ALIGNED:
            assert exact is not None and exact.text == claim["quote"], claim["quote"]
            strict += 1
        elif exact is not None:
            assert exact.text == claim["quote"]
    assert strict == len(TOKEN_ALIGNED)


def test_spans_survive_a_docbin(package: tuple[Corpus, Path]) -> None:
    from spacy.tokens import DocBin

    _, folder = package
    nlp = spacy.blank("xx")
    bin_ = DocBin(store_user_data=False)
    expected = {}
    claims = read_jsonl(folder / "claims.jsonl")
    for document in read_jsonl(folder / "documents.jsonl"):
        doc = nlp(document["text"])
        spans = [doc.char_span(c["start"], c["end"], label=c["stance"] or "unlabelled",
                               alignment_mode="expand")
                 for c in claims if c["document_id"] == document["id"]]
        doc.spans["claims"] = spans
        expected[document["text"]] = [(s.start_char, s.end_char, s.label_) for s in spans]
        bin_.add(doc)
    restored = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))
    assert {doc.text: [(s.start_char, s.end_char, s.label_) for s in doc.spans["claims"]]
            for doc in restored} == expected
