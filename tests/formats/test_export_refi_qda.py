"""REFI-QDA (.qdpx): the project XML is read back with lxml, checked against
the standard's Project.xsd when it is at hand, and every claim compared: its
selection's positions (code points into the text with line ends folded to
``\\n``) give its quote and, unfolded, its offsets; its codes its labels; its
user its analyst; its memo its note. On the corpus with emoji, CJK, combining
marks and CRLF.

The XSD (QDA-XML 1.0, MIT, www.qdasoftware.org) is not shipped here: set
``ANNOTATOR_REFI_QDA_XSD`` to its path to validate against it."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from annotator.domain.codebook import Dimension
from annotator.domain.offsets import FoldedLineEnds
from tests.formats.export_corpus import Corpus, export_corpus

NS = {"q": "urn:QDA-XML:project:1.0"}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path, Any]:
    folder = tmp_path_factory.mktemp("qdpx")
    return export_corpus(folder, "refi-qda", "project.qdpx")


def _project(path: Path) -> tuple[Any, dict[str, str]]:
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {name[len("sources/"):-len(".txt")]: archive.read(name).decode("utf-8")
                 for name in archive.namelist() if name.startswith("sources/")}
    return root, texts


@pytest.mark.skipif(not os.environ.get("ANNOTATOR_REFI_QDA_XSD"),
                    reason="set ANNOTATOR_REFI_QDA_XSD to the REFI-QDA Project.xsd")
def test_valid_against_the_standard_xsd(exported: tuple[Corpus, Path, Any]) -> None:
    schema = etree.XMLSchema(etree.parse(os.environ["ANNOTATOR_REFI_QDA_XSD"]))
    root, _ = _project(exported[1])
    assert schema.validate(root), schema.error_log


def test_every_claim_comes_back(exported: tuple[Corpus, Path, Any]) -> None:
    corpus, path, result = exported
    root, texts = _project(path)
    assert root.tag == "{urn:QDA-XML:project:1.0}Project"
    for element in root.iter():
        for name in ("guid", "targetGUID", "creatingUser"):
            if element.get(name) is not None:
                assert GUID.match(element.get(name)), (element.tag, name)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    assert sorted(users.values()) == ["alice", "bob"]
    codes: dict[str, tuple[str | None, str | None]] = {}
    titles = {d.title: d for d in Dimension}
    for code in root.iterfind(".//q:CodeBook//q:Code", NS):
        parent = code.getparent()
        description = code.findtext("q:Description", namespaces=NS) or ""
        key = description.split("\n")[0].removeprefix("key: ") if description else None
        group = parent.get("name") if parent.tag.endswith("Code") else None
        codes[code.get("guid")] = (group, key)
    # Each dimension is a set (a code group) of its codes.
    for member_set in root.iterfind("q:Sets/q:Set", NS):
        assert member_set.get("name") in titles
        for member in member_set.iterfind("q:MemberCode", NS):
            assert codes[member.get("targetGUID")][0] == member_set.get("name")
    notes = {n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
             for n in root.iterfind("q:Notes/q:Note", NS)}
    documents = {d.id: d for d in corpus.documents.values()}
    selections = {}
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        ident = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{ident}.txt"
        assert source.get("name") == documents[ident].title
        assert texts[ident] == documents[ident].text.replace("\r\n", "\n").replace("\r", "\n")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            selections[selection.get("guid")] = (ident, selection)
    assert len(selections) == len(corpus.claims) == result.claims
    assert any("line ends" in note for note in result.notes)
    for claim in corpus.claims:
        ident, selection = selections[claim.id]
        assert ident == claim.document_id
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        folded = FoldedLineEnds(documents[ident].text)
        assert texts[ident][start:end] == claim.quote.replace("\r\n", "\n").replace("\r", "\n")
        assert (folded.to_offset(start), folded.to_offset(end)) == (claim.start, claim.end)
        assert users[selection.get("creatingUser")] == claim.annotator
        labels: dict[str, str] = {}
        coded = [codes[c.get("targetGUID")]
                 for c in selection.iterfind("q:Coding/q:CodeRef", NS)]
        assert (None, None) in coded                         # the code "Claim"
        for group, key in coded:
            if group is not None:
                labels[titles[group].value] = key
        for dimension in Dimension:
            value = getattr(claim, dimension.value)
            assert labels.get(dimension.value) == (None if value is None else str(value))
        refs = [r.get("targetGUID") for r in selection.iterfind("q:NoteRef", NS)]
        assert [notes[r] for r in refs] == ([claim.note] if claim.note else [])


def test_positions_fold_line_ends_in_one_place() -> None:
    text = "a\r\nb 👇\r\n\r\nc\rd"
    folded = FoldedLineEnds(text)
    assert folded.folded_text == "a\nb 👇\n\nc\nd"
    for offset in range(len(text) + 1):
        position = folded.to_folded(offset)
        if text[offset - 1:offset + 1] != "\r\n":
            assert folded.to_offset(position) == offset
            assert folded.folded_text[:position] == \
                text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    with pytest.raises(ValueError):
        folded.to_folded(len(text) + 1)


def test_the_codebook_beside_it_has_the_projects_codes(exported: tuple[Corpus, Path, Any]) -> None:
    _, path, result = exported
    qdc = path.with_suffix(".qdc")
    assert qdc in result.files
    root = etree.parse(qdc).getroot()
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    schema_path = os.environ.get("ANNOTATOR_REFI_QDA_CODEBOOK_XSD")
    if schema_path:
        schema = etree.XMLSchema(etree.parse(schema_path))
        assert schema.validate(root), schema.error_log
    book = {(c.get("guid"), c.get("name")) for c in root.iter("{*}Code")}
    project, _ = _project(path)
    in_project = {(c.get("guid"), c.get("name"))
                  for c in project.iterfind(".//q:CodeBook//q:Code", NS)}
    assert book == in_project
    stance = next(c for c in root.iter("{*}Code") if c.get("name") == "Stance")
    assert stance.get("isCodable") == "false"
    assert {c.findtext("{*}Description").split("\n")[0] for c in stance.iter("{*}Code")
            if c is not stance} >= {"key: supports", "key: refutes", "key: maybe"}
