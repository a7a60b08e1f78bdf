"""Links between claims in the exports: W3C linking annotations, checked against
the Web Annotation Data Model as the claim annotations are, and the package's
links.jsonl and fever.jsonl loaded with Hugging Face ``datasets`` as its data
card says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.formats.export import package, w3c
from annotator.services import exports, links
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, build_corpus, read_jsonl
from tests.formats.test_export_w3c import CONTEXT, CONTEXT_TERMS, DATETIME_Z, IRI, MOTIVATIONS

#: (claim index, target index, relation) in the corpus's claims.
LINKS = ((0, 3, "same"), (3, 5, "same"), (0, 1, "supports"), (2, 4, "refutes"),
         (5, 6, "not_enough_info"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    corpus = build_corpus(tmp_path_factory.mktemp("links") / "corpus.annotator.sqlite")
    service = ProjectService.open(corpus.path)
    try:
        for claim, target, relation in LINKS:
            links.add_link(service, corpus.claims[claim].id, corpus.claims[target].id,
                           relation, analyst="ann")
    finally:
        service.close()
    return corpus


@pytest.fixture(scope="module")
def written(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("links-out")
    service = ProjectService.open(corpus.path)
    try:
        exports.export(service, "w3c", folder / "annotations.jsonld")
        exports.export(service, "jsonl", folder / "claims.jsonl")
        exports.export(service, "package", folder / "package")
    finally:
        service.close()
    return folder


def test_each_link_is_a_linking_annotation(written: Path, corpus: Corpus) -> None:
    annotations = json.loads((written / "annotations.jsonld").read_text(encoding="utf-8"))
    records = read_jsonl(written / "claims.jsonl")
    claims = [a for a in annotations if a["motivation"] != "linking"]
    linking = [a for a in annotations if a["motivation"] == "linking"]
    assert len(claims) == len(corpus.claims) and len(linking) == len(LINKS)
    claim_iris = {a["id"] for a in claims}
    expected = {(w3c.iri(corpus.claims[c].id), w3c.iri(corpus.claims[t].id), relation)
                for c, t, relation in LINKS}
    found = set()
    for annotation in linking:
        assert annotation["@context"] == CONTEXT and annotation["type"] == "Annotation"
        assert annotation["motivation"] in MOTIVATIONS
        assert IRI.match(annotation["id"]) and annotation["id"] not in claim_iris
        assert DATETIME_Z.match(annotation["created"])
        assert annotation["creator"] == {"type": "Person", "name": "ann"}
        assert annotation["generator"]["type"] == "Software"
        # The target is the claim's annotation; the body the linked claim's (§3.2.1:
        # an IRI body or target is a plain string) and the relation as a TextualBody.
        target_iri, (linked_iri, relation) = annotation["target"], annotation["body"]
        assert target_iri in claim_iris and linked_iri in claim_iris
        assert relation["type"] == "TextualBody" and relation["purpose"] in MOTIVATIONS
        assert relation["format"] == "text/plain"
        assert relation["value"].startswith("relation:")
        found.add((target_iri, linked_iri, relation["value"].removeprefix("relation:")))
        keys = {k for k in annotation} | {k for v in annotation.values()
                                          if isinstance(v, dict) for k in v} \
            | {k for v in annotation["body"] if isinstance(v, dict) for k in v}
        assert keys <= CONTEXT_TERMS
    assert found == expected
    # Each linking annotation follows the annotation of its claim.
    positions = {a["id"]: i for i, a in enumerate(annotations)}
    for annotation in linking:
        assert positions[annotation["target"]] < positions[annotation["id"]]
    assert {r["id"]: len(r["links"]) for r in records} == {
        c.id: sum(1 for i, _, _ in LINKS if corpus.claims[i].id == c.id) for c in corpus.claims}


def test_links_and_fever_load_with_datasets_as_the_card_says(
        written: Path, corpus: Corpus, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = written / "package"
    card = (folder / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(from datasets import load_dataset\n.*?)```", card, re.S)
    assert block is not None
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    namespace: dict = {}
    exec(compile(block[1], "README.md", "exec"), namespace)     # as the card has it
    texts = {row["id"]: row["text"] for row in namespace["documents"]}
    loaded = {(row["claim_id"], row["target_id"], row["relation"])
              for row in namespace["links"]}
    assert loaded == {(corpus.claims[c].id, corpus.claims[t].id, r) for c, t, r in LINKS}
    fever = list(namespace["fever"])
    assert sorted(row["label"] for row in fever) == ["NOT ENOUGH INFO", "REFUTES", "SUPPORTS"]
    for row in fever:
        for document_id, start, end, quote in row["evidence"]:
            assert texts[document_id][int(start):int(end)] == quote
    claims = {row["id"]: row for row in namespace["claims"]}
    cluster = min(corpus.claims[i].id for i in (0, 3, 5))
    assert {claims[corpus.claims[i].id]["cluster"] for i in (0, 3, 5)} == {cluster}
    # The configurations the Hub reads: the links and FEVER records by name.
    from datasets import load_dataset

    by_name = load_dataset(str(folder), "fever", split="train")
    assert sorted(by_name["id"]) == sorted(row["id"] for row in fever)
    assert (folder / package.LINKS).is_file()
