"""Plain text and Markdown files: decoding and titles.

Decoding order: a byte-order mark wins (UTF-8, UTF-16, UTF-32); then strict
UTF-8; a file that is UTF-8 but for a few bad bytes is refused with the byte
offset (guessing a legacy encoding would mangle it silently); anything else is
tried in every legacy encoding of :data:`_LEGACY` and those charset-normalizer
proposes, and the reading that decodes cleanly and reads most like written
language (:func:`implausibility`) wins; ties go to the more widely used
encoding. Latin-1 is never assumed.
"""

from __future__ import annotations

import codecs
import contextlib
import itertools
import re
import unicodedata
from collections import Counter
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
#: Encodings a file that is not Unicode is tried in, most widely used first (the
#: tie-break order between candidates that read equally well).
_LEGACY = tuple(codecs.lookup(name).name for name in (
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "iso8859-15", "iso8859-2",
    "iso8859-5", "iso8859-7", "koi8-r", "koi8-u", "mac-roman", "shift_jis", "cp932",
    "gb18030", "big5", "euc_jp", "euc_kr", "cp1255", "cp1256", "cp874", "cp866", "cp437"))
_RANK = {name: rank for rank, name in enumerate(_LEGACY)}
#: Bytes of a file whose readings are scored: its lines holding non-ASCII bytes
#: (ASCII reads the same in every candidate), the same bytes for every candidate.
SCORE_SAMPLE_BYTES = 8192
_HIGH_LINE = re.compile(rb"(?m)^[^\n]*?[\x80-\xff][^\n]*")
#: Bytes that are never part of a multibyte character in the candidate encodings
#: (trail bytes are 0x30 or more): a long line is cut after one of them.
_CUTTABLE = re.compile(rb"[\x00-\x2f][^\x00-\x2f]*\Z")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))
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
    ``detected`` marks the one :func:`decode` chooses; ``score`` is the
    :func:`implausibility` the detector gave a candidate it considered (None
    for the others; lower reads better); ``same_text`` marks one that reads
    exactly as the detected one over that sample.
    """

    encoding: str
    label: str
    preview: str
    errors: int = 0
    controls: int = 0
    detected: bool = False
    score: float | None = None
    same_text: bool = False


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """``(text, encoding name)`` for ``data``, or :class:`ImportProblem`.
    The name is ``UTF-8``, ``UTF-8-BOM``, ``UTF-16`` or ``UTF-32`` for Unicode,
    else the codec name of the guessed legacy encoding (see :func:`is_guessed`)."""
    text, name, _ = _decode(data, path)
    return text, name


def is_guessed(encoding: str) -> bool:
    """Whether :func:`decode` guessed ``encoding`` (a legacy code page) rather
    than knew it (a byte-order mark, or valid UTF-8)."""
    return encoding not in ("UTF-8", "UTF-8-BOM", "UTF-16", "UTF-32")


def _decode(data: bytes, path: str | Path) -> tuple[str, str, list[Guess]]:
    """:func:`decode`, and the legacy encodings it ranked (none for Unicode)."""
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
            return _checked(text, path), name, []
    if b"\x00" in data:
        raise ImportProblem(path, "looks binary (it contains NUL bytes); if it is UTF-16 "
                                  "text without a byte-order mark, save it as UTF-8")
    try:
        return _checked(data.decode("utf-8"), path), "UTF-8", []
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            raise ImportProblem(path, f"is not valid UTF-8: byte 0x{data[error.start]:02x} "
                                      f"at offset {error.start} cannot be decoded") from None
    guesses = guess_encodings(data)
    if not guesses:
        raise ImportProblem(path, "the text encoding could not be determined "
                                  "(it may not be a text file; save it as UTF-8)")
    return _checked(data.decode(guesses[0].encoding), path), guesses[0].encoding, guesses


@dataclass(frozen=True, slots=True)
class Guess:
    """A legacy encoding that decodes a file without error, and how implausible
    the text it gives reads (:func:`implausibility` of its non-ASCII lines)."""

    encoding: str
    score: float


def _candidate_names(data: bytes) -> list[str]:
    """The legacy list, then what charset-normalizer proposes beyond it (codecs
    that read ASCII as ASCII and keep no state), in a fixed order."""
    extra: set[str] = set()
    with contextlib.suppress(Exception):       # a proposal is only a hint
        for match in charset_normalizer.from_bytes(data[:262144]):
            try:
                name = _codec_name(match.encoding)
            except LookupError:
                continue
            if name in _RANK or name.startswith(("utf", "iso2022", "hz", "ascii")) \
                    or name == "iso8859-1":
                continue
            try:
                if _PRINTABLE_ASCII.decode(name) == _PRINTABLE_ASCII.decode("ascii"):
                    extra.add(name)
            except UnicodeDecodeError:
                continue
    return list(_LEGACY) + sorted(extra)


def _score_sample(data: bytes) -> bytes:
    """The lines of ``data`` that hold non-ASCII bytes, up to
    :data:`SCORE_SAMPLE_BYTES` (a line longer than 4 KiB is cut between
    characters where it can be)."""
    parts: list[bytes] = []
    total = 0
    for match in _HIGH_LINE.finditer(data):
        line = match.group()
        if len(line) > 4096:
            cut = _CUTTABLE.search(line, 0, 4096)
            line = line[:cut.start() + 1 if cut else 4096]
        parts.append(line)
        total += len(line)
        if total >= SCORE_SAMPLE_BYTES:
            break
    return b"\n".join(parts)


def guess_encodings(data: bytes) -> list[Guess]:
    """Every candidate encoding that decodes ``data`` without error (the legacy
    list and charset-normalizer's proposals), the most plausible reading first;
    ties go to the more widely used encoding. Deterministic: the same bytes
    always give the same order."""
    guesses: list[Guess] = []
    scored: dict[str, float] = {}
    sample = _score_sample(data)
    for name in _candidate_names(data):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        # the whole file decodes: only a cut at the sample's line ends can be partial
        text = sample.decode(name, errors="ignore")
        if text not in scored:
            scored[text] = implausibility(text)
        guesses.append(Guess(name, scored[text]))
    guesses.sort(key=lambda guess: (guess.score, _RANK.get(guess.encoding, len(_RANK))))
    return guesses


# How plausible a decoding reads --------------------------------------------------------
#
# A wrong code page turns letters into other letters, symbols or control
# characters; what it makes is rarely text that a person wrote. Every
# candidate's text is scored by what is out of place in it (lower is better).
# ASCII reads the same in every candidate, so only what surrounds non-ASCII
# characters decides.

#: Non-ASCII punctuation and symbols that ordinary text uses. Any other is as
#: likely a misread byte (¤ ¦ ¨ ¸ ˆ ‡ box drawing…).
_COMMON_MARKS = frozenset(
    "€£¥¢°©®™•…–—‘’‚“”„«»‹›§·×÷±¡¿№′″‰²³½¼¾\u00a0\u2009\u202f\u2010\u2011\u2212")
#: Symbols written apart from words: one glued to a letter (Łodzi±) is a misread one.
_GLUED = frozenset("±¶§©×÷¢£¥€‰•½¼¾")
#: Letters rare even in the languages that have them (what Mac Roman ü, ö, è
#: become in Windows code pages): a little suspect each.
_UNCOMMON = frozenset("ÿŸźŹŕŔĺĹ")
#: Punctuation found between two letters of a word (l’hôtel; Catalan l·l is
#: the one place for a middle dot).
_IN_WORD = frozenset("’‘ʼ\u2010\u2011")
#: One-letter words: any other lone non-ASCII Latin or Cyrillic letter is suspect.
_ONE_LETTER_WORDS = frozenset("àèéòùаявкосиуеіїйжзАЯВКОСИУІ")
#: Non-ASCII letters of the languages written in each script; a decoding whose
#: letters no one alphabet holds mixes languages, as a misread byte does.
_ALPHABETS = {
    "LATIN": (
        "àâæçéèêëîïôœùûüÿ",        # French
        "äöüß", "áéíñóúü", "áâãàçéêíóôõú", "àèéìíîòóù", "àçèéíïòóúü",  # de es pt it ca
        "éëïóöü", "æøåé", "åäöé", "áðéíóúýþæö",          # Dutch, Danish/Norwegian, Swedish
        "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž",      # Polish, Czech, Slovak
        "áéíóöőúüű", "ăâîșțşţ", "čćđšž", "çğıöşüâîû",    # Hungarian, Romanian, Croatian…
        "ąčęėįšųūž", "āčēģīķļņšūž", "äöõüšž", "çë", "åäöšž",  # Baltic, Albanian, Finnish
    ),
    "CYRILLIC": (
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",       # Ukrainian
        "абвгдежзийклмнопрстуфхцчшщъьюяѝ",         # Bulgarian
        "абвгдеёжзійклмнопрстуўфхцчшыьэюя",        # Belarusian
        "абвгдђежзијклљмнњопрстћуфхцчџш",           # Serbian
        "абвгдѓежзѕијклљмнњопрстќуфхцчџш",          # Macedonian
    ),
    "GREEK": ("αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",),
}
_CASED = frozenset(("LATIN", "CYRILLIC", "GREEK"))
#: Letter forms written only at the end of a word (Greek sigma, Hebrew finals).
_FINAL_FORMS = frozenset("ςךםןףץ")
_VOWELS = {"CYRILLIC": frozenset("аеёиоуыэюяіїєѝ"), "GREEK": frozenset("αεηιουωάέήίόύώϊϋΐΰ")}
_HAN_KANA = frozenset(("CJK", "KANA"))
_EAST_ASIAN = frozenset(("CJK", "KANA", "HANGUL"))
#: Weights of what is out of place.
_BAD_CHAR, _RARE_SYMBOL, _SCRIPT_CHANGE, _LONE_FOREIGN = 10.0, 3.0, 5.0, 4.0
_ODD_CASE, _SYMBOL_IN_WORD, _RARE_LETTER, _LONE_LETTER = 3.0, 3.0, 2.0, 2.0
_GLUED_SYMBOL = 2.0

#: Per character: (kind, script, case); kind is L (letter), M (mark), D (digit),
#: A (ASCII other), P (common punctuation or space), S (rare symbol), C (control,
#: unassigned, private use: never in real text), R (a rare letter).
_CLASSES: dict[str, tuple[str, str, str]] = {}


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith(("CJK ", "IDEOGRAPHIC")):
        return "CJK"
    if name.startswith(("HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
        return "KANA"
    return name.split(" ", 1)[0] if name else "?"


def _in_charset(char: str, encoding: str) -> bool:
    """Whether ``char`` is one of the two-byte characters of ``encoding``'s
    national standard (GB 2312, JIS X 0208, KS X 1001): the ones in common use."""
    try:
        return len(char.encode(encoding)) == 2
    except UnicodeEncodeError:
        return False


def _rare_letter(char: str, script: str) -> bool:
    point = ord(char)
    if 0xFB00 <= point <= 0xFEFF:           # presentation forms: ligatures, Arabic shapes
        return True
    if script == "LATIN":
        return (point >= 0x180 and not 0x218 <= point <= 0x21B) or char in "ªº"
    if script == "CYRILLIC":
        return point >= 0x460 and char not in "Ґґ"
    if script == "GREEK":
        return point >= 0x3D0
    if script == "KANA":
        return 0xFF61 <= point <= 0xFF9F            # half-width katakana
    if script == "CJK":
        return (unicodedata.category(char) == "Lo" and point >= 0x3400
                and not (_in_charset(char, "gb2312") or _in_charset(char, "shift_jis")))
    if script == "HANGUL":
        return not _in_charset(char, "euc_kr")
    return False


def _classify(char: str) -> tuple[str, str, str]:
    if char < "\x80":
        if char.isalpha():
            return "L", "LATIN", "U" if char.isupper() else "l"
        return ("D" if char.isdigit() else "A"), "", ""
    category = unicodedata.category(char)
    if category in ("Lu", "Ll", "Lt", "Lo") or (category == "Lm" and _script(char) in _EAST_ASIAN):
        script = _script(char)
        if _rare_letter(char, script):
            return "R", script, ""
        case = "U" if category in ("Lu", "Lt") else "l" if category == "Ll" else ""
        return "L", script, case
    if category.startswith("M"):
        return "M", "", ""
    if category == "Nd":
        return "D", "", ""
    if category in ("Cc", "Cn", "Co", "Cs") or char == "\ufffd":
        return "C", "", ""
    if category.startswith("Z"):
        return "Z", "", ""
    if char in _COMMON_MARKS or 0x3000 <= ord(char) <= 0x303F \
            or 0xFF01 <= ord(char) <= 0xFF60 or char == "\u30fb":
        return "P", "", ""
    return "S", "", ""


def _alphabet_misfits(script: str, letters: Counter[str]) -> int:
    """Occurrences of letters that the best-fitting alphabet of ``script`` lacks."""
    return min(sum(count for letter, count in letters.items() if letter not in alphabet)
               for alphabet in _ALPHABETS[script])


def implausibility(text: str) -> float:
    """How unlike written language ``text`` reads: about 0 for ordinary text, more
    for each control character, rare symbol, change of script inside a word, lone
    letter of another script, oddly cased word or letter no one alphabet holds.
    Pure and deterministic; compare candidates' scores over the same bytes."""
    classes = [_CLASSES.get(char) or _CLASSES.setdefault(char, _classify(char))
               for char in text]
    penalty = 0.0
    scripts: Counter[str] = Counter()
    letters: dict[str, Counter[str]] = {script: Counter() for script in (*_ALPHABETS, "CJK")}
    words: list[list[int]] = []              # words holding a non-ASCII letter
    word: list[int] = []
    foreign = False
    for index, (kind, script, _case) in enumerate(classes):
        char = text[index]
        if kind in ("L", "R"):
            scripts[script] += 1
            word.append(index)
            if char >= "\x80":
                foreign = True
                if script in letters and (script != "LATIN" or char.lower() >= "\x80"):
                    letters[script][char.lower()] += 1
                if kind == "R":
                    penalty += _RARE_LETTER
                elif char in _UNCOMMON:
                    penalty += _RARE_LETTER / 4
            continue
        if kind == "M" and word:
            continue
        if kind == "M":
            penalty += _RARE_SYMBOL          # an accent or point on no letter
        if foreign:
            words.append(word)
        word, foreign = [], False
        if char == " " and 0 < index < len(text) - 1 and classes[index - 1][1] in _HAN_KANA \
                and classes[index + 1][1] in _HAN_KANA:
            penalty += 1                     # Chinese and Japanese put no space between words
        if kind == "C":
            penalty += _BAD_CHAR
        elif kind == "S":
            penalty += _RARE_SYMBOL
        if kind in ("S", "P") and char not in _IN_WORD and 0 < index < len(text) - 1 \
                and classes[index - 1][1] in _CASED and classes[index + 1][1] in _CASED \
                and not (char == "·" and text[index - 1:index + 2].lower() == "l·l"):
            penalty += _SYMBOL_IN_WORD
        if (kind == "S" or char in _GLUED) and (
                (index and classes[index - 1][1] in _CASED)
                or (index < len(text) - 1 and classes[index + 1][1] in _CASED)):
            penalty += _GLUED_SYMBOL
        if char in "¹²³" and index and classes[index - 1][0] == "L" and text[index - 1] != "m":
            penalty += _GLUED_SYMBOL         # m² and cm³, but not powiedzia³
        if kind == "D" and index and classes[index - 1][0] in ("L", "R") \
                and text[index - 1] >= "\x80" and classes[index - 1][1] in _CASED:
            penalty += 1
        if kind == "D" and index < len(text) - 1 and text[index + 1] >= "\x80" \
                and classes[index + 1][1] in _CASED:
            penalty += 1
    if foreign:
        words.append(word)
    main = scripts.most_common(1)[0][0] if scripts else ""
    for word in words:
        penalty += _word_penalty(text, classes, word, main)
    for script, counts in letters.items():
        if counts and script in _ALPHABETS:
            penalty += _alphabet_misfits(script, counts)
    if scripts["KANA"] * 10 >= scripts["KANA"] + scripts["CJK"] > 0:
        # Japanese: its kanji are those of JIS X 0208, not simplified Chinese forms.
        penalty += _RARE_LETTER * sum(count for char, count in letters["CJK"].items()
                                      if not _in_charset(char, "shift_jis"))
    return penalty


def _word_penalty(text: str, classes: list[tuple[str, str, str]], word: list[int],
                  main: str) -> float:
    penalty = 0.0
    word_scripts = [classes[index][1] for index in word]
    for before, after in itertools.pairwise(word_scripts):
        if before != after:
            # Japanese words mix kanji and kana; East Asian text runs into Latin
            # words and Hanja into Hangul unspaced.
            pair = {before, after}
            if pair != {"CJK", "KANA"}:
                east = pair <= _EAST_ASIAN | {"LATIN"} and pair & _EAST_ASIAN
                penalty += 1 if east else _SCRIPT_CHANGE
    if len(word) == 1:
        script = word_scripts[0]
        if script != main and not (script in _EAST_ASIAN and main in _EAST_ASIAN):
            penalty += _LONE_FOREIGN
        elif script in ("LATIN", "CYRILLIC") and text[word[0]] not in _ONE_LETTER_WORDS:
            # a capital may be an initial (Š. Novák); a small letter is a word
            penalty += _LONE_LETTER / 2 if text[word[0]].isupper() else _LONE_LETTER
    if len(word) >= 3 and word_scripts[0] in _VOWELS and len(set(word_scripts)) == 1 \
            and text[word[0]].islower() \
            and not any(text[index] in _VOWELS[word_scripts[0]] for index in word):
        penalty += 1                       # a Slavic or Greek word has a vowel
    if any(text[index] in _FINAL_FORMS for index in word[:-1]):
        penalty += _RARE_LETTER            # a word-final letter form inside a word
    cases = "".join(classes[index][2] for index in word)
    if cases and not (cases.islower() or cases.isupper()
                      or (cases[0] == "U" and cases[1:].islower())):
        penalty += _ODD_CASE
    return penalty


#: Human names of the encodings offered, by codec name (:func:`_codec_name`).
ENCODING_LABELS = {codecs.lookup(name).name: label for name, label in {
    "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with byte-order mark",
    "utf-16": "UTF-16", "utf-16-le": "UTF-16 little-endian (no byte-order mark)",
    "utf-16-be": "UTF-16 big-endian (no byte-order mark)",
    "utf-32": "UTF-32", "utf-32-le": "UTF-32 little-endian", "utf-32-be": "UTF-32 big-endian",
    "cp1252": "Windows-1252 (Western European)", "cp1251": "Windows-1251 (Cyrillic)",
    "cp1250": "Windows-1250 (Central European)", "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)", "cp1257": "Windows-1257 (Baltic)",
    "cp1255": "Windows-1255 (Hebrew)", "cp1256": "Windows-1256 (Arabic)",
    "cp874": "Windows-874 (Thai)", "iso8859-15": "ISO-8859-15 (Western European with €)",
    "iso8859-2": "ISO-8859-2 (Central European)", "iso8859-5": "ISO-8859-5 (Cyrillic)",
    "iso8859-7": "ISO-8859-7 (Greek)", "koi8-r": "KOI8-R (Russian)",
    "koi8-u": "KOI8-U (Ukrainian)", "mac-roman": "Mac Roman (Western European)",
    "cp437": "DOS (code page 437)", "cp866": "DOS Cyrillic (code page 866)",
    "latin-1": "ISO-8859-1 (Latin-1)", "gb18030": "GB18030 (Chinese)",
    "big5": "Big5 (Traditional Chinese)", "shift_jis": "Shift JIS (Japanese)",
    "cp932": "Windows-932 (Japanese Shift JIS)", "euc-jp": "EUC-JP (Japanese)",
    "euc-kr": "EUC-KR (Korean)", "cp1258": "Windows-1258 (Vietnamese)",
    "iso8859-4": "ISO-8859-4 (Baltic)", "iso8859-9": "ISO-8859-9 (Turkish)",
    "iso8859-13": "ISO-8859-13 (Baltic)", "iso8859-16": "ISO-8859-16 (South-Eastern European)",
    "mac-cyrillic": "Mac Cyrillic", "mac-latin2": "Mac Central European",
    "mac-iceland": "Mac Icelandic", "mac-greek": "Mac Greek", "mac-turkish": "Mac Turkish",
    "cp850": "DOS Western European (code page 850)",
    "cp852": "DOS Central European (code page 852)", "cp775": "DOS Baltic (code page 775)",
    "cp1125": "DOS Ukrainian (code page 1125)", "kz1048": "Windows Kazakh (KZ-1048)",
    "ptcp154": "Kazakh (PT154)", "cp949": "Windows-949 (Korean)",
    "cp950": "Windows-950 (Traditional Chinese)", "gbk": "GBK (Chinese)",
    "gb2312": "GB2312 (Simplified Chinese)",
}.items()}


def short_label(encoding: str) -> str:
    """``Windows-1252`` for ``cp1252``: the label without its parenthesis."""
    return encoding_label(encoding).split(" (", 1)[0]


#: Encodings always offered, after the likely ones.
_OFFERED = ("utf-8", "cp1252", "cp1251", "cp1250", "iso8859-15", "cp1253", "koi8-r",
            "mac-roman", "utf-16-le", "utf-16-be")
#: How much of a file is decoded to count errors for each candidate.
CANDIDATE_SAMPLE_BYTES = 4 * 1024 * 1024


def _codec_name(encoding: str) -> str:
    """``encoding``'s canonical codec name (``cp1252``, ``utf-16-le``)."""
    return codecs.lookup(encoding).name


def text_codec(encoding: str) -> str:
    """``encoding``'s codec name, or LookupError when it is unknown or not a text
    encoding (``rot13``, ``zlib``)."""
    codec = _codec_name(encoding)
    with contextlib.suppress(UnicodeDecodeError):    # "a" is not whole in UTF-16
        b"a".decode(codec)
    return codec


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


def encoding_candidates(data: bytes, *, limit: int | None = None,
                        preview_chars: int = 600) -> list[EncodingCandidate]:
    """Every way of decoding ``data`` that was considered, most likely first,
    each with a preview, so the analyst can see the text and override the
    detected encoding.

    The first candidate is what :func:`decode` chooses when it accepts the data
    (``detected=True``); then every other encoding the detector found to decode
    the file without error, the most plausible first (their ``score``); then
    byte-order-mark and UTF-16 readings and the encodings always offered, by
    how many bytes do not decode. UTF-16 without a byte-order mark, which
    :func:`decode` refuses as binary, is offered when its NUL bytes fit.
    ``limit`` keeps only the first candidates.
    """
    if not data:
        return []
    sample = data[:CANDIDATE_SAMPLE_BYTES]
    names: list[str] = []
    detected: str | None = None
    try:
        _, chosen, guesses = _decode(data, "<bytes>")
    except ImportProblem:
        chosen, guesses = None, []
        if b"\x00" not in sample:
            guesses = guess_encodings(sample)
    if chosen is not None:
        detected = _codec_name({"UTF-8": "utf-8", "UTF-8-BOM": "utf-8-sig", "UTF-16": "utf-16",
                                "UTF-32": "utf-32"}.get(chosen, chosen))
        names.append(detected)
    scores = {guess.encoding: guess.score for guess in guesses}
    names += [guess.encoding for guess in guesses]
    for bom, codec, _ in _BOMS:
        if data.startswith(bom):
            names.append("utf-8-sig" if codec == "utf-8" else codec.rsplit("-", 1)[0])
    guess = _utf16_guess(data)
    if guess:
        names.append(guess)
    names += _OFFERED
    candidates: list[EncodingCandidate] = []
    seen: set[str] = set()
    detected_text = None
    for name in names:
        codec = _codec_name(name)
        if codec in seen:
            continue
        seen.add(codec)
        text, errors = _count_errors(sample, codec)
        if codec == detected:
            detected_text = text
        controls = len(_CONTROL.findall(text[:65536]))
        candidates.append(EncodingCandidate(
            encoding=codec, label=ENCODING_LABELS.get(codec, codec),
            preview=text[:preview_chars], errors=errors, controls=controls,
            detected=codec == detected, score=scores.get(codec),
            same_text=codec != detected and text == detected_text))
    first = [c for c in candidates if c.detected]
    rest = sorted((c for c in candidates if not c.detected),
                  key=lambda c: (c.errors > 0, c.controls > 0, c.score is None,
                                 c.score or 0.0, c.errors, c.controls))
    return (first + rest)[:limit]


def encoding_candidates_for(path: str | Path, *, limit: int | None = None,
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
        codec = text_codec(encoding)
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
    """Whether most non-ASCII characters are valid UTF-8 sequences: UTF-8 with a
    few bad bytes, not legacy text in which a letter and a punctuation byte happen
    to look like one UTF-8 sequence (cp1251 "Д»" is the bytes of UTF-8 "Ļ"; Mac
    Roman "’é" those of "Վ"). Each sequence counts as the one character it would
    be, each other high byte as one."""
    sequences = _UTF8_MULTIBYTE.findall(data)
    stray = len(data) - len(data.translate(None, _HIGH_BYTES)) - sum(map(len, sequences))
    return len(sequences) > stray


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


def _decoded(data: bytes, path: Path, encoding: str | None) -> tuple[str, dict]:
    """The text, and its metadata: ``encoding``, and ``encoding_guessed`` when
    the encoding is a guess (a legacy code page nothing in the file names)."""
    if encoding:
        return decode_as(data, encoding, path), {"encoding": _codec_name(encoding)}
    if b"\x00" in data[:65536] and not any(data.startswith(bom) for bom, _, _ in _BOMS):
        guess = _utf16_guess(data)
        if guess:
            raise ImportProblem(path, f"looks like {encoding_label(guess)} text; it is not "
                                      f"decoded by guesswork: import it again with that "
                                      f"encoding chosen")
    text, name = decode(data, path)
    return text, {"encoding": name, **({"encoding_guessed": True} if is_guessed(name) else {})}


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
        text, metadata = _decoded(data, path, options.encoding)
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
        text, metadata = _decoded(data, path, options.encoding)
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
