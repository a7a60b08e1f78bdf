"""OffsetMap: stored code-point offsets <-> Qt display positions (UTF-16, \\r\\n folded)."""

from __future__ import annotations

import random

import pytest

from annotator.domain.offsets import OffsetMap
from annotator.formats.registry import ImportOptions, extract_file
from annotator.paths import seeds_dir

# Pieces random texts are built from: line breaks of every kind, astral emoji
# (two UTF-16 units each; a flag is two of them), CJK and Cyrillic in the BMP.
PIECES = ["a", "b", " ", "\r\n", "\r", "\n", "😀", "👇", "🇺🇸", "🇨🇳", "深度", "Мир", "é", "\r\r\n"]


def displayed(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def random_texts(count: int, seed: int = 20250126):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30)))


def in_crlf_gap(text: str, offset: int) -> bool:
    """Whether ``offset`` falls between the \\r and the \\n of a \\r\\n pair."""
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def inside_surrogate_pair(display: str, position: int) -> bool:
    units = display.encode("utf-16-le")
    if not 0 < position < len(units) // 2:
        return False
    before = int.from_bytes(units[2 * (position - 1):2 * position], "little")
    return 0xD800 <= before <= 0xDBFF


TEXTS = list(random_texts(400))


def test_random_texts_cover_the_tricky_cases():
    joined = "".join(TEXTS)
    for piece in ("\r\n", "😀", "🇺🇸", "深度", "Мир"):
        assert piece in joined
    assert any("\r" in t.replace("\r\n", "") for t in TEXTS)   # lone \r


@pytest.mark.parametrize("index", range(0, len(TEXTS), 40))
def test_display_text_and_length(index):
    text = TEXTS[index]
    mapping = OffsetMap(text)
    assert mapping.display_text == displayed(text)
    assert mapping.display_length == utf16_len(displayed(text))


def test_to_display_is_utf16_length_of_displayed_prefix():
    for text in TEXTS:
        mapping = OffsetMap(text)
        for offset in range(len(text) + 1):
            if in_crlf_gap(text, offset):
                # The \r of a \r\n takes no position: same place as before it.
                expected = utf16_len(displayed(text[:offset - 1]))
            else:
                expected = utf16_len(displayed(text[:offset]))
            assert mapping.to_display(offset) == expected, (text, offset)


def test_offset_round_trip():
    for text in TEXTS:
        mapping = OffsetMap(text)
        for offset in range(len(text) + 1):
            back = mapping.to_offset(mapping.to_display(offset))
            assert back == (offset - 1 if in_crlf_gap(text, offset) else offset), (text, offset)
            assert mapping.to_offset(mapping.to_display(offset), round_up=True) == back


def test_display_round_trip_and_surrogate_snapping():
    for text in TEXTS:
        mapping = OffsetMap(text)
        display = displayed(text)
        for position in range(utf16_len(display) + 1):
            down = mapping.to_offset(position)
            up = mapping.to_offset(position, round_up=True)
            assert 0 <= down <= up <= len(text)
            if inside_surrogate_pair(display, position):
                # Snap to the start of the astral character, or its end with round_up.
                assert mapping.to_display(down) == position - 1, (text, position)
                assert mapping.to_display(up) == position + 1, (text, position)
                assert up == down + 1
                assert ord(text[down]) > 0xFFFF
            else:
                assert down == up
                assert mapping.to_display(down) == position, (text, position)


def test_out_of_range():
    text = "ab😀\r\ncd"
    mapping = OffsetMap(text)
    assert mapping.to_offset(-3) == 0
    assert mapping.to_offset(10_000) == len(text)
    with pytest.raises(ValueError):
        mapping.to_display(-1)
    with pytest.raises(ValueError):
        mapping.to_display(len(text) + 1)


def test_empty_and_plain_text():
    assert OffsetMap("").display_length == 0
    assert OffsetMap("").to_offset(0) == 0
    plain = "plain ASCII and BMP only: Мир 深度"
    mapping = OffsetMap(plain)
    assert all(mapping.to_display(i) == i for i in range(len(plain) + 1))
    assert all(mapping.to_offset(i) == i for i in range(len(plain) + 1))


@pytest.mark.parametrize(("filename", "quote"), [
    ("deep-seek-hedge-fund-blog.txt", "👇"),
    ("merics-deepseek-us-china-ai-race.txt", "深度求素"),
])
def test_seed_spans_map_to_display_and_back(filename, quote):
    text = extract_file(seeds_dir() / filename, ImportOptions(reflow=False)).text
    start = text.index(quote)
    end = start + len(quote)
    mapping = OffsetMap(text)

    first, last = mapping.to_display(start), mapping.to_display(end)
    assert last - first == utf16_len(quote)
    units = mapping.display_text.encode("utf-16-le")
    assert units[2 * first:2 * last].decode("utf-16-le") == quote
    assert mapping.to_offset(first) == start
    assert mapping.to_offset(last, round_up=True) == end
    assert text[mapping.to_offset(first):mapping.to_offset(last, round_up=True)] == quote


def test_utf16_offsets_both_ways_on_every_position() -> None:
    """Code points to UTF-16 code units (doccano, UIMA) and back, in one place."""
    from annotator.domain.offsets import Utf16Offsets, utf16_to_codepoint

    text = "a👇b 深度 e\u0301 👩🏽‍💻\r\nend 𝄞"
    convert = Utf16Offsets(text)
    encoded = text.encode("utf-16-le")
    for offset in range(len(text) + 1):
        units = convert(offset)
        assert units == len(text[:offset].encode("utf-16-le")) // 2
        assert utf16_to_codepoint(text, units) == offset
        assert encoded[:2 * units].decode("utf-16-le") == text[:offset]
    astral = text.index("👇")
    with pytest.raises(ValueError, match="surrogate"):
        utf16_to_codepoint(text, convert(astral) + 1)
    with pytest.raises(ValueError, match="outside"):
        utf16_to_codepoint(text, len(encoded))
    assert Utf16Offsets("plain")(3) == 3
