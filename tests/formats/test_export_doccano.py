"""doccano JSONL: one line per document with ``[start, end, label]`` spans in
UTF-16 code units (what doccano counts) or, on request, code points."""

from __future__ import annotations

from annotator.formats.export.doccano import Utf16Offsets, line
from annotator.formats.export.label_studio import UNLABELLED

TEXT = "a👇b 深度 e\u0301 👩🏽‍💻 end"


def _claim(quote: str, occurrence: int = 0, **labels: object) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(quote, start + 1)
    return {"start": start, "end": start + len(quote), "quote": quote, "stance": None,
            **labels}


DOCUMENT = {"id": "d", "sha256": "s", "title": "t", "text": TEXT}


def test_utf16_offsets_count_astral_characters_twice() -> None:
    convert = Utf16Offsets(TEXT)
    for offset in range(len(TEXT) + 1):
        assert convert(offset) == len(TEXT[:offset].encode("utf-16-le")) // 2
    assert Utf16Offsets("plain ascii")(5) == 5


def test_spans_in_utf16_units_and_in_code_points() -> None:
    claims = [_claim("b", stance="supports"), _claim("深度"), _claim("👩🏽‍💻", stance="maybe"),
              _claim("end")]
    units = line(DOCUMENT, claims)
    points = line(DOCUMENT, claims, offset_unit="codepoint")
    assert units["offset_unit"] == "utf-16" and points["offset_unit"] == "codepoint"
    encoded = TEXT.encode("utf-16-le")
    for claim, (start, end, label), (p_start, p_end, p_label) in zip(
            claims, units["label"], points["label"], strict=True):
        assert encoded[2 * start:2 * end].decode("utf-16-le") == claim["quote"]
        assert TEXT[p_start:p_end] == claim["quote"]
        assert label == p_label == (claim["stance"] or UNLABELLED)
    assert units["label"][0][:2] == [3, 4] and points["label"][0][:2] == [2, 3]


def test_span_label_from_another_dimension() -> None:
    result = line(DOCUMENT, [_claim("end", claim_type="quantity")], span_label="claim_type")
    assert result["label"] == [[len(TEXT.encode("utf-16-le")) // 2 - 3,
                                len(TEXT.encode("utf-16-le")) // 2, "quantity"]]


def test_overlapping_spans_are_counted_and_the_note_says_what_to_tick() -> None:
    import io

    from annotator.formats.export.doccano import overlapping, write_doccano

    claims = [_claim("b"), _claim("a👇b"), _claim("深度"), _claim("end"), _claim("en")]
    assert overlapping(claims) == 4          # a👇b holds b; end holds en
    assert overlapping([_claim("b"), _claim("end")]) == 0
    notes: list[str] = []
    write_doccano(io.StringIO(), [(DOCUMENT, claims)], notes=notes)
    assert notes == ['4 of 5 spans overlap another: create the doccano project with '
                     '"Allow overlapping entity" ticked (allow_overlapping), or doccano '
                     'keeps only some of them']
    notes.clear()
    write_doccano(io.StringIO(), [(DOCUMENT, [_claim("b")])], notes=notes)
    assert notes == []
