"""Plain text and Markdown files: decoding and titles.

Decoding order: a byte-order mark wins (UTF-8, UTF-16, UTF-32); then strict
UTF-8; a file that is UTF-8 but for a few bad bytes is refused with the byte
offset (guessing a legacy encoding would mangle it silently); anything else is
handed to charset-normalizer, which must find a legacy encoding that decodes
the file cleanly. Latin-1 is never assumed.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from annotator.formats.problems import ImportProblem

IMPORTER_VERSION = "1"
#: Largest file the text importer reads; larger files are refused, not truncated.
MAX_FILE_BYTES = 64 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".markdown", ".text")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8-BOM"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
#: Legacy encodings tried first, most widely used first (the tie-break order).
_LEGACY = {name: rank for rank, name in enumerate((
    "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1257", "iso8859_15", "koi8_r",
    "cp1255", "cp1256", "mac_roman", "cp437"))}
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class TextFile:
    title: str
    text: str
    metadata: dict = field(default_factory=dict)


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """``(text, encoding name)`` for ``data``, or :class:`ImportProblem`."""
    if not data:
        raise ImportProblem(path, "the file is empty")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as error:
                raise ImportProblem(
                    path, f"starts with a {name} byte-order mark but is not valid {name} "
                          f"(at byte {error.start + len(bom)})") from None
            return _checked(text, path), name
    if b"\x00" in data:
        raise ImportProblem(path, "looks binary (it contains NUL bytes); if it is UTF-16 "
                                  "text without a byte-order mark, save it as UTF-8")
    try:
        return _checked(data.decode("utf-8"), path), "UTF-8"
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            raise ImportProblem(path, f"is not valid UTF-8: byte 0x{data[error.start]:02x} "
                                      f"at offset {error.start} cannot be decoded") from None
    matches = list(charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY)))
    if not matches:
        matches = [m for m in charset_normalizer.from_bytes(data)
                   if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        raise ImportProblem(path, "the text encoding could not be determined "
                                  "(it may not be a text file; save it as UTF-8)")
    # charset-normalizer scores short texts poorly (short cp1252 often comes out as
    # cp1250): among equally clean decodings, prefer the more widely used encoding.
    best = min(matches, key=lambda m: (round(m.chaos, 2), _LEGACY.get(m.encoding, 99)))
    return _checked(str(best), path), best.encoding


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes form valid UTF-8 sequences: UTF-8 with a few bad
    bytes, not legacy text in which a letter and a punctuation byte happen to look
    like one UTF-8 sequence (cp1251 "Д»" is the bytes of UTF-8 "Ļ")."""
    in_sequences = sum(len(match) for match in _UTF8_MULTIBYTE.findall(data))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    return in_sequences > high - in_sequences


def _checked(text: str, path: str | Path) -> str:
    if not text.strip():
        raise ImportProblem(path, "the file holds no text (only white space)")
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 100):
        raise ImportProblem(path, "looks binary (it is full of control characters)")
    return text


def title_from(text: str, path: Path) -> str:
    lines = (line.strip() for line in text.splitlines())
    if path.suffix.lower() in (".md", ".markdown"):
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()[:200]
    for line in lines:
        if line:
            return line[:200]
    return path.stem


def read_text_file(path: Path) -> TextFile:
    """Read a ``.txt`` or ``.md`` file, or raise :class:`ImportProblem` naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportProblem(path, f"is {size / 2**20:.1f} MiB, larger than the "
                                      f"{MAX_FILE_BYTES // 2**20} MiB a document may be")
        data = path.read_bytes()
    except OSError as error:
        raise ImportProblem(path, f"cannot be read: {error.strerror or error}") from None
    text, encoding = decode(data, path)


    return TextFile(
        title=title_from(text, path),
        text=text,
        metadata={
            "original_filename": path.name,
            "original_sha256": hashlib.sha256(data).hexdigest(),
            "encoding": encoding,
            "importer": "text",
            "importer_version": IMPORTER_VERSION,
        },
    )
