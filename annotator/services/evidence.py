"""The evidence board: for a proposition, every claim across the corpus grouped
by stance, each with its source, grades, corroboration and the figures it
disagrees on; as data, CSV or JSON.

Columns follow the codebook's stance labels in their order (retired ones only
when a claim still uses them), then "No stance" for claims without one.
Corroboration and the suggested credibility are derived from the claim's
cluster (:mod:`annotator.services.links`); conflicts compare the figures of the
claims of one cluster, and of one proposition (:func:`annotator.services.links.figure_conflicts`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import select

from annotator.domain.clusters import credibility_text
from annotator.domain.codebook import Codebook, Dimension
from annotator.formats.export.streams import write_csv
from annotator.services import links
from annotator.services.assignments import blind_documents_query
from annotator.services.codebook import CodebookService
from annotator.services.project import ProjectService
from annotator.storage.models import ClaimRow

#: The column of claims without a stance.
NO_STANCE = ""

CSV_FIELDS = ("proposition", "stance", "document", "quote", "source", "publisher",
              "source_reliability", "info_credibility", "corroboration",
              "suggested_credibility", "cluster_size", "conflicts", "annotator",
              "claim_id", "document_id", "start", "end")


@dataclass(frozen=True, slots=True)
class BoardEntry:
    """One claim on the board."""

    appearance: links.Appearance
    corroboration: int
    suggested_credibility: int | None
    cluster_size: int
    #: The figures this claim's disagree with, e.g. ``589 billion ≠ 600 billion``.
    conflicts: tuple[str, ...] = ()

    @property
    def claim(self):  # type: ignore[no-untyped-def]
        return self.appearance.claim


@dataclass(frozen=True, slots=True)
class StanceColumn:
    key: str            # a stance key, or NO_STANCE
    name: str
    entries: tuple[BoardEntry, ...]


@dataclass(frozen=True, slots=True)
class Board:
    proposition: str
    columns: tuple[StanceColumn, ...]
    #: Figures that disagree across the proposition's claims, as texts.
    conflicts: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return sum(len(column.entries) for column in self.columns)


def _stance_columns(codebook: Codebook, used: Collection[str | None]) -> list[tuple[str, str]]:
    columns = [(label.key, label.name) for label in codebook.of(Dimension.STANCE)
               if not label.retired or label.key in used]
    known = {key for key, _ in columns}
    columns += [(key, key) for key in sorted(k for k in used if k and k not in known)]
    return [*columns, (NO_STANCE, "No stance")]


def propositions(service: ProjectService) -> list[str]:
    """The propositions the board can show: the codebook's (active ones), then
    any other a claim uses."""
    codebook = CodebookService(service.database).codebook()
    listed = [p.text for p in codebook.propositions if not p.retired]
    used = service.propositions()
    return listed + [text for text in used if text not in listed]


def build_board(service: ProjectService, proposition: str, *,
                annotators: Collection[str] | None = None,
                analyst: str | None = None) -> Board:
    """The board of ``proposition``: its claims (only ``annotators``' when given);
    for ``analyst``, without colleagues' claims on documents blind for them (in
    clusters neither)."""
    query = select(ClaimRow.id).where(ClaimRow.proposition == proposition)
    if annotators is not None:
        query = query.where(ClaimRow.annotator.in_(sorted(annotators)))
    with service.database.reading() as session:
        blind = set(session.scalars(blind_documents_query(analyst))) \
            if analyst is not None else set()
        ids = list(session.scalars(query))
        codebook = CodebookService.load(session)
    cluster = {x: [a for a in members if a.claim.document_id not in blind
                   or a.claim.annotator in (analyst, "")]
               for x, members in links.clusters_for(service, ids).items()}
    own = {x: next((a for a in cluster[x] if a.claim.id == x), None) for x in ids}
    found = {x: appearance for x, appearance in own.items() if appearance is not None}
    together = links.figure_conflicts(list(found.values()))
    per_claim: dict[str, list[str]] = {x: [] for x in found}
    for conflict in together:
        for one, other in ((conflict.first, conflict.second),
                           (conflict.second, conflict.first)):
            per_claim[one.claim.id].append(_versus(one, other, conflict))
    for claim_id in found:
        for conflict in links.figure_conflicts(cluster[claim_id]):
            for one, other in ((conflict.first, conflict.second),
                               (conflict.second, conflict.first)):
                text = _versus(one, other, conflict)
                if one.claim.id == claim_id and text not in per_claim[claim_id]:
                    per_claim[claim_id].append(text)
    entries: dict[str, list[BoardEntry]] = {}
    for claim_id, appearance in found.items():
        count = links.corroboration(cluster[claim_id])
        entry = BoardEntry(appearance, count, links.suggested_credibility(count),
                           len(cluster[claim_id]), tuple(per_claim[claim_id]))
        entries.setdefault(appearance.claim.stance or NO_STANCE, []).append(entry)
    columns = tuple(
        StanceColumn(key, name, tuple(sorted(entries.get(key, ()), key=_entry_order)))
        for key, name in _stance_columns(codebook, entries.keys()))
    return Board(proposition, columns, tuple(c.describe() for c in together))


def _versus(one: links.Appearance, other: links.Appearance,
            conflict: links.FigureConflict) -> str:
    """``USD 589 billion vs USD 600 billion (Title)`` from ``one``'s side."""
    mine, theirs = ((conflict.conflict.first, conflict.conflict.second)
                    if conflict.first is one else
                    (conflict.conflict.second, conflict.conflict.first))
    return f"{mine.describe()} vs {theirs.describe()} ({other.document_title})"


def _entry_order(entry: BoardEntry) -> tuple:
    appearance = entry.appearance
    return (-entry.corroboration, appearance.document_title.casefold(),
            appearance.claim.start, appearance.claim.id)


def boards(service: ProjectService, proposition: str | None = None, *,
           annotators: Collection[str] | None = None) -> list[Board]:
    """The board of ``proposition``, or of every proposition (those with claims)."""
    chosen = [proposition] if proposition is not None else service.propositions()
    return [build_board(service, text, annotators=annotators) for text in chosen]


def records(boards: Iterable[Board]) -> Iterable[dict[str, Any]]:
    """One flat record per claim on the boards (the CSV's and JSON's rows)."""
    for board in boards:
        for column in board.columns:
            for entry in column.entries:
                claim = entry.claim
                yield {
                    "proposition": board.proposition, "stance": column.name,
                    "document": entry.appearance.document_title, "quote": claim.quote,
                    "source": claim.source_name, "publisher": entry.appearance.publisher,
                    "source_reliability": claim.source_reliability,
                    "info_credibility": claim.info_credibility,
                    "corroboration": entry.corroboration,
                    "suggested_credibility": credibility_text(entry.suggested_credibility),
                    "cluster_size": entry.cluster_size,
                    "conflicts": "; ".join(entry.conflicts), "annotator": claim.annotator,
                    "claim_id": claim.id, "document_id": claim.document_id,
                    "start": claim.start, "end": claim.end,
                }


def write_board_csv(handle: IO[str], boards: Sequence[Board]) -> int:
    """The boards as CSV (RFC 4180, CRLF, a header; cells a spreadsheet would run
    as formulas neutralised); returns the number of rows."""
    return write_csv(handle, records(boards), CSV_FIELDS)


def board_json(boards: Sequence[Board]) -> dict[str, Any]:
    return {"boards": [{
        "proposition": board.proposition,
        "conflicts": list(board.conflicts),
        "columns": [{"stance": column.key, "name": column.name,
                     "claims": [r for r in records([Board(board.proposition, (column,))])]}
                    for column in board.columns],
    } for board in boards]}
