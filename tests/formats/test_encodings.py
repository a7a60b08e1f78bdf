"""Encoding candidates with previews, and importing with an explicit encoding."""

from __future__ import annotations

import codecs

import pytest

from annotator.formats.problems import ImportProblem
from annotator.formats.registry import ImportOptions, extract_file
from annotator.formats.text import (
    EncodingCandidate,
    decode_as,
    encoding_candidates,
    encoding_candidates_for,
)

FRENCH = "Le café était fermé ; la crème brûlée coûtait 5 €. Où est l’hôtel ?\n"
RUSSIAN = "Агентство сообщает, что компания увеличила перевозки грузов.\n"


def clean(candidate: EncodingCandidate) -> bool:
    """Every byte decoded, no control character in the text."""
    return candidate.errors == 0 and candidate.controls == 0


def test_utf8_is_detected_first():
    candidates = encoding_candidates(FRENCH.encode("utf-8"))
    assert candidates[0].encoding == "utf-8"
    assert candidates[0].detected and clean(candidates[0])
    assert candidates[0].preview == FRENCH
    assert sum(c.detected for c in candidates) == 1


def test_short_cp1252_can_be_overridden_from_the_preview(tmp_path):
    data = FRENCH.encode("cp1252")
    candidates = encoding_candidates(data)
    names = [c.encoding for c in candidates]
    assert "cp1252" in names and "cp1250" in names
    by_name = {c.encoding: c for c in candidates}
    assert by_name["cp1252"].preview == FRENCH
    assert clean(by_name["cp1252"])
    assert candidates[0].detected
    assert all(c.label for c in candidates)
    path = tmp_path / "note.txt"
    path.write_bytes(data)
    assert encoding_candidates_for(path) == candidates
    read = extract_file(path, ImportOptions(encoding="cp1252"))
    assert read.text == FRENCH
    assert read.metadata["encoding"] == "cp1252"


def test_utf16_without_bom_is_refused_then_offered(tmp_path):
    data = RUSSIAN.encode("utf-16-le")
    path = tmp_path / "utf16.txt"
    path.write_bytes(data)
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    assert "UTF-16" in caught.value.reason
    candidates = encoding_candidates(data)
    assert candidates[0].encoding == "utf-16-le"
    assert candidates[0].preview == RUSSIAN and clean(candidates[0])
    assert not candidates[0].detected
    assert extract_file(path, ImportOptions(encoding="utf-16-le")).text == RUSSIAN


def test_bom_files():
    data = codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be")
    first = encoding_candidates(data)[0]
    assert first.detected and first.preview.lstrip("\ufeff") == RUSSIAN


def test_bad_bytes_are_counted():
    data = FRENCH.encode("utf-8") + b"\xff\xfe bad"
    by_name = {c.encoding: c for c in encoding_candidates(data, limit=20)}
    assert by_name["utf-8"].errors == 2
    assert not clean(by_name["utf-8"])
    assert encoding_candidates(b"") == []


def test_preview_is_short():
    candidates = encoding_candidates(("x" * 5000).encode(), preview_chars=100)
    assert len(candidates[0].preview) == 100


def test_decode_as_names_the_bad_byte():
    with pytest.raises(ImportProblem) as caught:
        decode_as(b"ok \xff", "utf-8", "f.txt")
    assert "offset 3" in caught.value.reason and "0xff" in caught.value.reason
    with pytest.raises(ImportProblem, match="not a known text encoding"):
        decode_as(b"ok", "no-such-codec")
    assert decode_as(codecs.BOM_UTF8 + b"ok", "utf-8") == "ok"
