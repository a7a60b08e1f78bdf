"""What an analyst types into a search box, made into safe terms (pure Python).

Any text is a query and none raises: there is no operator syntax. Words are
separated by spaces; text in double quotes is one phrase (an unbalanced quote
runs to the end). Every word or phrase must appear, as text, ignoring case:
``AND``, ``*``, ``%``, brackets and hyphens are searched for like any other
characters. Matching is by substring, so ``flat`` finds ``inflation`` and ``東京``
finds ``東京都知事``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY = 500          # characters of a query kept
MAX_TERMS = 16           # words and phrases kept
#: The full-text index (SQLite FTS5 trigram) finds terms of this many characters or more.
INDEXED_LENGTH = 3

_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        text = _DROPPED.sub("", text[:MAX_QUERY])
        terms: list[str] = []
        for n, part in enumerate(text.split('"')):
            if n % 2:                                   # inside quotes: a phrase
                phrase = " ".join(part.split())
                if phrase:
                    terms.append(phrase)
            else:
                terms.extend(part.split())
        unique = list(dict.fromkeys(terms))
        return cls(tuple(unique[:MAX_TERMS]))

    @property
    def empty(self) -> bool:
        return not self.terms

    def patterns(self) -> list[re.Pattern[str]]:
        """One pattern per term, matching it in text (ignoring case; a phrase's
        spaces match any run of white space, line breaks included)."""
        return [re.compile(r"\s+".join(re.escape(word) for word in term.split()),
                           re.IGNORECASE) for term in self.terms]

    def indexed_words(self) -> list[str]:
        """The words the index can look up (each of ``INDEXED_LENGTH`` characters or more)."""
        words = (word for term in self.terms for word in term.split())
        return list(dict.fromkeys(w for w in words if len(w) >= INDEXED_LENGTH))

    def fts5(self) -> str | None:
        """An SQLite FTS5 MATCH expression that no text can break: each word a
        double-quoted string (inner quotes doubled), all of them required.
        None when no word is long enough for the index (the caller scans)."""
        words = self.indexed_words()
        if not words:
            return None
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)

    def matches(self, *texts: str) -> bool:
        """Whether every term appears in one of ``texts``."""
        return all(any(pattern.search(text) for text in texts) for pattern in self.patterns())
