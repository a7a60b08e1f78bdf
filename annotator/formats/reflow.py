"""Reflowing text that was extracted from a PDF: one line per printed line.

Text copied or extracted from a PDF keeps the printed layout: a hard line break
at the end of every printed line (often with a blank line after each one),
words split by a hyphen at the end of a line, and page numbers. Shown as is, a
paragraph is broken into a dozen fragments and a sentence cannot be selected as
one span. :func:`reflow` joins the lines of each paragraph back together.

Detection (:func:`looks_pdf_extracted`) is deliberately strict, because reflow
changes the stored text: at least 10 lines, at least half of them ending
mid-sentence, and lines no longer than a printed line (90th percentile at most
150 characters). Web and word-processor text, whose paragraphs are single long
lines ending in a full stop, does not qualify.

The rules, in order, for a line break between a line and the next one:

1. Two or more blank lines (in a text with a blank line after every line), or
   one blank line (otherwise), always end a paragraph.
2. A next line that starts with a bullet or a list number, or is a bare URL,
   starts a paragraph.
3. A line ending a sentence (``. ! ? : …``, optionally followed by a closing
   quote or bracket) ends the paragraph when it is visibly short (under 85 % of
   the usual line width), ends with two or more spaces (how many extractors
   mark the last line of a paragraph) or is followed by a short line (a heading
   or a one-line paragraph). Otherwise the sentence simply ended at the end of
   a full line and the paragraph goes on.
4. A short line (under 80 % of the usual width, 85 % if it ends with two
   spaces) followed by a line that starts with a capital or a digit ends its
   paragraph even without a full stop: a heading, a caption, a dated item. A
   line that short did not end for lack of room.
5. Otherwise the lines are joined with one space, except after a hyphen:

Hyphenation (:func:`join_hyphenated`), conservatively. A line ending in a
letter and ``-`` (or a soft hyphen, U+00AD) followed by a line starting with a
letter:

- soft hyphen: always joined without it;
- the next line starts with a capital or a digit (``US-`` / ``China``,
  ``Indo-`` / ``Pacific``): a real hyphen, kept, no space;
- the word before the hyphen already holds a hyphen (``state-of-the-`` /
  ``art``): kept;
- the document spells the hyphenated form elsewhere (``cutting-edge``): kept;
- the document spells the joined word elsewhere (``accomplished``): the hyphen
  is removed;
- the second part is a common compound element (``-driven``, ``-based``,
  ``-led``, ``-backed``, …): kept;
- both parts, three letters or more, are words the document uses on their
  own (``cutting-`` / ``edge``): kept;
- otherwise the hyphen is removed: a lowercase continuation after a line-end
  hyphen is, in typeset text, most often a word broken across lines.

Every other character is kept: reflow only removes line breaks and hyphenation
hyphens, collapses runs of spaces and tabs into one space and spells out
typographic ligatures (U+FB00–FB06: "ﬁ" becomes "fi"); for PDF pages
(:func:`join_pages`) a bare page number at the top or bottom of a page and
running headers and footers are dropped too. Lines of Chinese or Japanese text
are joined without a space.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

REFLOW_VERSION = "1"

_TERMINAL = re.compile(r"[.!?:;…][\"'”’»)\]]*$")
#: A bullet (including the private-use glyphs of symbol fonts), a list number or letter.
_BULLET = re.compile(r"^(?:[•·▪◦●○■□➢►▶\-–—*\ue000-\uf8ff]\s|[\ue000-\uf8ff•▪●■]|"
                     r"\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s)")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_LAST_WORD = re.compile(r"([^\W\d_](?:[^\W\d_]|-)*)-$")
_FIRST_WORD = re.compile(r"^([^\W\d_]+)")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:page|seite|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|von)\s*\d{1,4})?\s*$", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

#: Second elements of English compounds often broken at the line end: a hyphen
#: before one of these is kept (``private sector-`` / ``driven``).
COMPOUND_ENDINGS = frozenset((
    "based", "driven", "led", "backed", "owned", "run", "related", "level", "term", "scale",
    "wide", "free", "like", "style", "specific", "oriented", "making", "made", "old", "year",
    "time", "known", "called", "speaking", "class", "quality", "profile", "intensive",
    "hungry", "funded", "controlled", "sponsored", "dominated", "focused", "centred",
    "centered", "friendly", "proof", "ready", "sized", "minded", "looking", "standing",
    "lasting", "building", "sharing", "generation", "party", "state", "border", "country",
    "sector", "source", "fold", "up", "down", "off", "out", "over", "in", "on",
))


_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"})
#: Han, kana and CJK punctuation (including full-width forms): no space between lines.
_UNSPACED = re.compile(r"[\u2e80-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                       r"\uff00-\uff60\U00020000-\U0003ffff]")
_BROKEN_WORD = re.compile(r"[^\W\d_]+[-\u00ad][ \t]*\r?\n\s*[^\W\d_]+")


def normalise_spaces(line: str) -> str:
    """A line with runs of horizontal white space (tabs included) as one space
    and typographic ligatures (U+FB00–FB06, which PDFs use for "fi", "fl", …)
    spelt out."""
    return _SPACES.sub(" ", line).translate(_LIGATURES).strip()


def vocabulary(text: str) -> frozenset[str]:
    """Lowercased words (hyphenated ones whole and in parts) in ``text``, leaving
    out the two halves of each word broken by a hyphen at a line end."""
    words: set[str] = set()
    for match in _WORD.finditer(_BROKEN_WORD.sub(" ", text.translate(_LIGATURES))):
        word = match.group().lower()
        words.add(word)
        if "-" in word:
            words.update(word.split("-"))
    return frozenset(words)


def join_hyphenated(left: str, right: str, known: frozenset[str] = frozenset()) -> str | None:
    """``left`` and ``right`` joined across a line-end hyphen, or ``None`` when
    ``left`` does not end in a hyphenated word (the caller joins with a space).

    ``known`` is the document's :func:`vocabulary`, the evidence for the choice.
    """
    if left.endswith("\u00ad"):
        return left[:-1] + right
    if not left.endswith("-"):
        return None
    match = _LAST_WORD.search(left[-64:])      # a word, not the whole paragraph
    first = _FIRST_WORD.match(right)
    if match is None or first is None or left.endswith("--"):
        return None
    before, after = match.group(1), first.group(1)
    keep = left + right
    drop = left[:-1] + right
    if not after[0].islower():
        return keep
    if "-" in before:
        return keep
    hyphenated = f"{before}-{after}".lower()
    joined = f"{before}{after}".lower()
    if hyphenated in known:
        return keep
    if joined in known:
        return drop
    if after.lower() in COMPOUND_ENDINGS:
        return keep
    if len(before) >= 3 and len(after) >= 3 and before.lower() in known \
            and after.lower() in known:
        return keep
    return drop


def join_lines(lines: Sequence[str], known: frozenset[str] = frozenset()) -> str:
    """The lines of one paragraph as one line (hyphenation repaired)."""
    parts: list[str] = []
    for raw in lines:
        line = normalise_spaces(raw)
        if not line:
            continue
        joined = join_hyphenated(parts[-1], line, known) if parts else None
        if joined is not None:
            parts[-1] = joined
        else:
            if parts:
                parts.append(line_separator(parts[-1], line))
            parts.append(line)
    return "".join(parts)


def line_separator(left: str, right: str) -> str:
    """What joins two lines of a paragraph: a space, or nothing between Chinese
    or Japanese characters (scripts written without spaces between words)."""
    return "" if _UNSPACED.match(left[-1:]) and _UNSPACED.match(right[:1]) else " "


def ends_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line[-64:].rstrip()))


def starts_item(line: str) -> bool:
    return bool(_BULLET.match(line.lstrip()))


def is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


# Plain text --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Layout:
    """What :func:`analyse` found out about a text's lines."""

    lines: int
    blank_after: float          # share of lines followed by exactly one blank line
    mid_sentence: float         # share of lines not ending a sentence
    width: int                  # 90th percentile of line lengths: the printed width
    pdf_extracted: bool


def analyse(text: str) -> Layout:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return Layout(0, 0.0, 0.0, 0, False)
    blank_after = sum(1 for i in filled if i + 2 < len(lines) and not lines[i + 1].strip()
                      and lines[i + 2].strip()) / len(filled)
    mid = sum(1 for i in filled if not ends_sentence(lines[i])) / len(filled)
    lengths = sorted(len(lines[i].strip()) for i in filled)
    width = lengths[min(len(lengths) - 1, int(0.9 * len(lengths)))]
    regular = statistics.median(lengths) >= 0.5 * width
    detected = (len(filled) >= 10 and mid >= 0.5 and 20 <= width <= 150 and regular)
    return Layout(len(filled), blank_after, mid, width, detected)


def looks_pdf_extracted(text: str) -> bool:
    """Whether ``text`` looks like text extracted from a PDF, line by printed line."""
    return analyse(text).pdf_extracted


def reflow(text: str) -> str:
    """``text`` with the lines of each paragraph joined (see the module's rules).

    Paragraphs are separated by one blank line; lines that stood on their own
    without blank lines around them in a blank-line-after-every-line text (a
    list of links, say) keep their single line breaks.
    """
    layout = analyse(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    width = max(layout.width, 1)
    spaced = layout.blank_after >= 0.5
    known = vocabulary(text)

    # Tokens: ("line", text) and ("break", kind) where kind is "soft", "line" or "hard".
    items: list[tuple[str, str]] = []
    blanks = 0
    for line in lines:
        if not line.strip():
            blanks += 1
            continue
        if items:
            if spaced:
                kind = "soft" if blanks == 1 else "hard" if blanks >= 2 else "line"
            else:
                kind = "soft" if blanks == 0 else "hard"
            items.append(("break", kind))
        items.append(("line", line))
        blanks = 0

    paragraphs: list[list[str]] = []      # each: lines to join
    separators: list[str] = []           # separator before each paragraph after the first
    current: list[str] = []
    previous = ""
    pending = ""
    for kind, value in items:
        if kind == "break":
            pending = value
            continue
        line = value
        if current:
            if pending == "hard" or pending == "line":
                new_paragraph = True
            else:
                new_paragraph = _ends_paragraph(previous, line, width)
            if new_paragraph:
                paragraphs.append(current)
                separators.append("\n" if pending == "line" else "\n\n")
                current = []
        current.append(line)
        previous = line
    if current:
        paragraphs.append(current)

    out = [join_lines(paragraphs[0], known)] if paragraphs else []
    for separator, paragraph in zip(separators, paragraphs[1:], strict=True):
        out.append(separator)
        out.append(join_lines(paragraph, known))
    result = "".join(out)
    if text.endswith(("\n", "\r")):
        result += "\n"
    return result


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    if starts_item(following) or _URL.match(following.strip()):
        return True
    stripped = line.rstrip()
    if stripped.endswith("-") and _LAST_WORD.search(stripped[-64:]):
        return False                     # a word goes on across the line break
    trailing = len(line) - len(stripped)
    length = len(stripped.strip())
    if ends_sentence(stripped):
        return (trailing >= 2 or length < 0.85 * width
                or len(following.strip()) < 0.6 * width)
    first = following.lstrip()[:1]
    if first.isupper() or first.isdigit():
        # A line this short does not end for lack of room: the paragraph (or a
        # heading, or a dated news item) ends here.
        return length < (0.85 if trailing >= 2 else 0.8) * width
    return False


# PDF layout blocks --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    x0: float = 0.0
    x1: float = 0.0


@dataclass(frozen=True, slots=True)
class Block:
    """A text box of a PDF page: lines in reading order and its horizontal extent."""

    lines: tuple[Line, ...]
    x0: float = 0.0
    x1: float = 0.0


def join_pages(pages: Sequence[Sequence[Block]]) -> tuple[str, list[int]]:
    """The text of PDF pages (text boxes in reading order) and the code-point
    offset where each page starts.

    Lines inside a box are joined into paragraphs (hyphenation repaired); a
    visibly short line ending a sentence ends a paragraph inside a box; boxes
    are separated by a blank line; a bare page number at the top or bottom of a
    page is dropped, and so are running headers and footers (:func:`running_lines`);
    a paragraph cut by a page break (no sentence end, next page starting in
    lowercase) is joined across it.
    """
    known = vocabulary("\n".join(line.text for page in pages for block in page
                                 for line in block.lines))
    running = running_lines(pages)
    parts: list[list[str]] = []      # paragraphs, in order, each in pieces
    length = 0                       # the length of the text so far
    starts: list[int | None] = []
    for page in pages:
        if running:
            page = [block for block in page if _running_key(block) not in running]
        paragraphs = list(_page_paragraphs(_without_page_numbers(page), known))
        if not paragraphs:
            starts.append(None)         # an empty page starts where the next one does
            continue
        if parts and not ends_sentence(parts[-1][-1]) and paragraphs[0][:1].islower():
            # Pieces stay page-sized: the paragraph is never copied whole.
            first = paragraphs.pop(0)
            last = parts[-1][-1]
            joined = join_hyphenated(last[-64:], first, known)
            if joined is None:
                separator = line_separator(last, first)
                parts[-1].append(separator)
                length += len(separator)
            elif joined != last[-64:] + first:      # the hyphen was a hyphenation
                parts[-1][-1] = last[:-1]
                length -= 1
            parts[-1].append(first)
            starts.append(length)
            length += len(first)
        else:
            starts.append(length + 2 if parts else 0)
        for paragraph in paragraphs:
            length += len(paragraph) + (2 if parts else 0)
            parts.append([paragraph])
    text = "\n\n".join("".join(pieces) for pieces in parts)
    resolved: list[int] = []
    following = len(text)
    for start in reversed(starts):
        following = following if start is None else start
        resolved.append(following)
    return text, resolved[::-1]


def _running_key(block: Block) -> str:
    """A short block's text with digits as ``#`` (running lines differ in their
    page numbers), or ``""`` for a block too long to be a header or footer."""
    if len(block.lines) > 2:
        return ""
    text = " ".join(normalise_spaces(line.text) for line in block.lines)
    if len(text) > 200:
        return ""
    return re.sub(r"\d+", "#", text)


def running_lines(pages: Sequence[Sequence[Block]]) -> frozenset[str]:
    """Running headers and footers: the same short text (page numbers aside)
    among the first two or last two boxes of at least half the pages (three at
    least). They are keys of :func:`_running_key`."""
    counts: dict[str, int] = {}
    for page in pages:
        edges = {_running_key(block) for block in (*page[:2], *page[-2:])}
        for key in edges - {""}:
            counts[key] = counts.get(key, 0) + 1
    needed = max(3, (len(pages) + 1) // 2)
    return frozenset(key for key, count in counts.items() if count >= needed)


def _without_page_numbers(page: Sequence[Block]) -> list[Block]:
    blocks = [block for block in page if any(line.text.strip() for line in block.lines)]
    if len(blocks) > 1:
        for index in (-1, 0):
            block = blocks[index]
            if all(is_page_number(line.text) for line in block.lines if line.text.strip()):
                del blocks[index]
                break
    return blocks


def _room_for_next_word(line: Line, block: Block, following: Line, text: str) -> bool | None:
    """Whether the first word of the next line would have fitted at the end of
    ``line`` (then ``line`` ended its paragraph: lines are filled greedily, so
    this holds for ragged-right as for justified text), or ``None`` when the
    lines have no measured widths. A word's width is estimated from its line's
    average character width."""
    if not (line.x1 > line.x0 and following.x1 > following.x0):
        return None
    per_char = (following.x1 - following.x0) / max(len(text), 1)
    word = len(text.split(" ", 1)[0])
    return line.x1 + per_char * (word + 1) <= block.x1 + 0.1 * per_char


def _indented(line: Line, following: Line, text: str) -> bool:
    """Whether ``following`` starts further right than ``line`` by more than
    a character's width: the first line of an indented paragraph (a line
    after a bullet item's first line, indented under its text, is not taken
    for one: the caller leaves items out)."""
    if not (line.x1 > line.x0 and following.x1 > following.x0):
        return False
    per_char = (following.x1 - following.x0) / max(len(text), 1)
    return following.x0 - line.x0 > 1.5 * per_char


def _page_paragraphs(blocks: Iterable[Block], known: frozenset[str]) -> Iterable[str]:
    for block in blocks:
        width = max(block.x1 - block.x0, 1.0)
        lines = [(line, text) for line in block.lines if (text := normalise_spaces(line.text))]
        current: list[str] = []
        for index, (line, text) in enumerate(lines):
            if current and starts_item(text):
                yield join_lines(current, known)
                current = []
            current.append(text)
            following = lines[index + 1][1][:1] if index + 1 < len(lines) else ""
            measured = line.x1 > line.x0
            length = (line.x1 - line.x0) / width if measured else 1.0
            tail = text[-64:]
            if tail.endswith("-") and _LAST_WORD.search(tail):
                continue
            if ends_sentence(text):
                room = _room_for_next_word(line, block, *lines[index + 1]) \
                    if index + 1 < len(lines) else None
                if (length < 0.85 if room is None else room or length < 0.6) or (
                        index + 1 < len(lines) and not starts_item(current[0])
                        and _indented(line, *lines[index + 1])):
                    yield join_lines(current, known)
                    current = []
                    continue
            if length < 0.6 and (following.isupper() or following.isdigit()):
                yield join_lines(current, known)
                current = []
        if current:
            yield join_lines(current, known)
