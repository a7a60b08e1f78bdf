"""Encoding detection measured on the corpus of tests/formats/encoding_corpus.py:
every file of MIN_BYTES or more is read as written, and README.md's table of
the results is the one the code gives. Also the plausibility score itself."""

from __future__ import annotations

import pytest

from annotator.formats.text import decode, encoding_candidates, guess_encodings, implausibility
from tests.encoding_table import readme_table, results, table
from tests.formats.encoding_corpus import (
    CHINESE,
    JAPANESE,
    MIN_BYTES,
    RUSSIAN,
    SOURCES,
    Sample,
    corpus,
    fit,
)
from tests.readme_block import README

SAMPLES = corpus()
LONG_ENOUGH = [sample for sample in SAMPLES if len(sample.data) >= MIN_BYTES]


def test_the_corpus_covers_every_encoding_short_and_long():
    encodings = {encoding for encoding, _language, _sentences in SOURCES}
    assert {"cp1252", "cp1250", "cp1251", "iso8859-2", "iso8859-5", "iso8859-7",
            "iso8859-15", "mac-roman", "shift_jis", "gb18030", "utf-8"} <= encodings
    for encoding in encodings:
        mine = [sample for sample in SAMPLES if sample.encoding == encoding]
        assert {sample.size for sample in mine} == {"short", "long"}
        assert any(len(sample.data) >= MIN_BYTES for sample in mine)
    for sample in SAMPLES:
        assert sample.data.decode(sample.encoding) == sample.text
        # every sample has something for the detector to get wrong
        assert any(char >= "\x80" for char in sample.text), sample.name
    cp1252 = "".join(s.text for s in SAMPLES if s.encoding == "cp1252")
    assert {"€", "“", "”", "’", "—", "–"} <= set(cp1252)
    assert "œ" in "".join(s.text for s in SAMPLES if s.encoding == "iso8859-15")


@pytest.mark.parametrize("sample", LONG_ENOUGH, ids=[sample.name for sample in LONG_ENOUGH])
def test_every_file_long_enough_is_read_as_written(sample: Sample):
    text, encoding = decode(sample.data)
    assert text == sample.text, f"{sample.name} read as {encoding}"
    if sample.encoding != "utf-8":
        # the name given is one that reads the bytes the same way
        assert sample.data.decode(encoding) == sample.text


def test_the_readme_table_is_up_to_date():
    assert readme_table(README.read_text(encoding="utf-8")) == table(results(SAMPLES)), (
        "README.md's encoding table is out of date: run python -m tests.encoding_table --write")


def test_the_memo_of_the_bug_report_is_windows_1252():
    memo = ("Budget note: the board approved €5.3 million for the new plant.\n"
            .encode("cp1252"))
    text, encoding = decode(memo)
    assert encoding == "cp1252"
    assert "€5.3 million" in text
    guesses = [guess.encoding for guess in guess_encodings(memo)]
    assert guesses.index("cp1252") < guesses.index("cp1251")


def test_detection_is_deterministic():
    sample = next(s for s in SAMPLES if s.encoding == "iso8859-2" and s.size == "long")
    first = guess_encodings(sample.data)
    assert first == guess_encodings(sample.data)
    assert first[0].encoding == "iso8859-2"
    scores = [guess.score for guess in first]
    assert scores == sorted(scores)


def test_readings_that_give_the_same_text_are_marked():
    data = "A plain note — “draft” only.\n".encode("cp1252")
    candidates = {c.encoding: c for c in encoding_candidates(data)}
    assert candidates["cp1252"].detected
    assert candidates["cp1250"].same_text            # – — “ ” are the same bytes there
    assert not candidates["cp1251"].detected
    assert not candidates["mac-roman"].same_text


@pytest.mark.parametrize(("right", "wrong"), [
    ("The budget is €5.3 million.", "The budget is Ђ5.3 million."),      # lone Cyrillic
    ("Zürich café", "Z╝rich caf╚"),                                       # box drawing
    ("Grüße aus Köln", "Gr¸ﬂe aus Kˆln"),                                 # symbols in words
    ("naïve façade", "naοve faηade"),                                     # Greek in Latin
    ("Правительство одобрило", "ПРАВИТЕЛЬСТВо ОДОБРИЛо"),                  # odd case
    ("Правительство одобрило", "Ïðàâèòåëüñòâî îäîáðèëî"),                  # accent soup
    ("Šéf řekl, že škody nejsou", "©éf řekl, ľe ąkody nejsou"),          # Czech 8859-2 as 1250
    ("政府は法案を説明した。", "政府は法案を说明した。"),        # a Chinese form in Japanese
    ("国务院周三通过了措施。", "国务院 周三 通过了 措施。"),                  # spaced Chinese
    ("Price 5\u00a0€", "Price 5\x80"),                                     # C1 control
])
def test_the_script_decides_between_readings(right: str, wrong: str):
    assert implausibility(right) < implausibility(wrong)


def test_ordinary_text_scores_next_to_nothing():
    for text in ("The board approved €5.3 million — “final”.", "Le cœur de l’été, à 5 €.",
                 "Größere Straßen", "Zażółć gęślą jaźń", "Příliš žluťoučký kůň",
                 "Съешь же ещё этих мягких французских булок", "Ґрунтові дороги їхні",
                 "Η Αθήνα είναι η πρωτεύουσα", "日本語のテキストです。", "中文文本。"):
        assert implausibility(text) < 1, text     # ź, rare even in Polish, a little


@pytest.mark.parametrize(("sentences", "encoding"), [(CHINESE, "gb18030"),
                                                     (JAPANESE, "shift_jis"),
                                                     (RUSSIAN, "iso8859-5")])
def test_one_long_line_is_scored_from_a_cut_between_characters(sentences, encoding):
    text = fit("".join(sentences), encoding) * 80    # tens of KiB, no line break
    data = text.encode(encoding)
    assert len(data) > 30_000 and b"\n" not in data
    assert decode(data) == (text, encoding)


def test_a_legacy_pair_that_looks_like_utf8_does_not_make_the_file_broken_utf8():
    text = "On verra après l’épisode.\n"     # ’é in Mac Roman is UTF-8 "Վ"
    data = text.encode("mac-roman")
    assert "Վ" in data.decode("utf-8", errors="replace")
    assert decode(data) == (text, "mac-roman")
