"""The same claim elsewhere: passages in other documents that state what a claim
states, ranked best first.

API (stable; the claim-links panel and ``annotator similar`` use it):

* :func:`candidates` ``(service_or_database, claim_id, limit=10, *, analyst=None,
  annotators=None) -> list[Candidate]``: existing claims and unlabelled
  sentences in other documents, best first. Raises
  :class:`~annotator.services.project.NotFoundError` for an unknown claim.
* :func:`dismiss` / :func:`undismiss` ``(service_or_database, claim_id,
  document_id, start, end, *, analyst="")``: the analyst says a candidate does
  not state the claim (stored at once, never suggested again for that claim, for
  anyone) or takes that back. :func:`dismissals` lists them for a claim.
* :func:`conflicts` ``(items)``: figures that disagree across (id, text) items
  (:func:`annotator.domain.figures.conflicting_figures`); :func:`claim_conflicts`
  ``(service_or_database, claim_ids)`` the same for stored claims' quotes, keyed by
  claim id.

How: the claim's quote (and proposition) is scored against passages by
:class:`annotator.domain.similarity.ClaimText` (words in any script, figures
normalised, names across scripts). The project's full-text index (migration
0005: FTS5 trigram on SQLite, GIN ``tsvector`` on PostgreSQL) narrows the
documents first, ranked by how many of the claim's rarer words they hold (FTS5's
bm25; on PostgreSQL each word's documents weighed by its rarity), to
:data:`DOCUMENTS`; without the index every document is read. Documents that
are versions of the claim's document are not "elsewhere" and are left out.

What the analyst may see: with ``annotators`` only those analysts' claims (and
claims with no name) are candidates; on a document *blind* for ``analyst``
(assigned to them and to another analyst, not all of them done) only their own
claims are (with no ``analyst``: on every document so assigned, no named claims).
Text is never hidden: a sentence under a hidden claim is offered as unlabelled
text. Claims already linked to the claim (any relation, either way: confirmed)
are not offered again, nor is their span as text. A sentence that overlaps
claims the analyst may see is offered as the one covering most of it (its span
and quote, the better of the sentence's and the quote's score); the other claims
there are scored on their own quotes.
"""

from __future__ import annotations

import math
import re
import sqlite3
import uuid
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy import text as sql

from annotator.domain.figures import Conflict, conflicting_figures
from annotator.domain.model import utc_now
from annotator.domain.similarity import (
    AliasTable,
    ClaimText,
    PreparedText,
    alias_probes,
    rarity,
)
from annotator.services.project import NotFoundError
from annotator.storage.database import TRIGRAM_SQLITE, Database
from annotator.storage.models import CandidateDismissalRow

#: How many documents the index narrows the search to.
DOCUMENTS = 40
#: How many of the claim's words (rarest first) the index looks for.
TERMS = 12
#: How many documents are read for names given in two scripts.
ALIAS_DOCUMENTS = 20
#: Candidates scoring less are not offered.
MIN_SCORE = 0.1
#: Added to a claim's score when it has the same proposition.
SAME_PROPOSITION = 0.25
DEFAULT_LIMIT = 10

__all__ = ["Candidate", "Conflict", "Dismissal", "candidates", "claim_conflicts",
           "conflicts", "dismiss", "dismissals", "undismiss"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage that may state the claim: ``text[start:end] == quote`` in document
    ``document_id`` (code points); ``claim_id`` is the existing claim there, None
    for unlabelled text. ``score`` is 0..1, higher is closer."""

    document_id: str
    start: int
    end: int
    quote: str
    score: float
    claim_id: str | None
    reasons: tuple[str, ...] = ()
    document_title: str = ""
    #: The analyst of the existing claim ("" for unlabelled text).
    analyst: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["reasons"] = list(self.reasons)
        return data


@dataclass(frozen=True, slots=True)
class Dismissal:
    claim_id: str
    document_id: str
    start: int
    end: int
    analyst: str


def conflicts(items: Iterable[tuple[Any, str]]) -> list[Conflict]:
    """Figures that disagree across (id, text) items; see
    :func:`annotator.domain.figures.conflicting_figures`."""
    return conflicting_figures(items)


def claim_conflicts(target: Any, claim_ids: Iterable[str]) -> list[Conflict]:
    """Figures that disagree among the quotes of these claims (a cluster, the
    claims of a proposition), each side keyed by its claim id; claims that are
    gone are left out. Order: the ids' order, then text order."""
    ids = list(dict.fromkeys(claim_ids))
    quotes: dict[str, str] = {}
    with _database(target).reading() as session:
        for at in range(0, len(ids), 200):
            names = {f"c{n}": value for n, value in enumerate(ids[at:at + 200])}
            marks = ", ".join(":" + name for name in names)
            quotes.update(session.execute(sql(
                f"SELECT id, quote FROM claims WHERE id IN ({marks})"), names).all())
    return conflicting_figures([(claim_id, quotes[claim_id]) for claim_id in ids
                                if claim_id in quotes])


def _database(target: Any) -> Database:
    return target if isinstance(target, Database) else target.database


@dataclass(slots=True)
class _Claim:
    id: str
    document_id: str
    start: int
    end: int
    quote: str
    proposition: str
    annotator: str


# Dismissals ---------------------------------------------------------------------

def dismiss(target: Any, claim_id: str, document_id: str, start: int, end: int, *,
            analyst: str = "") -> bool:
    """Remember that the passage does not state the claim; False when it was
    already dismissed. Committed at once."""
    database = _database(target)
    with database.writing() as session:
        found = session.scalar(select(CandidateDismissalRow.id).where(
            CandidateDismissalRow.claim_id == claim_id,
            CandidateDismissalRow.document_id == document_id,
            CandidateDismissalRow.start == start, CandidateDismissalRow.end == end))
        if found is not None:
            return False
        session.add(CandidateDismissalRow(id=str(uuid.uuid4()), claim_id=claim_id,
                                          document_id=document_id, start=start, end=end,
                                          analyst=analyst, created_at=utc_now()))
    return True


def undismiss(target: Any, claim_id: str, document_id: str, start: int, end: int) -> bool:
    """Offer the passage again; False when it was not dismissed."""
    with _database(target).writing() as session:
        result = session.execute(delete(CandidateDismissalRow).where(
            CandidateDismissalRow.claim_id == claim_id,
            CandidateDismissalRow.document_id == document_id,
            CandidateDismissalRow.start == start, CandidateDismissalRow.end == end))
        return bool(result.rowcount)


def dismissals(target: Any, claim_id: str) -> list[Dismissal]:
    """The passages dismissed for a claim, in document and text order."""
    with _database(target).reading() as session:
        rows = session.execute(select(
            CandidateDismissalRow.claim_id, CandidateDismissalRow.document_id,
            CandidateDismissalRow.start, CandidateDismissalRow.end,
            CandidateDismissalRow.analyst).where(CandidateDismissalRow.claim_id == claim_id)
            .order_by(CandidateDismissalRow.document_id, CandidateDismissalRow.start))
        return [Dismissal(*row) for row in rows]


# Candidates ---------------------------------------------------------------------

def candidates(target: Any, claim_id: str, limit: int = DEFAULT_LIMIT, *,
               analyst: str | None = None,
               annotators: Collection[str] | None = None) -> list[Candidate]:
    """Passages in other documents that may state claim ``claim_id``, best first
    (ties: document id, then start), at most ``limit``; [] when none scores
    :data:`MIN_SCORE` or more. See the module's notes for what is offered."""
    database = _database(target)
    with database.reading() as session:
        claim = _read_claim(session, claim_id)
        own_text = session.execute(sql("SELECT text FROM documents WHERE id = :d"),
                                   {"d": claim.document_id}).scalar() or ""
        versions = _versions(session, claim.document_id)
        aliases = AliasTable.from_texts([own_text])
        for text in _alias_texts(database, session, claim.quote):
            aliases.add_text(text)
        wording = claim.quote if not claim.proposition else \
            f"{claim.quote}\n{claim.proposition}"
        terms = ClaimText(wording, aliases=aliases).search_terms()[:TERMS]
        documents = _narrowed(database, session, terms, versions)
        documents.update(_same_proposition(session, claim, versions))
        documents.pop(claim.document_id, None)
        ids = sorted(documents)
        claims = _claims_of(session, ids, claim.id)
        hidden = _blind(session, ids, analyst)
        linked = set(session.execute(sql(
            "SELECT target_id FROM claim_links WHERE claim_id = :c UNION "
            "SELECT claim_id FROM claim_links WHERE target_id = :c"), {"c": claim.id}).scalars())
        dismissed = {(row[0], row[1], row[2]) for row in session.execute(sql(
            'SELECT document_id, start, "end" FROM candidate_dismissals '
            "WHERE claim_id = :c"), {"c": claim.id})}
    visible = [c for c in claims if _may_see(c, hidden, analyst, annotators)]
    for _title, text in documents.values():
        aliases.add_text(text)
    return _rank(claim, wording, documents, visible, aliases, dismissed | {
        (c.document_id, c.start, c.end, c.id) for c in visible if c.id in linked}, limit)


def _read_claim(session: Any, claim_id: str) -> _Claim:
    row = session.execute(sql(
        'SELECT id, document_id, start, "end", quote, proposition, annotator FROM claims '
        "WHERE id = :c"), {"c": claim_id}).first()
    if row is None:
        raise NotFoundError(f"no claim {claim_id}")
    return _Claim(row[0], row[1], row[2], row[3], row[4], row[5] or "", row[6] or "")


def _versions(session: Any, document_id: str) -> set[str]:
    """The document and its earlier and later versions."""
    found = {document_id}
    frontier = {document_id}
    while frontier:
        names = {f"v{n}": value for n, value in enumerate(sorted(frontier))}
        marks = ", ".join(":" + name for name in names)
        rows = session.execute(sql(
            f"SELECT id, previous_id FROM documents WHERE id IN ({marks}) "
            f"OR previous_id IN ({marks})"), names).all()
        linked = {value for row in rows for value in row if value} - found
        found |= linked
        frontier = linked
    return found


def _has_index(database: Database, session: Any) -> bool:
    if database.is_sqlite:
        return sqlite3.sqlite_version_info >= TRIGRAM_SQLITE and session.execute(sql(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'search_documents'")).scalar() == 1
    return session.execute(sql(
        "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'ix_documents_search'")).scalar() == 1


def _narrowed(database: Database, session: Any, terms: list[str],
              versions: set[str]) -> dict[str, tuple[str, str]]:
    """document id -> (title, text) of the documents worth reading."""
    params: dict[str, Any] = {f"x{n}": value for n, value in enumerate(sorted(versions))}
    excluded = "(" + ", ".join(":" + name for name in params) + ")"
    indexed = [t for t in terms if len(t) >= 3]
    if not indexed or not _has_index(database, session):
        statement = f"SELECT id, title, text FROM documents WHERE id NOT IN {excluded}"
    elif database.is_sqlite:
        params["match"] = " OR ".join('"' + t.replace('"', '""') + '"' for t in indexed)
        params["n"] = DOCUMENTS
        statement = (
            "SELECT d.id, d.title, d.text FROM documents d JOIN ("
            "SELECT rowid AS r, rank FROM search_documents WHERE search_documents MATCH "
            f":match ORDER BY rank LIMIT :n) m ON m.r = d.rowid WHERE d.id NOT IN {excluded}")
    else:
        return _postgres_narrowed(session, indexed, versions)
    return {row[0]: (row[1], row[2]) for row in session.execute(sql(statement), params)}


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_VECTOR = ("to_tsvector('simple', coalesce(d.title, '') || ' ' || coalesce(d.source, '') "
           "|| ' ' || coalesce(d.text, ''))")


def _postgres_narrowed(session: Any, terms: list[str],
                       versions: set[str]) -> dict[str, tuple[str, str]]:
    """Team server: the documents holding the most of the claim's words, each word
    weighing by how rare it is (its documents found by the GIN index, one word at a
    time: ranking them all with ``ts_rank`` would read every matching text)."""
    words = [t.casefold() for t in terms if t.replace("-", "").isalnum()]
    if not words:
        rows = session.execute(sql("SELECT id, title, text FROM documents"))
        return {row[0]: (row[1], row[2]) for row in rows if row[0] not in versions}
    total = session.execute(sql("SELECT COUNT(*) FROM documents")).scalar() or 1
    scores: dict[str, float] = {}
    # The planner underrates what to_tsvector costs (a text read through each time)
    # and would read every document rather than the index: not in this transaction.
    session.execute(sql("SET LOCAL enable_seqscan = off"))
    for word in words:
        if _CJK.search(word):       # no spaces between words: not a lexeme of its own
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found = session.execute(sql("SELECT id FROM documents WHERE text LIKE :w"),
                                    {"w": f"%{escaped}%"}).scalars().all()
        else:
            found = session.execute(sql(
                f"SELECT d.id FROM documents d WHERE {_VECTOR} @@ "
                "to_tsquery('simple', quote_literal(:w))"), {"w": word}).scalars().all()
        weight = math.log(1 + total / len(found)) if found else 0.0
        for document_id in found:
            scores[document_id] = scores.get(document_id, 0.0) + weight
    session.execute(sql("SET LOCAL enable_seqscan = on"))
    chosen = sorted((d for d in scores if d not in versions),
                    key=lambda d: (-scores[d], d))[:DOCUMENTS]
    if not chosen:
        return {}
    names = {f"d{n}": value for n, value in enumerate(chosen)}
    rows = session.execute(sql(
        "SELECT id, title, text FROM documents WHERE id IN ("
        + ", ".join(":" + name for name in names) + ")"), names)
    return {row[0]: (row[1], row[2]) for row in rows}


def _alias_texts(database: Database, session: Any, quote: str) -> list[str]:
    """Texts of documents (at most :data:`ALIAS_DOCUMENTS`) that may give a name of
    ``quote`` in another script (``DeepSeek (深度求索)``): the corpus-wide alias
    table for the names that matter, found through the index."""
    probes = alias_probes(quote)
    if not probes or not _has_index(database, session):
        return []
    if database.is_sqlite:
        match = " OR ".join('"' + p.replace('"', '""') + '"' for p in probes)
        return list(session.execute(sql(
            "SELECT d.text FROM documents d WHERE d.rowid IN (SELECT rowid FROM "
            "search_documents WHERE search_documents MATCH :m LIMIT :n)"),
            {"m": match, "n": ALIAS_DOCUMENTS}).scalars())
    names = sorted({p.strip("()（” ") for p in probes})
    params: dict[str, Any] = {"n": ALIAS_DOCUMENTS}
    words, likes = [], []
    for n, name in enumerate(names):
        if name.replace("-", "").isascii() and name.replace("-", "").isalnum():
            params[f"a{n}"] = name.casefold()
            words.append(f"quote_literal(:a{n})")
    for n, probe in enumerate(probes):
        params[f"p{n}"] = "%" + probe.replace("\\", "\\\\").replace("%", "\\%") \
            .replace("_", "\\_") + "%"
        likes.append(f"d.text LIKE :p{n}")
    if not words:
        return []
    query = "to_tsquery('simple', " + " || ' | ' || ".join(words) + ")"
    session.execute(sql("SET LOCAL enable_seqscan = off"))        # as in _postgres_narrowed
    texts = list(session.execute(sql(
        f"SELECT d.text FROM documents d WHERE {_VECTOR} @@ {query} AND ("
        + " OR ".join(likes) + ") LIMIT :n"), params).scalars())
    session.execute(sql("SET LOCAL enable_seqscan = on"))
    return texts


def _same_proposition(session: Any, claim: _Claim,
                      versions: set[str]) -> dict[str, tuple[str, str]]:
    if not claim.proposition.strip():
        return {}
    rows = session.execute(sql(
        "SELECT DISTINCT d.id, d.title, d.text FROM claims c JOIN documents d ON "
        "d.id = c.document_id WHERE c.proposition = :p AND c.id <> :c"),
        {"p": claim.proposition, "c": claim.id})
    return {row[0]: (row[1], row[2]) for row in rows if row[0] not in versions}


def _claims_of(session: Any, document_ids: list[str], claim_id: str) -> list[_Claim]:
    found: list[_Claim] = []
    for at in range(0, len(document_ids), 200):
        chunk = document_ids[at:at + 200]
        names = {f"d{n}": value for n, value in enumerate(chunk)}
        marks = ", ".join(":" + name for name in names)
        rows = session.execute(sql(
            'SELECT id, document_id, start, "end", quote, proposition, annotator FROM claims '
            f"WHERE document_id IN ({marks})"), names)
        found += [_Claim(r[0], r[1], r[2], r[3], r[4], r[5] or "", r[6] or "")
                  for r in rows if r[0] != claim_id]
    return found


def _blind(session: Any, document_ids: list[str], analyst: str | None) -> set[str]:
    """The documents among ``document_ids`` blind for ``analyst``: assigned to two
    analysts or more, not all of them done, and one of them ``analyst`` (the rule
    of ``annotator.services.assignments.blind_documents_query``); for no analyst,
    every such document."""
    if not document_ids:
        return set()
    blind: set[str] = set()
    for at in range(0, len(document_ids), 200):
        chunk = document_ids[at:at + 200]
        names: dict[str, Any] = {f"d{n}": value for n, value in enumerate(chunk)}
        names["a"] = analyst or ""
        marks = ", ".join(f":d{n}" for n in range(len(chunk)))
        rows = session.execute(sql(
            "SELECT document_id, COUNT(*), SUM(CASE WHEN status = 'done' THEN 0 ELSE 1 END), "
            "SUM(CASE WHEN analyst = :a THEN 1 ELSE 0 END) "
            f"FROM assignments WHERE document_id IN ({marks}) GROUP BY document_id"), names)
        blind |= {row[0] for row in rows if row[1] >= 2 and (row[2] or 0) > 0
                  and (analyst is None or (row[3] or 0) > 0)}
    return blind


def _may_see(claim: _Claim, blind: set[str], analyst: str | None,
             annotators: Collection[str] | None) -> bool:
    if claim.document_id in blind and claim.annotator not in ("", analyst):
        return False
    return annotators is None or claim.annotator in ("", analyst) \
        or claim.annotator in annotators


def _rank(claim: _Claim, wording: str, documents: dict[str, tuple[str, str]],
          claims: list[_Claim], aliases: AliasTable, dismissed: set[tuple[Any, ...]],
          limit: int) -> list[Candidate]:
    """The candidates best first. ``dismissed`` holds (document, start, end) spans
    never to offer, and (document, start, end, claim id) of claims already linked
    (a sentence under one is not offered either)."""
    prepared = {document_id: PreparedText(documents[document_id][1], aliases)
                for document_id in sorted(documents)}
    probe = ClaimText(wording, aliases=aliases)
    hits, figures = probe.hits(), bool(probe.figures)
    # Only sentences sharing a word or a name with the claim can score enough.
    sentences = {document_id: text.sentences(hits, figures=figures, pieces=probe.pieces())
                 if hits else [] for document_id, text in prepared.items()}
    weights = rarity(p.words for found in sentences.values() for p in found)
    scorer = ClaimText(wording, aliases=aliases, weights=weights)
    by_document: dict[str, list[_Claim]] = {}
    for other in claims:
        by_document.setdefault(other.document_id, []).append(other)
    best: dict[tuple[str, int, int, str | None], tuple[float, tuple[str, ...], str, str]] = {}

    def offer(key: tuple[str, int, int, str | None], value: float, reasons: tuple[str, ...],
              quote: str, who: str) -> None:
        if value >= MIN_SCORE and (key[0], key[1], key[2]) not in dismissed \
                and key not in dismissed and (key not in best or best[key][0] < value):
            best[key] = (value, reasons, quote, who)

    near: set[str] = set()        # claims on a passage that scores
    for document_id, found_passages in sentences.items():
        text = documents[document_id][1]
        for passage in found_passages:
            found = scorer.score(passage)
            if found.value < MIN_SCORE:
                continue
            start, end = passage.start, passage.end
            covering = [c for c in by_document.get(document_id, ()) if c.start < end
                        and start < c.end]
            near.update(c.id for c in covering)
            if covering:       # offered as the claim that covers most of it
                other = max(covering, key=lambda c: (min(end, c.end) - max(start, c.start),
                                                     -c.start, c.id))
                offer((document_id, other.start, other.end, other.id), found.value,
                      found.reasons, other.quote, other.annotator)
            else:
                offer((document_id, start, end, None), found.value, found.reasons,
                      text[start:end], "")
    for other in claims:
        same = bool(claim.proposition) and other.proposition == claim.proposition
        if other.id not in near and not same:
            continue                   # its text scores nothing: neither can its quote
        found = scorer.score(prepared[other.document_id].passage(other.start, other.end,
                                                                 figures=figures))
        value, reasons = found.value, found.reasons
        if same:
            value, reasons = min(1.0, value + SAME_PROPOSITION), (*reasons, "same proposition")
        offer((other.document_id, other.start, other.end, other.id), value, reasons,
              other.quote, other.annotator)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0][0], item[0][1],
                                                    item[0][3] or ""))
    return [Candidate(key[0], key[1], key[2], quote, value, key[3], reasons,
                      documents[key[0]][0], who)
            for key, (value, reasons, quote, who) in ranked[:limit]]
