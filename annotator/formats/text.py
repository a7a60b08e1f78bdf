"""Plain text and Markdown files: decoding and titles.

Decoding order: a byte-order mark wins (UTF-8, UTF-16, UTF-32); then strict
UTF-8; a file that is UTF-8 but for a few bad bytes is refused with the byte
offset (guessing a legacy encoding would mangle it silently); anything else is
handed to charset-normalizer, which must find a legacy encoding that decodes
the file cleanly. Latin-1 is never assumed.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from annotator.formats.problems import ImportProblem
from annotator.formats.reflow import REFLOW_VERSION, looks_pdf_extracted, reflow
from annotator.formats.registry import Extracted, Importer, ImportOptions

IMPORTER_VERSION = "2"

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
class EncodingCandidate:
    """One way to decode a file, for the analyst to compare (see :func:`encoding_candidates`).

    ``encoding`` is a Python codec name to pass back as
    ``ImportOptions(encoding=...)``; ``errors`` counts bytes that do not decode
    and ``controls`` control characters in the decoded text (both 0 for a clean
    decoding, counted over the first :data:`CANDIDATE_SAMPLE_BYTES`);
    ``detected`` marks the one :func:`decode` chooses.
    """

    encoding: str
    label: str
    preview: str
    errors: int = 0
    controls: int = 0
    detected: bool = False


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


#: Human names of the encodings most often offered.
ENCODING_LABELS = {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with byte-order mark",
    "utf-16": "UTF-16", "utf-16-le": "UTF-16 little-endian (no byte-order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte-order mark)",
    "utf-32": "UTF-32", "utf-32-le": "UTF-32 little-endian", "utf-32-be": "UTF-32 big-endian",
    "cp1252": "Windows-1252 (Western European)", "cp1251": "Windows-1251 (Cyrillic)",
    "cp1250": "Windows-1250 (Central European)", "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)", "cp1257": "Windows-1257 (Baltic)",
    "cp1255": "Windows-1255 (Hebrew)", "cp1256": "Windows-1256 (Arabic)",
    "iso8859-15": "ISO-8859-15 (Western European with €)", "koi8-r": "KOI8-R (Russian)",
    "mac-roman": "Mac Roman", "cp437": "DOS (code page 437)", "latin-1": "ISO-8859-1 (Latin-1)",
    "gb18030": "GB18030 (Chinese)", "big5": "Big5 (Traditional Chinese)",
    "shift_jis": "Shift JIS (Japanese)", "euc-kr": "EUC-KR (Korean)",
}
#: Encodings always offered, after the likely ones.
_OFFERED = ("utf-8", "cp1252", "cp1251", "cp1250", "iso8859-15", "cp1253", "koi8-r",
            "mac-roman", "utf-16-le", "utf-16-be")
#: How much of a file is decoded to count errors for each candidate.
CANDIDATE_SAMPLE_BYTES = 4 * 1024 * 1024


def _codec_name(encoding: str) -> str:
    """``encoding``'s canonical codec name (``cp1252``, ``utf-16-le``)."""
    return codecs.lookup(encoding).name


def encoding_label(encoding: str) -> str:
    name = _codec_name(encoding)
    return ENCODING_LABELS.get(name, name)


def _utf16_guess(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes fall as in mostly-ASCII UTF-16."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _count_errors(sample: bytes, encoding: str) -> tuple[str, int]:
    """``sample`` decoded with bad bytes replaced, and how many replacements
    (a U+FFFD already in the text counts too: it is as suspicious)."""
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=True)
    return text, text.count("\ufffd")


def encoding_candidates(data: bytes, *, limit: int = 6,
                        preview_chars: int = 600) -> list[EncodingCandidate]:
    """Ways to decode ``data``, most likely first, each with a preview, so the
    analyst can see the text and override the detected encoding.

    The first candidate is what :func:`decode` would choose when it accepts the
    data (``detected=True``); clean decodings follow, then the rest by how
    many bytes do not decode. UTF-16 without a byte-order mark, which
    :func:`decode` refuses as binary, is offered when its NUL bytes fit.
    """
    if not data:
        return []
    sample = data[:CANDIDATE_SAMPLE_BYTES]
    names: list[str] = []
    detected: str | None = None
    try:
        _, chosen = decode(data)
    except ImportProblem:
        chosen = None
    if chosen is not None:
        detected = {"UTF-8": "utf-8", "UTF-8-BOM": "utf-8-sig"}.get(chosen, chosen)
        if chosen in ("UTF-16", "UTF-32"):
            detected = chosen.lower()
        names.append(detected)
    for bom, codec, _ in _BOMS:
        if data.startswith(bom):
            names.append("utf-8-sig" if codec == "utf-8" else codec.rsplit("-", 1)[0])
    guess = _utf16_guess(data)
    if guess:
        names.append(guess)
    if b"\x00" not in sample:
        with contextlib.suppress(Exception):       # detection is only a hint here
            names += [match.encoding for match in charset_normalizer.from_bytes(
                sample[:262144], cp_isolation=list(_LEGACY))]
    names += _OFFERED
    candidates: list[EncodingCandidate] = []
    seen: set[str] = set()
    for name in names:
        try:
            codec = _codec_name(name)
        except LookupError:
            continue
        if codec in seen:
            continue
        seen.add(codec)
        text, errors = _count_errors(sample, codec)
        controls = len(_CONTROL.findall(text[:65536]))
        candidates.append(EncodingCandidate(
            encoding=codec, label=ENCODING_LABELS.get(codec, codec),
            preview=text[:preview_chars], errors=errors, controls=controls,
            detected=detected is not None and codec == _codec_name(detected)))
    first = [c for c in candidates if c.detected]
    rest = sorted((c for c in candidates if not c.detected),
                  key=lambda c: (c.errors > 0, c.controls > 0, c.errors, c.controls))
    return (first + rest)[:limit]


def encoding_candidates_for(path: str | Path, *, limit: int = 6,
                            preview_chars: int = 600) -> list[EncodingCandidate]:
    """:func:`encoding_candidates` for a file (size-capped like any import; only
    the first :data:`CANDIDATE_SAMPLE_BYTES` are decoded). Raises ImportProblem
    when the file cannot be read."""
    from annotator.formats.registry import read_bounded

    return encoding_candidates(read_bounded(Path(path)), limit=limit,
                               preview_chars=preview_chars)


def decode_as(data: bytes, encoding: str, path: str | Path = "<bytes>") -> str:
    """``data`` decoded with ``encoding`` (a byte-order mark of that encoding
    family is dropped), or :class:`ImportProblem` naming the first bad byte."""
    if not data:
        raise ImportProblem(path, "the file is empty")
    try:
        codec = _codec_name(encoding)
    except LookupError:
        raise ImportProblem(path, f"{encoding!r} is not a known text encoding") from None
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        raise ImportProblem(path, f"is not valid {encoding_label(codec)}: byte "
                                  f"0x{data[error.start]:02x} at offset {error.start} "
                                  f"cannot be decoded") from None
    if codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = text.removeprefix("\ufeff")
    return _checked(text, path)


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


# Importers ---------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FRONT_LINE = re.compile(r"^([A-Za-z][\w-]{0,40})[ \t]*:[ \t]*(.*?)[ \t]*$")


def _decoded(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        return decode_as(data, encoding, path), _codec_name(encoding)
    if b"\x00" in data[:65536] and not any(data.startswith(bom) for bom, _, _ in _BOMS):
        guess = _utf16_guess(data)
        if guess:
            raise ImportProblem(path, f"looks like {encoding_label(guess)} text; it is not "
                                      f"decoded by guesswork: import it again with that "
                                      f"encoding chosen")
    return decode(data, path)


def front_matter(text: str) -> dict[str, str]:
    """Simple ``key: value`` pairs of a Markdown file's YAML front matter (no
    YAML is evaluated: nested values and lists are kept as their source line)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines()[:100]:
        pair = _FRONT_LINE.match(line)
        if pair and pair.group(2):
            fields[pair.group(1).lower()] = pair.group(2).strip("\"'")[:1000]
    return fields


class TextImporter(Importer):
    """Plain text in any encoding; text extracted from a PDF is reflowed
    (see :mod:`annotator.formats.reflow`) unless ``ImportOptions(reflow=False)``."""

    name = "text"
    version = IMPORTER_VERSION
    suffixes = (".txt", ".text")
    label = "Text"

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        text, encoding = _decoded(data, path, options.encoding)
        metadata: dict = {"encoding": encoding}
        detected = looks_pdf_extracted(text) if options.reflow is None else False
        if options.reflow or detected:
            text = reflow(text)
            metadata["reflow"] = {"applied": True, "version": REFLOW_VERSION,
                                  "reason": "detected as text extracted from a PDF"
                                  if detected else "requested"}
        elif options.reflow is False and looks_pdf_extracted(text):
            metadata["reflow"] = {"applied": False, "reason": "turned off",
                                  "looks_pdf_extracted": True}
        return Extracted(title=title_from(text, path), text=text, metadata=metadata)


class MarkdownImporter(Importer):
    """Markdown, stored as its source text (claims' offsets are into the source);
    the title comes from the front matter or the first ``#`` heading. Never
    reflowed unless asked."""

    name = "markdown"
    version = "1"
    suffixes = (".md", ".markdown")
    label = "Markdown"

    def extract(self, data: bytes, path: Path, options: ImportOptions) -> Extracted:
        text, encoding = _decoded(data, path, options.encoding)
        metadata: dict = {"encoding": encoding}
        if options.reflow:
            text = reflow(text)
            metadata["reflow"] = {"applied": True, "version": REFLOW_VERSION,
                                  "reason": "requested"}
        fields = front_matter(text)
        if fields:
            metadata["front_matter"] = fields
        for key in ("author", "date", "source", "url"):
            if fields.get(key):
                metadata[key] = fields[key]
        title = fields.get("title") or title_from(text, path.with_suffix(".md"))
        return Extracted(title=title, text=text, metadata=metadata,
                         published=fields.get("date", ""),
                         source=fields.get("source") or fields.get("url") or "")
