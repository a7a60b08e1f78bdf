"""The dataset package as a Hugging Face dataset: its card's YAML block is read
by ``huggingface_hub`` (what the Hub reads: licence, language, task, size
category), and the ``load_dataset('json', ...)`` lines the card gives are run
as written, from the package folder, with ``datasets``; the claims they load
are compared claim by claim with the project's (emoji, CJK, combining marks,
CRLF). ``datasets`` is in the ``[test]`` extra: this runs in CI."""

from __future__ import annotations

import re
from pathlib import Path

import huggingface_hub
import pytest

from annotator.domain.codebook import Dimension
from annotator.formats.export.package import size_category
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, export_corpus


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    folder = tmp_path_factory.mktemp("hf")
    corpus, _, _ = export_corpus(folder, "package", "dataset")
    return corpus, folder / "dataset"


def test_the_card_carries_the_metadata_the_hub_reads(package: tuple[Corpus, Path]) -> None:
    _, folder = package
    card = huggingface_hub.DatasetCard.load(folder / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "unknown"
    assert data["task_categories"] == ["token-classification", "text-classification"]
    assert data["size_categories"] == ["n<1K"]
    assert [c["config_name"] for c in data["configs"]] == ["claims", "documents"]
    assert "pretty_name" in data
    assert "Licence: not set" in card.text


def test_size_categories() -> None:
    assert [size_category(n) for n in (0, 999, 1000, 99_999, 100_000, 5_000_000)] == [
        "n<1K", "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M"]


def test_the_languages_documents_record_are_listed(tmp_path: Path) -> None:
    from annotator.domain.model import Document

    service = ProjectService.open(tmp_path / "p.annotator.sqlite", create=True)
    try:
        for text, language in (("Bonjour.", "fr-FR"), ("Hallo.", "de"), ("Salut.", "fr"),
                               ("No idea.", "not a language")):
            service.add_document(Document.from_text(text, title=text,
                                                    metadata={"language": language}))
        exports.export(service, "package", tmp_path / "dataset")
    finally:
        service.close()
    data = huggingface_hub.DatasetCard.load(tmp_path / "dataset" / "README.md").data
    assert data.language == ["fr", "de"]


def test_load_dataset_as_the_card_says(package: tuple[Corpus, Path],
                                       monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    corpus, folder = package
    card = (folder / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(from datasets import load_dataset\n.*?)```", card, re.S)
    assert block is not None
    code = block[1]
    assert "load_dataset(\"json\"" in code
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)     # as the card has it: datasets
    claims, documents = namespace["claims"], namespace["documents"]
    texts = {row["id"]: row["text"] for row in documents}
    assert texts == {d.id: d.text for d in corpus.documents.values()}
    loaded = {row["id"]: row for row in claims}
    assert len(loaded) == len(corpus.claims)
    for claim in corpus.claims:
        row = loaded[claim.id]
        assert row["quote"] == claim.quote
        assert (row["start"], row["end"]) == (claim.start, claim.end)
        assert texts[row["document_id"]][row["start"]:row["end"]] == claim.quote
        for dimension in Dimension:
            assert row[dimension.value] == getattr(claim, dimension.value)
        assert row["annotator"] == claim.annotator
