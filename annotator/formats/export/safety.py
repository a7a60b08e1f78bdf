"""What every export checks at the door, whatever its format.

- A claim is exported only when its stored quote is the document's text at its
  offsets (``text[start:end] == quote``, the promise every format makes). A
  claim that breaks it (a bug in an edit path, a damaged or hand-edited
  project) is refused: left out and reported as a :class:`RefusedClaim`.
- Documents carry where they came from by file name only: absolute local
  paths (``origin``, ``metadata.original_path``, a ``file:`` URL) would tell
  whoever reads the dataset the analyst's user name and folders. The analyst
  may ask for them (:func:`without_paths` is then not applied).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

#: How much of a quote a message shows.
_SHOWN = 60
#: An absolute local path: POSIX (``/…``, ``~/…``), Windows (``C:\\…``, ``C:/…``)
#: or a network share (``\\\\server\\…``).
_ABSOLUTE = re.compile(r"^(?:/|~[/\\]|[A-Za-z]:[/\\]|\\\\)")
#: The document fields and metadata keys that can hold where a file was read.
_DOCUMENT_PLACES = ("origin", "source")
_METADATA_PLACES = ("original_path", "canonical_url")


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= _SHOWN else flat[:_SHOWN] + "…")


@dataclass(frozen=True, slots=True)
class RefusedClaim:
    """A claim left out of an export because its stored quote is not the text
    its offsets point at."""

    id: str
    document_id: str
    start: int
    end: int
    #: The quote stored with the claim.
    quote: str
    #: What the document's text holds at ``[start, end)``.
    found: str

    def __str__(self) -> str:
        return (f"claim {self.id} (document {self.document_id}) was not exported: its "
                f"quote {_short(self.quote)} is not the text at [{self.start}, {self.end}) "
                f"({_short(self.found)})")


def check_quote(claim_id: str, document_id: str, text: str, start: int, end: int,
                quote: str) -> RefusedClaim | None:
    """The refusal of a claim whose ``quote`` is not ``text[start:end]`` (None
    when it is: the claim may be exported)."""
    found = text[start:end] if 0 <= start < end <= len(text) else ""
    if found == quote and found:
        return None
    return RefusedClaim(claim_id, document_id, start, end, quote, found)


#: What XML 1.0 cannot hold: control characters but tab and line ends, lone
#: surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold (a form feed, a
    vertical tab) as U+FFFD: one BMP character for another, so no offset moves,
    in code points or in UTF-16 units."""
    return _NOT_XML.sub("\ufffd", text)


def file_name(place: str) -> str:
    """``place`` without the folders when it is a local path or a ``file:`` URL
    (``/home/ana/memo.pdf`` → ``memo.pdf``); a web address or a bare name as it is."""
    if place[:5].lower() == "file:":
        place = unquote(urlsplit(place).path) or place[5:]
    elif not _ABSOLUTE.match(place):
        return place
    return re.split(r"[/\\]", place.rstrip("/\\"))[-1]


def without_paths(document: dict[str, Any]) -> dict[str, Any]:
    """A document record with every local path it carries cut to the file name."""
    changed = {name: file_name(value) for name in _DOCUMENT_PLACES
               if isinstance(value := document.get(name), str) and file_name(value) != value}
    metadata = document.get("metadata")
    if isinstance(metadata, dict):
        cut = {key: file_name(value) for key in _METADATA_PLACES
               if isinstance(value := metadata.get(key), str) and file_name(value) != value}
        if cut:
            changed["metadata"] = {**metadata, **cut}
    return {**document, **changed} if changed else document
