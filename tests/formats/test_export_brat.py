"""brat standoff: export the corpus (emoji, CJK, combining marks, CRLF), read
the zip back with the rules of brat's own reader (server/src/annotation.py,
``_parse_textbound_annotation``: every fragment inside the text, no fragment
overlapping or touching another of the same annotation, the text field the
fragments' text joined with ``DISCONT_SEP``, a space; the .txt read as UTF-8
without newline translation, so offsets are code points with ``\r\n`` as
two) plus attributes declared in annotation.conf, and compare claim by claim."""

from __future__ import annotations

import re
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.domain.codebook import Dimension
from annotator.formats.export.brat import fragments
from annotator.services import exports
from tests.formats.export_corpus import Corpus, export_corpus

_CONF_ATTRIBUTE = re.compile(r"^(\w+)\tArg:Claim, Value:(.+)$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path, exports.ExportResult]:
    folder = tmp_path_factory.mktemp("brat")
    return export_corpus(folder, "brat", "collection.zip")


def read_collection(path: Path) -> tuple[dict[str, str], dict[str, list[dict]], dict[str, set]]:
    """Texts and annotations by document stem, and the declared attribute values,
    checked as brat's annotation reader checks them."""
    texts: dict[str, str] = {}
    anns: dict[str, str] = {}
    declared: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            folder, _, base = name.partition("/")
            assert folder == path.stem and base
            data = archive.read(name)
            if base.endswith(".txt"):
                texts[base[:-4]] = data.decode("utf-8")
            elif base.endswith(".ann"):
                anns[base[:-4]] = data.decode("utf-8")
            elif base == "annotation.conf":
                for line in data.decode("utf-8").splitlines():
                    if (match := _CONF_ATTRIBUTE.match(line)):
                        declared[match[1]] = set(match[2].split("|"))
    assert set(texts) == set(anns)
    found: dict[str, list[dict]] = {}
    for stem, ann in anns.items():
        text = texts[stem]
        by_id: dict[str, dict] = {}
        for line in ann.split("\n")[:-1]:
            assert "\r" not in line
            ident, rest = line.split("\t", 1)
            if ident.startswith("T"):
                head, shown = rest.split("\t")
                kind, spans = head.split(" ", 1)
                parts = [tuple(map(int, span.split())) for span in spans.split(";")]
                assert kind == "Claim"
                # brat: each fragment is the text at its offsets, joined with a space.
                assert shown == " ".join(text[s:e] for s, e in parts)
                assert all(0 <= s < e <= len(text) for s, e in parts)
                assert all(e < s2 for (_, e), (s2, _) in pairwise(parts))
                by_id[ident] = {"start": parts[0][0], "end": parts[-1][1], "labels": {},
                                "note": None, "fragments": parts}
            elif ident.startswith("A"):
                name, target, value = rest.split(" ")
                assert value in declared[name], (name, value)
                by_id[target]["labels"][name] = value
            else:
                assert ident.startswith("#")
                head, note = rest.split("\t")
                kind, target = head.split(" ")
                assert kind == "AnnotatorNotes"
                by_id[target]["note"] = note
        found[stem] = list(by_id.values())
    return texts, found, declared


def test_every_claim_comes_back_with_quote_offsets_and_labels(
        exported: tuple[Corpus, Path, exports.ExportResult]) -> None:
    corpus, path, result = exported
    texts, found, declared = read_collection(path)
    assert declared["stance"] >= {"supports", "refutes", "neutral", "maybe"}
    assert declared["annotator"] == {"alice", "bob"}
    by_document = {document.id: document for document in corpus.documents.values()}
    assert set(texts) == set(by_document)
    for stem, text in texts.items():
        assert text == by_document[stem].text          # CRLF and all, byte for byte
    expected = [c for c in corpus.claims if c.quote.strip("\r\n")]
    lost = [c for c in corpus.claims if not c.quote.strip("\r\n")]
    assert [c.quote for c in lost] == ["\r\n\r\n"]
    assert result.claims == len(expected) == sum(len(v) for v in found.values())
    assert any(lost[0].id in note for note in result.notes)
    for claim in expected:
        matches = [a for a in found[claim.document_id]
                   if (a["start"], a["end"]) == (claim.start, claim.end)
                   and a["labels"].get("annotator") == claim.annotator]
        assert len(matches) == 1, claim.quote
        annotation = matches[0]
        assert texts[claim.document_id][annotation["start"]:annotation["end"]] == claim.quote
        for dimension in Dimension:
            value = getattr(claim, dimension.value)
            assert annotation["labels"].get(dimension.value) == (
                None if value is None else str(value)), (claim.quote, dimension)
        assert annotation["note"] == (" ".join(claim.note.split())
                                      if claim.note and ("\n" in claim.note
                                                         or "\r" in claim.note
                                                         or "\t" in claim.note)
                                      else (claim.note or None))


def test_a_claim_across_lines_is_one_fragment_per_line() -> None:
    text = "one\r\ntwo\n\nthree"
    assert fragments(text, 0, len(text)) == [(0, 3), (5, 8), (10, 15)]
    assert fragments(text, 3, 5) == []
    assert fragments(text, 1, 7) == [(1, 3), (5, 7)]


def test_listed_by_the_cli_and_the_registry() -> None:
    assert "brat" in exports.EXPORT_FORMATS
    assert exports.FORMATS["brat"].suffix == ".zip"
