"""Search across the project: document text and titles, claims (quotes,
propositions, notes, tags) and sources, with filters.

The query is any text (see :mod:`annotator.domain.search_query`). The index
(migration 0005) only narrows the candidates: on SQLite the FTS5 trigram
tables, on PostgreSQL the GIN ``tsvector`` indexes. Each candidate is then
checked and its hits located in Python, so every result's ``start``/``end`` are
code-point offsets into the document text where the hit is (``text[start:end]``
is the matched text for a hit in the text or a quote; the claim's span for a hit
in its proposition, note, tags or source; 0, 0 for a hit in the title or the
document's source). Terms the index cannot look up (shorter than three
characters), a project without the index, or a team server's CJK text fall back
to reading the candidates through.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import text as sql

from annotator.domain.search_query import SearchQuery
from annotator.storage.database import TRIGRAM_SQLITE, Database

CONTEXT = 40                 # characters of context each side of a hit
HITS_PER_DOCUMENT = 100
DEFAULT_LIMIT = 500
_BATCH = 200
_LABELS = ("stance", "claim_type", "likelihood", "confidence")


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Empty means any. Labels, analysts and sources narrow to claims (a hit in the
    text counts when it lies in such a claim); statuses to documents; the dates
    (inclusive, UTC) to claims made, or documents imported, in the range."""

    #: Label keys (``supports``) or, to tell apart equal keys of two dimensions,
    #: ``dimension:key`` (``stance:supports``, ``claim_type:quantity``).
    labels: tuple[str, ...] = ()
    analysts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()         # source ids or names
    statuses: tuple[str, ...] = ()        # new, in_progress, done
    since: date | None = None
    until: date | None = None

    @property
    def on_claims(self) -> bool:
        return bool(self.labels or self.analysts or self.sources)


@dataclass(frozen=True, slots=True)
class SearchResult:
    document_id: str
    document_title: str
    claim_id: str | None
    #: Where the hit is: text, title, document source, quote, proposition, note,
    #: tags, source.
    field: str
    start: int
    end: int
    #: The hit with up to CONTEXT characters each side, line breaks as spaces;
    #: the hit is snippet[hit_start:hit_end].
    snippet: str
    hit_start: int
    hit_end: int
    analyst: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class _Claim:
    id: str
    start: int
    end: int
    annotator: str
    labels: tuple[str | None, ...]
    source_id: str | None
    source_name: str
    created: datetime
    proposition: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)

    def label_names(self) -> set[str]:
        keys = [(dimension, key) for dimension, key in zip(_LABELS, self.labels, strict=True)
                if key is not None]
        return {key for _, key in keys} | {f"{dimension}:{key}" for dimension, key in keys}


def _snippet(text: str, start: int, end: int) -> tuple[str, int, int]:
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    piece = text[left:right]
    piece = piece.translate({ord(c): " " for c in "\n\r\t\v\f\u2028\u2029"})
    return piece, start - left, end - left


def _stamp(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _tags(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(tag) for tag in value]
    try:
        loaded = json.loads(value) if value else []
    except (TypeError, ValueError):
        return [str(value)]
    return [str(tag) for tag in loaded] if isinstance(loaded, list) else [str(loaded)]


class SearchService:
    def __init__(self, database: Database) -> None:
        self.database = database

    # The index -----------------------------------------------------------------

    def has_index(self) -> bool:
        with self.database.reading() as session:
            if self.database.is_sqlite:
                if sqlite3.sqlite_version_info < TRIGRAM_SQLITE:
                    return False            # this SQLite cannot read the index
                # The table, kept in step by its triggers (see database._unhook_search_index).
                return session.execute(sql(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('search_documents', "
                    "'search_documents_insert', 'search_claims_update', 'search_sources_delete')"
                )).scalar() == 4
            return session.execute(sql(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'ix_documents_search'"
            )).scalar() == 1

    def _candidates(self, table: str, t: str, query: SearchQuery,
                    params: dict[str, Any]) -> str:
        """SQL narrowing ``table`` (as ``t``) to rows that may match (its
        parameters added to ``params``), or '' to read every row."""
        if not self._indexed:
            return ""
        if self.database.is_sqlite:
            match = query.fts5()
            if match is None:
                return ""
            params["match"] = match
            return (f"{t}.rowid IN (SELECT rowid FROM search_{table} "
                    f"WHERE search_{table} MATCH :match)")
        return self._postgres_candidates(table, t, query, params)

    @staticmethod
    def _postgres_candidates(table: str, t: str, query: SearchQuery,
                             params: dict[str, Any]) -> str:
        """Team server: whole words found by the GIN tsvector index (a word typed
        matches words starting with it); other terms by ILIKE."""
        expression = {
            "documents": "coalesce({t}.title, '') || ' ' || coalesce({t}.source, '') || ' ' "
                         "|| coalesce({t}.text, '')",
            "claims": "coalesce({t}.proposition, '') || ' ' || coalesce({t}.note, '') || ' ' "
                      "|| coalesce({t}.tags::text, '')",
            "sources": "coalesce({t}.name, '') || ' ' || coalesce({t}.note, '')"}[table]
        expression = expression.replace("{t}", t)
        conditions = []
        for n, word in enumerate(query.indexed_words()):
            key = f"w{n}"
            if word.isascii() and word.replace("-", "").replace("'", "").isalnum():
                params[key] = word
                conditions.append(f"to_tsvector('simple', {expression}) @@ "
                                  f"to_tsquery('simple', quote_literal(:{key}) || ':*')")
            else:
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                params[key] = f"%{escaped}%"
                conditions.append(f"({expression}) ILIKE :{key}")
        return " AND ".join(conditions)

    # Searching -----------------------------------------------------------------

    def search(self, query: str | SearchQuery, filters: SearchFilters | None = None, *,
               limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
        parsed = query if isinstance(query, SearchQuery) else SearchQuery.parse(query)
        filters = filters or SearchFilters()
        if parsed.empty:
            return []
        self._indexed = self.has_index()
        results: list[SearchResult] = []
        with self.database.reading() as session:
            for found in (self._documents(session, parsed, filters),
                          self._claim_fields(session, parsed, filters),
                          self._sources(session, parsed, filters)):
                for result in found:
                    results.append(result)
                    if len(results) >= limit:
                        break
                if len(results) >= limit:
                    break
        order = ("title", "document source", "text", "quote", "proposition", "note", "tags",
                 "source")
        results.sort(key=lambda r: (r.document_title.casefold(), r.document_id, r.start,
                                    order.index(r.field), r.claim_id or ""))
        return results

    def _rows(self, session: Any, statement: str, params: dict[str, Any]) -> Iterator[Any]:
        result = session.execute(sql(statement), params)
        while batch := result.fetchmany(_BATCH):
            yield from batch

    def _document_where(self, filters: SearchFilters, params: dict[str, Any]) -> list[str]:
        where = []
        if filters.statuses:
            names = [f"st{n}" for n in range(len(filters.statuses))]
            params.update(zip(names, filters.statuses, strict=True))
            where.append(f"d.status IN ({', '.join(':' + n for n in names)})")
        return where

    def _in_dates(self, moment: datetime, filters: SearchFilters) -> bool:
        day = moment.date()
        return ((filters.since is None or day >= filters.since)
                and (filters.until is None or day <= filters.until))

    def _claim_ok(self, claim: _Claim, filters: SearchFilters) -> bool:
        if filters.labels and not set(filters.labels) & claim.label_names():
            return False
        if filters.analysts and claim.annotator not in filters.analysts:
            return False
        if filters.sources and not {claim.source_id, claim.source_name} & set(filters.sources):
            return False
        return self._in_dates(claim.created, filters)

    _CLAIM_COLUMNS = ("c.id, c.start, c.\"end\", c.annotator, c.stance, c.claim_type, "
                      "c.likelihood, c.confidence, c.source_id, coalesce(s.name, ''), "
                      "c.created_at, c.proposition, c.note, c.tags")

    @staticmethod
    def _claim(row: Any) -> _Claim:
        return _Claim(row[0], row[1], row[2], row[3], tuple(row[4:8]), row[8], row[9],
                      _stamp(row[10]), row[11] or "", row[12] or "", _tags(row[13]))

    def _document_claims(self, session: Any, document_id: str) -> list[_Claim]:
        rows = session.execute(sql(
            f"SELECT {self._CLAIM_COLUMNS} FROM claims c LEFT JOIN sources s "
            "ON s.id = c.source_id WHERE c.document_id = :d ORDER BY c.start, c.id"),
            {"d": document_id})
        return [self._claim(row) for row in rows]

    def _documents(self, session: Any, query: SearchQuery,
                   filters: SearchFilters) -> Iterator[SearchResult]:
        params: dict[str, Any] = {}
        where = self._document_where(filters, params)
        if candidates := self._candidates("documents", "d", query, params):
            where.append(candidates)
        statement = ("SELECT d.id, d.title, d.source, d.text, d.created_at FROM documents d"
                     + (" WHERE " + " AND ".join(where) if where else "")
                     + " ORDER BY d.title, d.id")
        patterns = query.patterns()
        for doc_id, title, source, text, created in self._rows(session, statement,
                                                                params):
            if not query.matches(title, source, text):
                continue
            yield from self._document_hits(session, doc_id, title, source, text,
                                           _stamp(created), patterns, filters)

    def _document_hits(self, session: Any, doc_id: str, title: str, source: str, text: str,
                       created: datetime, patterns: Iterable[Any],
                       filters: SearchFilters) -> Iterator[SearchResult]:
        if not filters.on_claims and self._in_dates(created, filters):
            for name, value in (("title", title), ("document source", source)):
                found = next((p.search(value) for p in patterns if p.search(value)), None)
                if found:
                    yield SearchResult(doc_id, title, None, name, 0, 0,
                                       *_snippet(value, *found.span()))
        spans = sorted({m.span() for p in patterns for m in p.finditer(text)
                        if m.end() > m.start()})
        if not spans:
            return
        claims = self._document_claims(session, doc_id)
        count = 0
        for start, end in spans:
            covering = [c for c in claims if c.start <= start and end <= c.end]
            wanted = [c for c in covering if self._claim_ok(c, filters)]
            hits: list[tuple[str | None, str, str]] = [(c.id, "quote", c.annotator)
                                                       for c in wanted]
            if not covering and not filters.on_claims and self._in_dates(created, filters):
                hits.append((None, "text", ""))
            for claim_id, name, analyst in hits:
                yield SearchResult(doc_id, title, claim_id, name, start, end,
                                   *_snippet(text, start, end), analyst)
                count += 1
            if count >= HITS_PER_DOCUMENT:
                return

    def _claim_fields(self, session: Any, query: SearchQuery,
                      filters: SearchFilters) -> Iterator[SearchResult]:
        params: dict[str, Any] = {}
        where = self._document_where(filters, params)
        if candidates := self._candidates("claims", "c", query, params):
            where.append(candidates)
        statement = (f"SELECT {self._CLAIM_COLUMNS}, d.id, d.title FROM claims c "
                     "JOIN documents d ON d.id = c.document_id "
                     "LEFT JOIN sources s ON s.id = c.source_id"
                     + (" WHERE " + " AND ".join(where) if where else "")
                     + " ORDER BY d.title, c.start, c.id")
        patterns = query.patterns()
        for row in self._rows(session, statement, params):
            claim = self._claim(row)
            tags = " ".join(claim.tags)
            if not query.matches(claim.proposition, claim.note, tags) \
                    or not self._claim_ok(claim, filters):
                continue
            for name, value in (("proposition", claim.proposition), ("note", claim.note),
                                ("tags", tags)):
                found = next((p.search(value) for p in patterns if p.search(value)), None)
                if found:
                    yield SearchResult(row[14], row[15], claim.id, name, claim.start,
                                       claim.end, *_snippet(value, *found.span()),
                                       claim.annotator)

    def _sources(self, session: Any, query: SearchQuery,
                 filters: SearchFilters) -> Iterator[SearchResult]:
        """A source found by its name or note: a result for each claim it makes."""
        params: dict[str, Any] = {}
        candidates = self._candidates("sources", "t", query, params)
        statement = ("SELECT t.id, t.name, t.note FROM sources t"
                     + (f" WHERE {candidates}" if candidates else "") + " ORDER BY t.name")
        patterns = query.patterns()
        for source_id, name, note in list(self._rows(session, statement, params)):
            if not query.matches(name, note or ""):
                continue
            value = f"{name} — {note}" if note else name
            found = next(p.search(value) for p in patterns if p.search(value))
            claim_params: dict[str, Any] = {"source": source_id}
            where = self._document_where(filters, claim_params)
            statement = (f"SELECT {self._CLAIM_COLUMNS}, d.id, d.title FROM claims c "
                         "JOIN documents d ON d.id = c.document_id "
                         "LEFT JOIN sources s ON s.id = c.source_id WHERE c.source_id = :source"
                         + "".join(" AND " + w for w in where) + " ORDER BY d.title, c.start")
            for row in self._rows(session, statement, claim_params):
                claim = self._claim(row)
                if self._claim_ok(claim, filters):
                    yield SearchResult(row[14], row[15], claim.id, "source", claim.start,
                                       claim.end, *_snippet(value, *found.span()),
                                       claim.annotator)
