"""Label Studio tasks: one task per document, one annotation per annotator,
every claim a ``labels`` region with its other labels as per-region results,
and a labeling config that declares every name and value the tasks use."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from annotator.formats.export.label_studio import UNLABELLED
from annotator.services import exports
from annotator.services.exports import ExportOptions, ExportScope
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, build_corpus, read_jsonl


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("ls") / "corpus.annotator.sqlite")


@pytest.fixture(scope="module")
def out(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("ls-out")
    service = ProjectService.open(corpus.path)
    try:
        result = exports.export(service, "label-studio", folder / "tasks.json")
        exports.export(service, "label-studio", folder / "types.json",
                       options=ExportOptions(span_label="claim_type"))
        exports.export(service, "jsonl", folder / "claims.jsonl")
    finally:
        service.close()
    return {"result": result, "folder": folder,
            "tasks": json.loads((folder / "tasks.json").read_text(encoding="utf-8")),
            "records": {r["id"]: r for r in read_jsonl(folder / "claims.jsonl")}}


def test_files_written(out: dict) -> None:
    assert all(path.is_file() for path in out["result"].files)
    assert [p.name for p in out["result"].files] == ["tasks.json", "tasks.codebook.json",
                                                     "tasks.label-config.xml"]
    assert out["result"].documents == len(out["tasks"])


def test_tasks_group_claims_by_document_and_annotator(out: dict, corpus: Corpus) -> None:
    tasks, records = out["tasks"], out["records"]
    assert len(tasks) == len(corpus.documents)
    seen = set()
    for task in tasks:
        data = task["data"]
        assert data["text"] == corpus.texts()[data["document_id"]]
        assert len(data["annotators"]) == len(task["annotations"])
        for annotator, annotation in zip(data["annotators"], task["annotations"], strict=True):
            assert annotation["ground_truth"] is False and annotation["was_cancelled"] is False
            regions = {}
            for result in annotation["result"]:
                regions.setdefault(result["id"], []).append(result)
                assert result["to_name"] == "text"
            for region_id, results in regions.items():
                record = records[region_id]
                assert record["annotator"] == annotator
                assert record["document_id"] == data["document_id"]
                (span,) = [r for r in results if r["type"] == "labels"]
                assert span["from_name"] == "stance"
                assert span["value"]["labels"] == [record["stance"] or UNLABELLED]
                assert span["value"]["text"] == record["quote"]
                # Label Studio gives imported annotations to the importing user: the
                # analyst travels in the region's meta.
                assert span["meta"] == {"text": [f"annotator: {annotator}"]}
                for result in results:
                    assert (result["value"]["start"], result["value"]["end"]) == (
                        record["start"], record["end"])
                    if result["type"] == "choices":
                        assert result["value"]["choices"] == [str(record[result["from_name"]])]
                    elif result["type"] == "textarea":
                        expected = (record["tags"] if result["from_name"] == "tags"
                                    else [record[result["from_name"]]])
                        assert result["value"]["text"] == expected
                seen.add(region_id)
    assert seen == set(records)


def test_documents_without_claims_are_tasks_to_label(out: dict, corpus: Corpus) -> None:
    claimed = {claim.document_id for claim in corpus.claims}
    empty = [t for t in out["tasks"] if t["data"]["document_id"] not in claimed]
    assert empty and all(t["annotations"] == [] for t in empty)


def test_the_label_config_declares_what_the_tasks_use(out: dict) -> None:
    config = ElementTree.fromstring(
        (out["folder"] / "tasks.label-config.xml").read_text(encoding="utf-8"))
    assert config.tag == "View"
    text = config.find("Text")
    assert text is not None and text.get("name") == "text" and text.get("value") == "$text"
    controls = {element.get("name"): element for element in config.iter()
                if element.get("toName") == "text"}
    for task in out["tasks"]:
        for annotation in task["annotations"]:
            for result in annotation["result"]:
                control = controls[result["from_name"]]
                assert control.tag == {"labels": "Labels", "choices": "Choices",
                                       "textarea": "TextArea"}[result["type"]]
                if result["type"] == "textarea":
                    assert control.get("perRegion") == "true"
                    continue
                key = "labels" if result["type"] == "labels" else "choices"
                allowed = {child.get("value") for child in control}
                assert set(result["value"][key]) <= allowed
    assert controls["stance"].find("Label[@value='maybe']") is not None


def test_another_dimension_can_label_the_spans(out: dict) -> None:
    tasks = json.loads((out["folder"] / "types.json").read_text(encoding="utf-8"))
    spans = [r for t in tasks for a in t["annotations"] for r in a["result"]
             if r["type"] == "labels"]
    assert {r["from_name"] for r in spans} == {"claim_type"}
    assert {label for r in spans for label in r["value"]["labels"]} == {
        "quantity", "prediction", "other", UNLABELLED}


def test_scope_limits_tasks_to_the_document_scope(corpus: Corpus, tmp_path: Path) -> None:
    service = ProjectService.open(corpus.path)
    try:
        exports.export(service, "label-studio", tmp_path / "done.json",
                       ExportScope(done_only=True))
    finally:
        service.close()
    (task,) = json.loads((tmp_path / "done.json").read_text(encoding="utf-8"))
    assert task["data"]["document_id"] == corpus.documents["crlf"].id
