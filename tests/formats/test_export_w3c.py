"""The W3C export, checked property by property against the Web Annotation Data
Model recommendation (https://www.w3.org/TR/annotation-model/, section numbers
below), and against the claims it was made from."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annotator.formats.export import w3c
from annotator.services import exports
from annotator.services.project import ProjectService
from tests.formats.export_corpus import Corpus, build_corpus, read_jsonl

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: §3.4 Motivation and Purpose: the instances of oa:Motivation.
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing",
               "editing", "highlighting", "identifying", "linking", "moderating",
               "questioning", "replying", "tagging"}
#: Terms the anno.jsonld context defines that this export uses; any other key
#: would be dropped by a JSON-LD processor (or need a context of our own).
CONTEXT_TERMS = {"@context", "id", "type", "motivation", "created", "modified", "creator",
                 "generator", "generated", "body", "target", "source", "selector", "exact",
                 "prefix", "suffix", "start", "end", "value", "purpose", "format", "name"}
AGENT_TYPES = {"Person", "Organization", "Software"}
#: xsd:dateTime with the UTC timezone expressed as "Z" (§3.3.5 Lifecycle Information).
DATETIME_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
#: An absolute IRI: a scheme, a colon, and no spaces (RFC 3987, loosely).
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("w3c") / "corpus.annotator.sqlite")


@pytest.fixture(scope="module")
def exported(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[list[dict], list[dict]]:
    folder = tmp_path_factory.mktemp("w3c-out")
    service = ProjectService.open(corpus.path)
    try:
        exports.export(service, "w3c", folder / "annotations.jsonld")
        exports.export(service, "jsonl", folder / "claims.jsonl")
    finally:
        service.close()
    annotations = json.loads((folder / "annotations.jsonld").read_text(encoding="utf-8"))
    return annotations, read_jsonl(folder / "claims.jsonl")


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_file_is_a_json_array_of_annotations(exported, corpus: Corpus) -> None:
    annotations, _ = exported
    assert isinstance(annotations, list)
    assert len(annotations) == len(corpus.claims)


def test_context_id_and_type(exported) -> None:
    annotations, _ = exported
    ids = set()
    for annotation in annotations:
        # §3.1: 1 or more @context values, anno.jsonld among them; one value: a string.
        assert annotation["@context"] == CONTEXT
        # "An Annotation MUST have exactly 1 IRI that identifies it."
        assert isinstance(annotation["id"], str) and IRI.match(annotation["id"])
        ids.add(annotation["id"])
        # "An Annotation MUST have 1 or more types, and the Annotation class MUST be one."
        types = annotation["type"] if isinstance(annotation["type"], list) \
            else [annotation["type"]]
        assert "Annotation" in types
        assert _keys(annotation) <= CONTEXT_TERMS
    assert len(ids) == len(annotations)


def test_targets_are_specific_resources_with_text_selectors(exported) -> None:
    annotations, _ = exported
    for annotation in annotations:
        # §3.1: "An Annotation MUST have 1 or more Target relationships."
        targets = annotation["target"] if isinstance(annotation["target"], list) \
            else [annotation["target"]]
        assert len(targets) >= 1
        for target in targets:
            # §4.1 Specific Resource: exactly 1 source, an IRI.
            assert isinstance(target["source"], str) and IRI.match(target["source"])
            assert target.get("type", "SpecificResource") == "SpecificResource"
            selectors = target["selector"]
            assert isinstance(selectors, list) and selectors
            by_type = {selector["type"]: selector for selector in selectors}
            assert set(by_type) == {"TextQuoteSelector", "TextPositionSelector"}
            quote = by_type["TextQuoteSelector"]
            # §4.2.4: exactly 1 exact; prefix and suffix at most 1 each (SHOULD: 1).
            assert isinstance(quote["exact"], str) and quote["exact"]
            assert set(quote) <= {"type", "exact", "prefix", "suffix"}
            assert isinstance(quote["prefix"], str) and isinstance(quote["suffix"], str)
            position = by_type["TextPositionSelector"]
            # §4.2.5: exactly 1 start and 1 end, non-negative integers.
            assert set(position) == {"type", "start", "end"}
            for name in ("start", "end"):
                assert type(position[name]) is int and position[name] >= 0
            assert position["start"] < position["end"]
            # Both selectors are alternatives for the same segment, counted in code points.
            assert position["end"] - position["start"] == len(quote["exact"])


def test_bodies_are_textual_bodies_with_a_purpose(exported) -> None:
    annotations, _ = exported
    for annotation in annotations:
        # §3.1: an Annotation SHOULD have 1 or more bodies (MAY have none).
        for body in annotation.get("body", []):
            # §3.2.4 Embedded Textual Body: type TextualBody, exactly 1 value.
            assert body["type"] == "TextualBody"
            assert isinstance(body["value"], str) and body["value"]
            # §3.4: purpose is one of the Motivations.
            assert body["purpose"] in MOTIVATIONS
            assert MEDIA_TYPE.match(body["format"])
        # §3.4: the Annotation's motivation is one of them too.
        assert annotation["motivation"] in MOTIVATIONS


def test_creator_and_timestamps(exported) -> None:
    annotations, _ = exported
    for annotation in annotations:
        # §3.3.5: created, modified, generated: xsd:dateTime in UTC with a "Z".
        for name in ("created", "modified", "generated"):
            assert isinstance(annotation[name], str) and DATETIME_Z.match(annotation[name])
        assert annotation["modified"] >= annotation["created"]
        # §3.3.5/§3.3.6: creator and generator are Agents (Person, Organization, Software).
        for agent in (annotation["creator"], annotation["generator"]):
            assert agent["type"] in AGENT_TYPES and isinstance(agent["name"], str)
        assert annotation["creator"]["type"] == "Person"
        assert annotation["generator"]["type"] == "Software"


def test_annotations_carry_the_claims(exported, corpus: Corpus) -> None:
    annotations, records = exported
    texts = corpus.texts()
    by_id = {record["id"]: record for record in records}
    for annotation in annotations:
        record = by_id[annotation["id"].removeprefix("urn:uuid:")]
        target = annotation["target"]
        assert target["source"] == f"urn:uuid:{record['document_id']}"
        quote, position = target["selector"]
        assert (position["start"], position["end"]) == (record["start"], record["end"])
        assert quote == {"type": "TextQuoteSelector", "exact": record["quote"],
                         "prefix": record["prefix"], "suffix": record["suffix"]}
        assert texts[record["document_id"]][record["start"]:record["end"]] == quote["exact"]
        assert (annotation["created"], annotation["modified"]) == (record["created_at"],
                                                                   record["updated_at"])
        assert annotation["creator"]["name"] == record["annotator"]
        values = {(b["purpose"], b["value"]) for b in annotation.get("body", [])}
        for field, purpose in w3c.LABEL_BODIES:
            if record[field] not in (None, ""):
                assert (purpose, f"{field}:{record[field]}") in values
        assert {v for p, v in values if p == "tagging"} == set(record["tags"])
        assert {v for p, v in values if p == "commenting"} == ({record["note"]} if record["note"]
                                                                else set())
        labelled = any(record[f] is not None for f in ("stance", "claim_type",
                                                       "source_reliability",
                                                       "info_credibility"))
        assert annotation["motivation"] == ("classifying" if labelled else "highlighting")


def test_an_unlabelled_claim_is_a_highlight_without_body() -> None:
    record = {"id": "7f0c6b2e-2f6b-4a7e-9a57-3f0b4c1d2e3f",
              "document_id": "0b6f4d1e-5c3a-5e2b-8f9d-1a2b3c4d5e6f", "start": 0, "end": 3,
              "quote": "abc", "prefix": "", "suffix": "d", "tags": [], "note": "",
              "annotator": "", "created_at": "2026-01-01T00:00:00.000000Z",
              "updated_at": "2026-01-01T00:00:00.000000Z"}
    annotation = w3c.annotation(record)
    assert annotation["motivation"] == "highlighting"
    assert "body" not in annotation and "creator" not in annotation


def test_an_empty_export_is_an_empty_array(tmp_path: Path) -> None:
    service = ProjectService.open(tmp_path / "empty.annotator.sqlite", create=True)
    try:
        result = exports.export(service, "w3c", tmp_path / "none.jsonld")
    finally:
        service.close()
    assert result.claims == 0
    assert json.loads((tmp_path / "none.jsonld").read_text(encoding="utf-8")) == []
