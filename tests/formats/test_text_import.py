"""Reading text and Markdown files through the importer registry, as the app's
import does: encodings, refusals with reasons, metadata."""

from __future__ import annotations

import codecs
import hashlib
import os
import random
from pathlib import Path

import pytest

from annotator.formats import registry
from annotator.formats.problems import ImportProblem
from annotator.formats.registry import extract_file
from annotator.formats.text import decode

ENGLISH = "Headline: DeepSeek shocks the tech world\n\nZürich café — naïve “quotes” 深度求素 👇\n"
RUSSIAN = ("Агентство «ТАСС» сообщает, что компания «РЖД» увеличила перевозки "
           "грузов на пять процентов за первое полугодие.\n"
           "Эксперты считают, что рост продолжится и в следующем году.\n")
GREEK = ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και η μεγαλύτερη πόλη της χώρας. "
         "Ο πληθυσμός της ξεπερνά τα τρία εκατομμύρια κατοίκους.\n")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def problem_for(path: Path) -> ImportProblem:
    with pytest.raises(ImportProblem) as caught:
        extract_file(path)
    problem = caught.value
    assert problem.path == str(path)
    assert str(path) in str(problem)
    assert problem.reason in str(problem)
    return problem


@pytest.mark.parametrize(("name", "data", "family"), [
    ("plain.txt", ENGLISH.encode("utf-8"), "utf-8"),
    ("bom8.txt", codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), "utf-8"),
    ("le.txt", codecs.BOM_UTF16_LE + ENGLISH.encode("utf-16-le"), "utf-16"),
    ("be.txt", codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be"), "utf-16"),
])
def test_unicode_files(tmp_path, name, data, family):
    path = write(tmp_path, name, data)
    read = extract_file(path)
    assert read.text == ENGLISH                # no BOM left in the text
    assert not read.text.startswith("\ufeff")
    assert read.title == "Headline: DeepSeek shocks the tech world"
    assert read.metadata["encoding"].lower().startswith(family)
    assert read.metadata["original_sha256"] == hashlib.sha256(data).hexdigest()
    assert read.metadata["original_filename"] == name
    assert read.metadata["original_size"] == len(data)
    assert read.metadata["importer"] == "text"
    assert read.metadata["importer_version"]


def test_utf8_with_and_without_bom_are_told_apart(tmp_path):
    plain = extract_file(write(tmp_path, "a.txt", ENGLISH.encode("utf-8")))
    bom = extract_file(write(tmp_path, "b.txt", codecs.BOM_UTF8 + ENGLISH.encode("utf-8")))
    assert plain.text == bom.text
    assert plain.metadata["encoding"] != bom.metadata["encoding"]
    assert plain.metadata["original_sha256"] != bom.metadata["original_sha256"]


@pytest.mark.parametrize(("text", "codec"), [(RUSSIAN, "cp1251"), (GREEK, "cp1253")])
def test_legacy_single_byte_files(tmp_path, text, codec):
    data = text.encode(codec)
    path = write(tmp_path, f"{codec}.txt", data)
    read = extract_file(path)
    assert read.text == text
    assert codecs.lookup(read.metadata["encoding"]).name == codecs.lookup(codec).name
    assert read.metadata["original_sha256"] == hashlib.sha256(data).hexdigest()


def test_cp1251_guillemets_are_not_mistaken_for_broken_utf8():
    # "Д»" in cp1251 is the byte pair C4 BB, which is also valid UTF-8 (for "Ļ"):
    # one look-alike pair must not make a whole legacy file "broken UTF-8".
    data = RUSSIAN.encode("cp1251")
    assert "Д»".encode("cp1251").decode("utf-8")      # the look-alike really is there
    text, encoding = decode(data)
    assert text == RUSSIAN
    assert codecs.lookup(encoding).name == "cp1251"


def test_empty_file(tmp_path):
    problem = problem_for(write(tmp_path, "empty.txt", b""))
    assert "empty" in problem.reason


def test_white_space_only_file(tmp_path):
    problem = problem_for(write(tmp_path, "blank.txt", b" \n\t\r\n  \n"))
    assert "no text" in problem.reason


def test_binary_file(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00\x00\x01\x00"
    problem = problem_for(write(tmp_path, "binary.txt", data))
    assert "binary" in problem.reason


def test_control_characters_without_nuls_look_binary(tmp_path):
    data = bytes(range(1, 9)) * 200 + b"some text"
    problem = problem_for(write(tmp_path, "controls.txt", data))
    assert "binary" in problem.reason


def test_utf8_with_an_invalid_byte_names_its_offset(tmp_path):
    data = ENGLISH.encode() + b"bad \xff byte, " + "then more UTF-8: 梁文锋\n".encode()
    offset = data.index(b"\xff")
    problem = problem_for(write(tmp_path, "broken.txt", data))
    assert "UTF-8" in problem.reason
    assert f"offset {offset}" in problem.reason
    assert "0xff" in problem.reason


def test_bom_then_invalid_utf16(tmp_path):
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xdc"   # lone low surrogate
    problem = problem_for(write(tmp_path, "bad16.txt", data))
    assert "UTF-16" in problem.reason
    assert f"byte {len(codecs.BOM_UTF16_LE) + 4}" in problem.reason


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_file(tmp_path):
    path = write(tmp_path, "locked.txt", b"secret")
    path.chmod(0)
    try:
        if os.geteuid() == 0:
            # Root reads files whatever their mode, so chmod 000 cannot make one
            # unreadable here; a folder named like a text file fails the same read.
            path.chmod(0o600)
            path.unlink()
            path.mkdir()
        problem = problem_for(path)
        assert "cannot be read" in problem.reason
    finally:
        if path.is_file():
            path.chmod(0o600)


def test_missing_file(tmp_path):
    problem = problem_for(tmp_path / "nowhere.txt")
    assert "cannot be read" in problem.reason
    assert "No such file" in problem.reason


def test_file_over_the_size_limit_is_refused_not_truncated(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "MAX_FILE_BYTES", 1024 * 1024)
    at_limit = write(tmp_path, "at-limit.txt", b"a" * (1024 * 1024))
    assert len(extract_file(at_limit).text) == 1024 * 1024
    over = write(tmp_path, "over.txt", b"a" * (3 * 1024 * 1024 // 2))
    problem = problem_for(over)
    assert "larger than" in problem.reason
    assert "1.5 MiB" in problem.reason and "1 MiB" in problem.reason


def test_markdown_title_comes_from_the_first_heading(tmp_path):
    path = write(tmp_path, "note.md", b"intro line\n# The Heading\n\nbody\n")
    assert extract_file(path).title == "The Heading"
    plain = write(tmp_path, "note.txt", b"\n\n  First line  \nsecond\n")
    assert extract_file(plain).title == "First line"
