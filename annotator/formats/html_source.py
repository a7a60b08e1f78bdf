"""A web page's source made safe and faithful for libxml2's HTML parser, which
reads HTML 4: what :mod:`annotator.formats.webpage` parses is the page after
:func:`prepare_source`, and the tree it gets is mended by :func:`unwrap_voids`.

* The XML declaration and the document type declaration are taken out, the
  latter with its internal subset (``<!DOCTYPE html PUBLIC … [ <!ENTITY % rem
  "…"> %rem; ]>``), which the HTML parser does not know and would leave in the
  text as ``%rem; ]>``. Entities declared there are never expanded: ``&name;``
  stays as written, and nothing a declaration names (``SYSTEM "file:…"``) is
  read.
* HTML5 void elements libxml2 does not know as empty (``embed``, ``source``,
  ``track``, ``wbr``, ``keygen`` …) are written self-closed, so that they hold
  nothing: the parser would otherwise put everything after them, up to the end
  of their parent, inside them (and a dropped ``<embed>`` took it along), and
  nest each ``<wbr>`` of a paragraph in the one before, up to its depth limit.

Both keep the page's line numbers, so the parser's messages still point at
the right line. Every pattern here runs in time linear in the page's length.
"""

from __future__ import annotations

import re
from typing import Any

#: HTML's void elements (and obsolete ones parsed the same way by browsers):
#: they never hold text or elements.
VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "keygen", "command", "basefont", "bgsound", "frame", "image",
    "isindex",
})

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: What may come before the document type declaration: white space, comments,
#: processing instructions.
_PROLOGUE = re.compile(r"(?:\s+|<!--.*?-->|<\?[^>]*>)*", re.DOTALL)
_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
#: Characters of an internal subset that neither quote, start a comment nor end it.
_SUBSET_PLAIN = re.compile(r"[^\"'<\]]+")

#: A comment or a raw-text element (their content is not markup, so a void
#: element's name inside is left alone), or a void element's start tag. A tag
#: with ``<`` or ``>`` inside a quoted attribute value does not match; it is left
#: to :func:`unwrap_voids`. Every alternative is unambiguous, and each attempt
#: at a tag stops at the next ``<`` or ``>``, so a page full of unclosed tags is
#: still read in linear time.
_TAGS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)(?=[\s/>])[^<>]*>"
    r".*?(?:</\1\s*>|\Z)"
    r"|<(" + "|".join(sorted(VOID_ELEMENTS)) + r")(?=[\s/>])"
    r"""((?:[^<>"'/]|/(?!>)|"[^"<>]*"|'[^'<>]*')*)/?>""",
    re.IGNORECASE | re.DOTALL)


def prepare_source(text: str) -> str:
    """``text`` without its XML and document type declarations, void elements
    self-closed; the same number of lines."""
    text = _XML_DECLARATION.sub(_blank, text, count=1)
    text = _without_doctype(text)
    return _TAGS.sub(_close_void, text)


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def _without_doctype(text: str) -> str:
    start = _PROLOGUE.match(text).end()
    if not _DOCTYPE.match(text, start):
        return text
    end = _doctype_end(text, start)
    return text[:start] + "\n" * text.count("\n", start, end) + text[end:]


def _doctype_end(text: str, start: int) -> int:
    """Where the declaration at ``start`` ends: after its ``>``, past quoted
    identifiers and an internal subset in ``[…]`` (with its quoted values and
    comments). One not closed that way ends at its first ``>``, as a browser
    reads it."""
    first = text.find(">", start)
    first = len(text) if first < 0 else first + 1
    position = start + len("<!DOCTYPE")
    while position < len(text):
        char = text[position]
        if char == ">":
            return position + 1
        if char in "\"'":
            close = text.find(char, position + 1)
            if close < 0 or position < first - 1 < close:     # a '>' in an identifier
                return first
            position = close + 1
        elif char == "[":
            position = _subset_end(text, position + 1)
            if position < 0:
                return first
        else:
            position += 1
    return first


def _subset_end(text: str, position: int) -> int:
    """Just past the ``]`` closing the internal subset that starts at
    ``position``, or -1 when it is never closed."""
    while position < len(text):
        plain = _SUBSET_PLAIN.match(text, position)
        if plain is not None:
            position = plain.end()
            continue
        char = text[position]
        if char == "]":
            return position + 1
        if char in "\"'":
            close = text.find(char, position + 1)
        elif text.startswith("<!--", position):
            close = text.find("-->", position + 4) + 2
        else:
            close = position                # a '<' of a declaration
        if close < position:
            return -1
        position = close + 1
    return -1


def _close_void(match: re.Match[str]) -> str:
    name = match.group(2)
    if name is None:
        return match.group(0)        # a comment or raw text: as it is
    return f"<{name}{match.group(3).rstrip()} />"


def unwrap_voids(root: Any) -> None:
    """Move whatever the parser put inside a void element (one whose start tag
    :func:`prepare_source` could not rewrite) out to just after it, in order."""
    for element in list(root.iter(*VOID_ELEMENTS)):
        if element.text is None and not len(element):
            continue
        after = element.tail or ""
        element.tail, element.text = element.text, None
        anchor = element
        for child in list(element):
            anchor.addnext(child)
            anchor = child
        anchor.tail = ((anchor.tail or "") + after) or None
