"""Documents, claims, tags and label parsers."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import uuid
from datetime import UTC

import pytest

from annotator.domain.labels import (
    INFO_CREDIBILITY,
    SOURCE_RELIABILITY,
    Stance,
    parse_info_credibility,
    parse_source_reliability,
    parse_stance,
)
from annotator.domain.model import (
    CONTEXT_CHARS,
    Claim,
    Document,
    SpanError,
    normalise_tags,
)

TEXT = "x" * 50 + "Liang Wenfeng (梁文锋) founded DeepSeek 👇." + "y" * 10


def test_claim_new_takes_quote_and_context_from_the_text():
    document = Document.from_text(TEXT, title="t")
    quote = "梁文锋"
    start = TEXT.index(quote)
    claim = Claim.new(document, start, start + len(quote), annotator="ann",
                      proposition="p", stance=Stance.SUPPORTS)
    assert claim.quote == quote
    assert claim.document_id == document.id
    assert claim.prefix == TEXT[start - CONTEXT_CHARS:start]
    assert len(claim.prefix) == CONTEXT_CHARS
    assert claim.prefix.endswith("Liang Wenfeng (")
    assert claim.suffix == TEXT[start + len(quote):start + len(quote) + CONTEXT_CHARS]
    assert claim.suffix.startswith(") founded")
    assert claim.stance == Stance.SUPPORTS and claim.annotator == "ann"
    assert claim.created_at == claim.updated_at
    assert claim.created_at.tzinfo is not None
    assert claim.created_at.utcoffset() == UTC.utcoffset(None)
    assert uuid.UUID(claim.id).version == 4


def test_claim_context_is_cut_at_the_text_edges():
    document = Document.from_text("short 👇 text", title="t")
    claim = Claim.new(document, 0, len(document.text), annotator="")
    assert (claim.prefix, claim.quote, claim.suffix) == ("", "short 👇 text", "")
    emoji = Claim.new(document, 6, 7, annotator="")
    assert emoji.quote == "👇"                 # one code point, one offset
    assert emoji.prefix == "short " and emoji.suffix == " text"


@pytest.mark.parametrize(("start", "end"), [(3, 3), (5, 2), (-1, 2), (0, len(TEXT) + 1)])
def test_claim_new_refuses_empty_or_outside_spans(start, end):
    document = Document.from_text(TEXT, title="t")
    with pytest.raises(SpanError, match="empty or outside"):
        Claim.new(document, start, end, annotator="")


def test_new_claims_get_distinct_ids():
    document = Document.from_text(TEXT, title="t")
    ids = {Claim.new(document, 0, 1, annotator="").id for _ in range(50)}
    assert len(ids) == 50


def test_edited_keeps_created_at_and_moves_updated_at():
    document = Document.from_text(TEXT, title="t")
    claim = Claim.new(document, 0, 5, annotator="a")
    edited = claim.edited(note="checked", tags=("x",))
    assert edited.id == claim.id and edited.created_at == claim.created_at
    assert edited.updated_at >= claim.updated_at
    assert (edited.note, edited.tags) == ("checked", ("x",))
    assert claim.note == ""                    # the original is unchanged (frozen)
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.note = "no"  # type: ignore[misc]


def test_reliability_code():
    document = Document.from_text(TEXT, title="t")
    claim = Claim.new(document, 0, 5, annotator="a")
    assert claim.reliability_code == ""
    assert dataclasses.replace(claim, source_reliability="B", info_credibility=2) \
        .reliability_code == "B2"


def test_document_id_derives_from_the_text_sha256():
    text = "Same text, same id: 深度求素 👇\n"
    one = Document.from_text(text, title="one")
    two = Document.from_text(text, title="another title", source="elsewhere")
    other = Document.from_text(text + " ", title="one")
    assert one.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert one.id == two.id
    assert other.id != one.id
    assert uuid.UUID(one.id).version == 5


def test_document_id_is_stable_across_processes():
    text = "Stable across runs: Мир 深度 😀"
    script = ("import sys; from annotator.domain.model import Document; "
              "print(Document.from_text(sys.argv[1], title='x').id)")
    result = subprocess.run([sys.executable, "-c", script, text], capture_output=True,
                            text=True, encoding="utf-8", check=True,
                            env={"PYTHONHASHSEED": "12345", "PYTHONUTF8": "1",
                                 "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == Document.from_text(text, title="y").id


@pytest.mark.parametrize(("given", "expected"), [
    (None, ()),
    ("", ()),
    ("a, b,,a , c", ("a", "b", "c")),
    (["  x ", "y", "x", ""], ("x", "y")),
    (("深度", "深度", "Мир"), ("深度", "Мир")),
])
def test_normalise_tags(given, expected):
    assert normalise_tags(given) == expected


@pytest.mark.parametrize("given", [5, {"a": 1}, ["ok", 3], [None]])
def test_normalise_tags_refuses(given):
    with pytest.raises(ValueError, match="tags must be"):
        normalise_tags(given)


def test_parse_stance():
    for stance in Stance:
        assert parse_stance(stance.value) is stance
        assert parse_stance(stance) is stance
    assert parse_stance(None) is None and parse_stance("") is None
    for bad in ("Supports", "maybe", 1):
        with pytest.raises(ValueError) as caught:
            parse_stance(bad)
        message = str(caught.value)
        assert repr(bad) in message
        assert all(s.value in message for s in Stance)


def test_parse_source_reliability():
    for letter in "ABCDEF":
        assert parse_source_reliability(letter) == letter
    assert set(SOURCE_RELIABILITY) == set("ABCDEF")
    assert parse_source_reliability(None) is None and parse_source_reliability("") is None
    for bad in ("a", "G", "AB", 1):
        with pytest.raises(ValueError, match="source_reliability must be a letter A-F") as caught:
            parse_source_reliability(bad)
        assert repr(bad) in str(caught.value)


def test_parse_info_credibility():
    for grade in range(1, 7):
        assert parse_info_credibility(grade) == grade
        assert parse_info_credibility(str(grade)) == grade
    assert set(INFO_CREDIBILITY) == set(range(1, 7))
    assert parse_info_credibility(" 4 ") == 4
    assert parse_info_credibility(None) is None and parse_info_credibility("") is None
    for bad in (0, 7, "7", True, 2.0, "two", -1):
        with pytest.raises(ValueError, match="info_credibility must be an integer 1-6") as caught:
            parse_info_credibility(bad)
        assert str(bad) in str(caught.value)
