"""Search across the project: document text and titles, claims (quotes,
propositions, notes, tags) and sources, with filters; the analysts' claims, the
gold layer (review's claims) or both.

The query is any text (see :mod:`annotator.domain.search_query`). The index
(migrations 0005 and 0008) only narrows the candidates: on SQLite the FTS5
trigram tables, on PostgreSQL the GIN ``tsvector`` indexes. Each candidate is
then checked and its hits located in Python, so every result's ``start``/``end``
are code-point offsets into the document text where the hit is
(``text[start:end]`` is the matched text for a hit in the text or a quote; the
claim's span for a hit in its proposition, note, tags or source; 0, 0 for a hit
in the title or the document's source). Terms the index cannot look up (shorter
than three characters) are narrowed in SQL by plain substring search when they
have no case (CJK, digits); otherwise, a project without the index, or a team
server's CJK text, the candidates are read through.

At scale (``python -m tests.bench.search_scale``) the work stays proportional
to what is shown: documents are listed by id and title only and their text read
a batch at a time until ``limit`` results are found; claims are read for a batch
of documents in one query; claim filters (analyst, label, source, layer) narrow
the documents in SQL before any text is read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import text as sql

from annotator.domain.search_query import INDEXED_LENGTH, SearchQuery
from annotator.storage.database import TRIGRAM_SQLITE, Database

CONTEXT = 40                 # characters of context each side of a hit
HITS_PER_DOCUMENT = 100
DEFAULT_LIMIT = 500
_BATCH = 200
_DOCUMENT_BATCH = 40         # documents whose text is read at a time
_CLAIM_BATCH = 400           # ... whose wanted claims are read at a time (claim filters)
_LABELS = ("stance", "claim_type", "likelihood", "confidence")
#: Which claims a search covers: the analysts', the gold layer's, or both.
LAYERS = ("analysts", "gold", "all")
_TABLES = {"analysts": ("claims",), "gold": ("gold_claims",), "all": ("claims", "gold_claims")}
_KIND = {"claims": "analyst", "gold_claims": "gold"}
#: The FTS5 index of each table (SQLite).
_INDEX = {"documents": "search_documents", "claims": "search_claims",
          "gold_claims": "search_gold", "sources": "search_sources"}


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Empty means any. Labels, analysts and sources narrow to claims (a hit in the
    text counts when it lies in such a claim); statuses to documents; the dates
    (inclusive, UTC) to claims made, or documents imported, in the range. The
    layer chooses whose claims: the analysts' (default), the gold layer's
    (``gold``: only gold claims' hits, none in text outside them) or both."""

    #: Label keys (``supports``) or, to tell apart equal keys of two dimensions,
    #: ``dimension:key`` (``stance:supports``, ``claim_type:quantity``).
    labels: tuple[str, ...] = ()
    analysts: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()         # source ids or names
    statuses: tuple[str, ...] = ()        # new, in_progress, done
    since: date | None = None
    until: date | None = None
    layer: str = "analysts"               # analysts, gold, all

    def __post_init__(self) -> None:
        if self.layer not in LAYERS:
            raise ValueError(f"layer {self.layer!r}: not one of {', '.join(LAYERS)}")

    @property
    def on_claims(self) -> bool:
        return bool(self.labels or self.analysts or self.sources or self.layer == "gold")

    @property
    def tables(self) -> tuple[str, ...]:
        return _TABLES[self.layer]


@dataclass(frozen=True, slots=True)
class SearchResult:
    document_id: str
    document_title: str
    #: The claim (an analyst's, or a gold claim's id when ``kind`` is gold), or None.
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
    #: ``analyst`` (an analyst's claim, or no claim) or ``gold`` (a gold claim).
    kind: str = "analyst"

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
    kind: str = "analyst"

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


def _matches(patterns: Sequence[Any], *texts: str) -> bool:
    """Whether every term (its pattern) appears in one of ``texts``."""
    return all(any(pattern.search(text) for text in texts) for pattern in patterns)


def _caseless_short(query: SearchQuery) -> list[str]:
    """Terms the index cannot look up (no word of INDEXED_LENGTH characters) that
    have no case (CJK, digits, punctuation): SQL finds them as plain substrings."""
    return [term for term in query.terms
            if len(term) < INDEXED_LENGTH and not any(c.isspace() for c in term)
            and term == term.lower() == term.upper() == term.casefold()]


#: PostgreSQL: a claim's tags (a JSON list) as words.
_PG_TAGS = ("coalesce(CASE WHEN strpos({t}.tags::text, '\\') = 0 "
            "OR json_typeof({t}.tags) <> 'array' THEN {t}.tags::text ELSE (SELECT "
            "string_agg(value, ' ') FROM json_array_elements_text({t}.tags)) END, '')")
#: ASCII letters that ignoring case also match a character outside ASCII (İ ı, K, ſ).
_WIDE_LETTERS = str.maketrans({"i": "_", "k": "_", "s": "_"})


def _like_escaped(word: str) -> str:
    """``word`` for a LIKE pattern whose escape character is a backslash."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_word(term: str) -> str | None:
    """A LIKE pattern (escape ``\\``) every text the term matches, ignoring case,
    also matches: its longest word that SQL's LIKE compares without missing a
    case the term's pattern ignores (ASCII; or no case at all); None if none is."""
    for word in sorted(term.split(), key=len, reverse=True):
        if word.isascii() or word == word.lower() == word.upper() == word.casefold():
            return "%" + _like_escaped(word.lower()).translate(_WIDE_LETTERS) + "%"
    return None


def _expanding(statement: str, *names: str) -> Any:
    return sql(statement).bindparams(*(bindparam(name, expanding=True) for name in names))


class SearchService:
    def __init__(self, database: Database) -> None:
        self.database = database
        self._indexed = False
        self._server_words: set[str] = set()

    # The index -----------------------------------------------------------------

    def has_index(self) -> bool:
        with self.database.reading() as session:
            if self.database.is_sqlite:
                if sqlite3.sqlite_version_info < TRIGRAM_SQLITE:
                    return False            # this SQLite cannot read the index
                # The tables, kept in step by their triggers (see
                # database._unhook_search_index).
                return session.execute(sql(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('search_documents', "
                    "'search_documents_insert', 'search_claims_update', 'search_sources_delete', "
                    "'search_gold', 'search_gold_update')"
                )).scalar() == 6
            return session.execute(sql(
                "SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ('ix_documents_search', "
                "'ix_gold_claims_search')"
            )).scalar() == 2

    def _candidates(self, table: str, t: str, query: SearchQuery,
                    params: dict[str, Any]) -> list[str]:
        """SQL conditions narrowing ``table`` (as ``t``) to rows that may match (their
        parameters added to ``params``); none to read every row."""
        conditions = self._substrings(table, t, _caseless_short(query), params, "s")
        if not self._indexed:
            return conditions
        if self.database.is_sqlite:
            match = query.fts5()
            if match is None:
                return conditions
            params["match"] = match
            index = _INDEX[table]
            return [*conditions,
                    f"{t}.rowid IN (SELECT rowid FROM {index} WHERE {index} MATCH :match)"]
        return [*conditions, *self._postgres_candidates(table, t, query, params)]

    def _substrings(self, table: str, t: str, terms: Sequence[str],
                    params: dict[str, Any], prefix: str) -> list[str]:
        """Terms without case (``知事``), found as substrings of each column (tags
        also as the escapes JSON stores non-ASCII text with)."""
        find = "instr({field}, :{key}) > 0" if self.database.is_sqlite \
            else "strpos({field}, :{key}) > 0"
        tags = f"{t}.tags" if self.database.is_sqlite else f"{t}.tags::text"
        fields = {"documents": ("title", "source", "text"),
                  "sources": ("name", "note")}.get(table, ("proposition", "note"))
        conditions = []
        for n, term in enumerate(terms):
            key = f"{prefix}{n}"
            params[key] = term
            found = [find.format(field=f"coalesce({t}.{name}, '')", key=key) for name in fields]
            if table in _KIND:
                params[f"{key}j"] = json.dumps(term)[1:-1]
                found += [find.format(field=tags, key=key),
                          find.format(field=tags, key=f"{key}j")]
            conditions.append("(" + " OR ".join(found) + ")")
        return conditions

    def _postgres_candidates(self, table: str, t: str, query: SearchQuery,
                             params: dict[str, Any]) -> list[str]:
        """Team server: words found by the GIN tsvector index (a word typed matches
        words starting with it): ASCII words, and words of other alphabets where
        the server's text search reads them as words (see :meth:`_read_as_words`);
        words without case (CJK) as substrings; the others by ILIKE."""
        claims = ("coalesce({t}.proposition, '') || ' ' || coalesce({t}.note, '') || ' ' "
                  "|| coalesce({t}.tags::text, '')")
        expression = {
            "documents": "coalesce({t}.title, '') || ' ' || coalesce({t}.source, '') || ' ' "
                         "|| coalesce({t}.text, '')",
            "claims": claims, "gold_claims": claims,
            "sources": "coalesce({t}.name, '') || ' ' || coalesce({t}.note, '')"}[table]
        # ILIKE reads the tags as words: their JSON text escapes what is not ASCII.
        words = expression.replace("coalesce({t}.tags::text, '')", _PG_TAGS)
        expression, words = expression.replace("{t}", t), words.replace("{t}", t)
        conditions, caseless = [], []
        for n, word in enumerate(query.indexed_words()):
            key = f"w{n}"
            if word in self._server_words or \
                    (word.isascii() and word.replace("-", "").replace("'", "").isalnum()):
                params[key] = word
                condition = (f"to_tsvector('simple', {expression}) @@ "
                             f"to_tsquery('simple', quote_literal(:{key}) || ':*')")
                if table in _KIND and not word.isascii():     # tags' JSON escapes it
                    params[f"{key}t"] = "%" + _like_escaped(word) + "%"
                    condition = (f"({condition} OR {_PG_TAGS.replace('{t}', t)} "
                                 f"ILIKE :{key}t)")
                conditions.append(condition)
            elif word == word.lower() == word.upper() == word.casefold():
                caseless.append(word)
            else:
                params[key] = "%" + _like_escaped(word) + "%"
                conditions.append(f"({words}) ILIKE :{key}")
        return conditions + self._substrings(table, t, caseless, params, "p")

    def _read_as_words(self, session: Any, query: SearchQuery) -> set[str]:
        """PostgreSQL: the query's words of other alphabets than ASCII (Cyrillic,
        Greek, accented Latin) that the server's ``simple`` text search reads as
        one word, as Python lowercases it (so the GIN index finds them); on a
        server whose locale does not know those letters, none."""
        found = set()
        for word in query.indexed_words():
            if word.isascii() or not word.isalpha() or word.lower() == word.upper():
                continue
            lexemes = session.execute(sql("SELECT to_tsvector('simple', :w)::text"),
                                      {"w": word}).scalar()
            if lexemes == f"'{word.lower()}':1":
                found.add(word)
        return found

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
            self._server_words = (self._read_as_words(session, parsed)
                                  if self._indexed and not self.database.is_sqlite else set())
            found = [self._documents(session, parsed, filters)]
            found += [self._claim_fields(session, parsed, filters, table)
                      for table in filters.tables]
            found += [self._sources(session, parsed, filters, table) for table in filters.tables]
            for hits in found:
                for result in hits:
                    results.append(result)
                    if len(results) >= limit:
                        break
                if len(results) >= limit:
                    break
        order = ("title", "document source", "text", "quote", "proposition", "note", "tags",
                 "source")
        results.sort(key=lambda r: (r.document_title.casefold(), r.document_id, r.start,
                                    order.index(r.field), r.kind, r.claim_id or ""))
        return results

    def _rows(self, session: Any, statement: Any, params: dict[str, Any]) -> Iterator[Any]:
        result = session.execute(sql(statement) if isinstance(statement, str) else statement,
                                 params)
        while batch := result.fetchmany(_BATCH):
            yield from batch

    def _document_where(self, filters: SearchFilters, params: dict[str, Any]) -> list[str]:
        where = []
        if filters.statuses:
            names = [f"st{n}" for n in range(len(filters.statuses))]
            params.update(zip(names, filters.statuses, strict=True))
            where.append(f"d.status IN ({', '.join(':' + n for n in names)})")
        return where

    @staticmethod
    def _claim_where(t: str, filters: SearchFilters, params: dict[str, Any]) -> list[str]:
        """SQL conditions every claim passing :meth:`_claim_ok`'s label, analyst and
        source checks meets (Python still checks them, and the dates)."""
        where = []
        if filters.analysts:
            params["analysts"] = list(filters.analysts)
            where.append(f"{t}.annotator IN :analysts")
        if filters.labels:
            either = []
            for n, label in enumerate(filters.labels):
                params[f"label{n}"] = label
                either += [f"{t}.{dimension} = :label{n}" for dimension in _LABELS]
                dimension, _, key = label.partition(":")
                if dimension in _LABELS and key:
                    params[f"key{n}"] = key
                    either.append(f"{t}.{dimension} = :key{n}")
            where.append("(" + " OR ".join(either) + ")")
        if filters.sources:
            params["sources"] = list(filters.sources)
            where.append(f"({t}.source_id IN :sources OR {t}.source_id IN "
                         "(SELECT id FROM sources WHERE name IN :sources))")
        return where

    def _quote_where(self, t: str, query: SearchQuery, params: dict[str, Any]) -> list[str]:
        """A condition every claim whose quote has a match of a term meets (none
        when a term cannot be looked for so)."""
        words = [_like_word(term) for term in query.terms]
        if not words or None in words:
            return []
        like = "LIKE" if self.database.is_sqlite else "ILIKE"
        conditions = []
        for n, word in enumerate(words):
            params[f"q{n}"] = word
            conditions.append(f"{t}.quote {like} :q{n} ESCAPE '\\'")
        return ["(" + " OR ".join(conditions) + ")"]

    @staticmethod
    def _expanded(params: dict[str, Any]) -> list[str]:
        return [name for name in ("analysts", "sources", "ids") if name in params]

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
    def _claim(row: Any, kind: str = "analyst") -> _Claim:
        return _Claim(row[0], row[1], row[2], row[3], tuple(row[4:8]), row[8], row[9],
                      _stamp(row[10]), row[11] or "", row[12] or "", _tags(row[13]), kind)

    _SPAN_COLUMNS = ("c.id, c.start, c.\"end\", c.annotator, c.stance, c.claim_type, "
                     "c.likelihood, c.confidence, c.source_id, coalesce(s.name, ''), "
                     "c.created_at, c.document_id")

    @staticmethod
    def _spanning(row: Any, kind: str) -> _Claim:
        return _Claim(row[0], row[1], row[2], row[3], tuple(row[4:8]), row[8], row[9],
                      _stamp(row[10]), kind=kind)

    def _claims_of(self, session: Any, document_ids: Sequence[str], filters: SearchFilters,
                   query: SearchQuery | None = None,
                   patterns: Sequence[Any] = ()) -> dict[str, list[tuple[int, int, str, Any]]]:
        """The claims of these documents that may be wanted (all of them without
        claim filters; with ``patterns``, only those whose quote has a match, the
        only ones a hit can lie in): per document, (start, end, kind, row) in
        order; rows are made into claims only when a hit lies in them."""
        found: dict[str, list[tuple[int, int, str, Any]]] = {d: [] for d in document_ids}
        if not document_ids:
            return found
        for table in filters.tables:
            params: dict[str, Any] = {"ids": list(document_ids)}
            where = ["c.document_id IN :ids", *self._claim_where("c", filters, params)]
            if query is not None:
                where += self._quote_where("c", query, params)
            statement = _expanding(
                f"SELECT {self._SPAN_COLUMNS}{', c.quote' if patterns else ''} FROM {table} c "
                f"LEFT JOIN sources s ON s.id = c.source_id WHERE {' AND '.join(where)}",
                *self._expanded(params))
            kind = _KIND[table]
            for row in session.execute(statement, params):
                if not patterns or any(p.search(row[12]) for p in patterns):
                    found[row[11]].append((row[1], row[2], kind, row))
        for claims in found.values():
            claims.sort(key=lambda c: (c[0], c[2], c[3][0]))
        return found

    def _documents(self, session: Any, query: SearchQuery,
                   filters: SearchFilters) -> Iterator[SearchResult]:
        """Hits in documents, in title order: the ids first, then the text of a
        batch of documents at a time (reading stops once enough results are found).
        With claim filters, a document is read only when one of its wanted claims
        has a match in its quote."""
        params: dict[str, Any] = {}
        where = self._document_where(filters, params)
        where += self._candidates("documents", "d", query, params)
        listed = "documents d"
        if filters.on_claims:
            wanted = []
            for table in filters.tables:
                conditions = self._claim_where("c", filters, params)
                quotes = self._quote_where("c", query, params)
                if conditions and quotes:     # the cheap test first, the quotes after
                    conditions = [f"CASE WHEN {' AND '.join(conditions)} THEN {quotes[0]} "
                                  "ELSE false END"]
                else:
                    conditions += quotes
                wanted.append(f"d.id IN (SELECT c.document_id FROM {table} c"
                              + "".join((" WHERE ", " AND ")[n > 0] + condition
                                        for n, condition in enumerate(conditions)) + ")")
            if not self.database.is_sqlite and where:
                # The documents the index finds first: else PostgreSQL may go through
                # the claims and compute each document's tsvector again.
                listed = ("(WITH found AS MATERIALIZED (SELECT d.id, d.title FROM documents d "
                          f"WHERE {' AND '.join(where)}) SELECT * FROM found) d")
                where = []
            where.append("(" + " OR ".join(wanted) + ")")
        statement = _expanding(f"SELECT d.id FROM {listed}"
                               + (" WHERE " + " AND ".join(where) if where else "")
                               + " ORDER BY d.title, d.id", *self._expanded(params))
        ids = [row[0] for row in session.execute(statement, params)]
        read = _expanding("SELECT d.id, d.title, d.source, d.text, d.created_at "
                          "FROM documents d WHERE d.id IN :ids", "ids")
        patterns = query.patterns()
        size = _CLAIM_BATCH if filters.on_claims else _DOCUMENT_BATCH
        for first in range(0, len(ids), size):
            batch = ids[first:first + size]
            claims = None
            if filters.on_claims:
                claims = self._claims_of(session, batch, filters, query, patterns)
                batch = [document_id for document_id in batch if claims[document_id]]
                if not batch:
                    continue
            rows = {row[0]: row for row in session.execute(read, {"ids": batch})}
            found = []
            for document_id in batch:
                row = rows.get(document_id)
                if row is None or not _matches(patterns, row[1], row[2], row[3]):
                    continue
                spans = sorted({m.span() for p in patterns for m in p.finditer(row[3])
                                if m.end() > m.start()})
                found.append((row, spans))
            if claims is None:
                claims = self._claims_of(session, [row[0] for row, spans in found if spans],
                                         filters)
            for (doc_id, title, source, text, created), spans in found:
                yield from self._document_hits(
                    doc_id, title, source, text, _stamp(created), patterns, spans,
                    claims.get(doc_id, []), filters)

    def _document_hits(self, doc_id: str, title: str, source: str, text: str,
                       created: datetime, patterns: Iterable[Any],
                       spans: list[tuple[int, int]], claims: list[tuple[int, int, str, Any]],
                       filters: SearchFilters) -> Iterator[SearchResult]:
        if not filters.on_claims and self._in_dates(created, filters):
            for name, value in (("title", title), ("document source", source)):
                found = next((p.search(value) for p in patterns if p.search(value)), None)
                if found:
                    yield SearchResult(doc_id, title, None, name, 0, 0,
                                       *_snippet(value, *found.span()))
        count = 0
        made: dict[str, _Claim] = {}
        for start, end in spans:
            covering = [made.get(row[0]) or made.setdefault(row[0], self._spanning(row, kind))
                        for first, last, kind, row in claims if first <= start and end <= last]
            wanted = [c for c in covering if self._claim_ok(c, filters)]
            hits: list[tuple[str | None, str, str, str]] = [
                (c.id, "quote", c.annotator, c.kind) for c in wanted]
            if not covering and not filters.on_claims and self._in_dates(created, filters):
                hits.append((None, "text", "", "analyst"))
            for claim_id, name, analyst, kind in hits:
                yield SearchResult(doc_id, title, claim_id, name, start, end,
                                   *_snippet(text, start, end), analyst, kind)
                count += 1
            if count >= HITS_PER_DOCUMENT:
                return

    def _claim_fields(self, session: Any, query: SearchQuery, filters: SearchFilters,
                      table: str) -> Iterator[SearchResult]:
        params: dict[str, Any] = {}
        where = self._document_where(filters, params)
        where += self._candidates(table, "c", query, params)
        where += self._claim_where("c", filters, params)
        statement = _expanding(
            f"SELECT {self._CLAIM_COLUMNS}, d.id, d.title FROM {table} c "
            "JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN sources s ON s.id = c.source_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY d.title, c.start, c.id", *self._expanded(params))
        patterns = query.patterns()
        for row in self._rows(session, statement, params):
            claim = self._claim(row, _KIND[table])
            tags = " ".join(claim.tags)
            if not _matches(patterns, claim.proposition, claim.note, tags) \
                    or not self._claim_ok(claim, filters):
                continue
            for name, value in (("proposition", claim.proposition), ("note", claim.note),
                                ("tags", tags)):
                found = next((p.search(value) for p in patterns if p.search(value)), None)
                if found:
                    yield SearchResult(row[14], row[15], claim.id, name, claim.start,
                                       claim.end, *_snippet(value, *found.span()),
                                       claim.annotator, claim.kind)

    def _sources(self, session: Any, query: SearchQuery, filters: SearchFilters,
                 table: str) -> Iterator[SearchResult]:
        """A source found by its name or note: a result for each claim it makes."""
        params: dict[str, Any] = {}
        candidates = self._candidates("sources", "t", query, params)
        statement = ("SELECT t.id, t.name, t.note FROM sources t"
                     + (" WHERE " + " AND ".join(candidates) if candidates else "")
                     + " ORDER BY t.name")
        patterns = query.patterns()
        for source_id, name, note in list(self._rows(session, statement, params)):
            if not _matches(patterns, name, note or ""):
                continue
            value = f"{name} — {note}" if note else name
            found = next(p.search(value) for p in patterns if p.search(value))
            claim_params: dict[str, Any] = {"source": source_id}
            where = self._document_where(filters, claim_params)
            where += self._claim_where("c", filters, claim_params)
            statement = _expanding(
                f"SELECT {self._CLAIM_COLUMNS}, d.id, d.title FROM {table} c "
                "JOIN documents d ON d.id = c.document_id "
                "LEFT JOIN sources s ON s.id = c.source_id WHERE c.source_id = :source"
                + "".join(" AND " + w for w in where) + " ORDER BY d.title, c.start",
                *self._expanded(claim_params))
            for row in self._rows(session, statement, claim_params):
                claim = self._claim(row, _KIND[table])
                if self._claim_ok(claim, filters):
                    yield SearchResult(row[14], row[15], claim.id, "source", claim.start,
                                       claim.end, *_snippet(value, *found.span()),
                                       claim.annotator, claim.kind)
