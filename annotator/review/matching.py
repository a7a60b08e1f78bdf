"""Matching analysts' spans on the same document.

Two claims of different analysts *match* when they mark the same span
(``exact``) or when their spans overlap enough (``jaccard``: shared characters
over the characters either covers; ``overlap_ratio``: shared characters over
the shorter span's length) -- at least the threshold, and always at least one
shared character.

Matching is one-to-one and greedy by best score: all candidate pairs are taken
best first, and a pair joins its two groups only when the result still has at
most one claim per analyst and every two claims in it match (complete linkage,
so with three analysts a unit never chains A to C through B when A and C do not
overlap enough). Ties are broken by text order, then by the order of the
analysts, then by claim id, so the result does not depend on the order the
claims come in.

The result for a set of analysts is a list of *units* per document: spans
marked by all of them, by some, or by one only, with each analyst's claim and
the label disagreements between the matched claims.

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from operator import attrgetter
from typing import NamedTuple, Protocol

from annotator.domain.codebook import Dimension
from annotator.domain.model import Claim

EXACT = "exact"
JACCARD = "jaccard"
OVERLAP_RATIO = "overlap_ratio"
MEASURES = (EXACT, JACCARD, OVERLAP_RATIO)

#: What a unit's coverage can be.
BY_ALL, BY_SOME, BY_ONE = "all", "some", "one"

#: The label fields compared on matched claims, in display order.
COMPARED_DIMENSIONS: tuple[Dimension, ...] = tuple(Dimension)


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Matching:
    """How spans are matched: ``measure`` is ``"exact"``, ``"jaccard"`` or
    ``"overlap_ratio"``; two spans match when they share at least one character
    and their score is at least ``threshold`` (ignored for ``exact``)."""

    measure: str = JACCARD
    threshold: float = 0.5

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise ValueError(f"matching measure must be one of {', '.join(MEASURES)}, "
                             f"not {self.measure!r}")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"matching threshold must be above 0 and at most 1, "
                             f"not {self.threshold!r}")

    @property
    def exact(self) -> bool:
        return self.measure == EXACT

    def score(self, a: Span, b: Span) -> float:
        """How well two spans match: 1.0 for the same span, 0.0 for disjoint ones."""
        return span_score(self.measure, a.start, a.end, b.start, b.end)

    def matches(self, a: Span, b: Span) -> bool:
        if self.exact:
            return a.start == b.start and a.end == b.end
        shared = min(a.end, b.end) - max(a.start, b.start)
        return shared > 0 and self.score(a, b) >= self.threshold

    def as_dict(self) -> dict[str, object]:
        if self.exact:
            return {"measure": self.measure}
        return {"measure": self.measure, "threshold": self.threshold}


EXACT_MATCHING = Matching(EXACT, 1.0)


def span_score(measure: str, a_start: int, a_end: int, b_start: int, b_end: int) -> float:
    """The score of two spans ``[a_start, a_end)`` and ``[b_start, b_end)``."""
    if measure == EXACT:
        return 1.0 if (a_start, a_end) == (b_start, b_end) else 0.0
    shared = min(a_end, b_end) - max(a_start, b_start)
    if shared <= 0:
        return 1.0 if (a_start, a_end) == (b_start, b_end) else 0.0
    a_len, b_len = a_end - a_start, b_end - b_start
    if measure == JACCARD:
        return shared / (a_len + b_len - shared)
    if measure == OVERLAP_RATIO:
        return shared / min(a_len, b_len)
    raise ValueError(f"unknown matching measure {measure!r}")


# The grouping core --------------------------------------------------------------------

#: A span to group: (start, end, analyst index). Lists of these are sorted by the
#: caller in the canonical order (start, end, analyst index, claim id).
_Item = tuple[int, int, int]


def _candidates(items: Sequence[_Item], matching: Matching) -> list[tuple[float, int, int]]:
    """Pairs ``(-score, i, j)``, ``i < j``, of items of different analysts that match,
    best first (ties by ``i``, then ``j``)."""
    found: list[tuple[float, int, int]] = []
    if matching.exact:
        same: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index, (start, end, _) in enumerate(items):
            same[(start, end)].append(index)
        for group in same.values():
            if len(group) < 2:
                continue
            for x, i in enumerate(group):
                analyst = items[i][2]
                found.extend((-1.0, i, j) for j in group[x + 1:] if items[j][2] != analyst)
        found.sort()
        return found
    jaccard = matching.measure == JACCARD
    threshold = matching.threshold
    active: list[tuple[int, int, int, int]] = []   # (end, length, analyst, index) reaching on
    for j, (start, end, analyst) in enumerate(items):
        if active:
            active = [a for a in active if a[0] > start]
        length = end - start
        if length <= 0:
            continue            # an empty span shares no character with anything
        for i_end, i_length, i_analyst, i in active:
            if i_analyst == analyst:
                continue
            # items are sorted by start, so i's start <= start < i_end: they overlap.
            shared = (i_end if i_end < end else end) - start
            if jaccard:
                score = shared / (i_length + length - shared)
            else:
                score = shared / (i_length if i_length < length else length)
            if score >= threshold:
                found.append((-score, i, j))
        active.append((end, length, analyst, j))
    found.sort()
    return found


def _group(items: Sequence[_Item], candidates: Sequence[tuple[float, int, int]]
           ) -> list[list[int]]:
    """Items grouped into units: at most one item per analyst in each, every two
    items in a unit a candidate pair; greedy, candidates taken in their order. Units
    are lists of item indices, ascending, in order of each unit's first item."""
    owner = list(range(len(items)))     # item -> the unit (by its representative) it is in
    members: dict[int, dict[int, int]] = {}     # representative -> {analyst: item}, merged only
    matched: set[tuple[int, int]] | None = None
    for _, i, j in candidates:
        a, b = owner[i], owner[j]
        if a == b:
            continue
        unit_a = members.get(a)
        unit_b = members.get(b)
        if unit_a is None and unit_b is None:    # two lone items of different analysts
            members[a] = {items[a][2]: a, items[b][2]: b}
            owner[b] = a
            continue
        if unit_a is None:
            unit_a = {items[a][2]: a}
        if unit_b is None:
            unit_b = {items[b][2]: b}
        if not unit_a.keys().isdisjoint(unit_b.keys()):
            continue
        if len(unit_a) > 1 or len(unit_b) > 1:
            if matched is None:
                matched = {(x, y) for _, x, y in candidates}
            if not all(((x, y) if x < y else (y, x)) in matched
                       for x in unit_a.values() for y in unit_b.values()):
                continue
        if len(unit_a) < len(unit_b):
            a, b, unit_a, unit_b = b, a, unit_b, unit_a
        unit_a.update(unit_b)
        for item in unit_b.values():
            owner[item] = a
        members[a] = unit_a
        members.pop(b, None)
    units = []
    seen = set()
    for i, representative in enumerate(owner):
        if representative in seen:
            continue
        seen.add(representative)
        unit = members.get(representative)
        units.append(sorted(unit.values()) if unit else [i])
    return units


def _pair_count(items: Sequence[_Item], candidates: Sequence[tuple[float, int, int]],
                first: int, second: int) -> int:
    """One-to-one matched pairs between analysts ``first`` and ``second`` alone
    (greedy, best first), from the candidates of all analysts."""
    wanted = {first, second}
    used: set[int] = set()
    count = 0
    for _, i, j in candidates:
        if i in used or j in used or items[i][2] not in wanted or items[j][2] not in wanted:
            continue
        used.add(i)
        used.add(j)
        count += 1
    return count


def _canonical(claims: Iterable[Claim], analysts: Sequence[str]) -> list[Claim]:
    rank = {name: i for i, name in enumerate(analysts)}
    return sorted((c for c in claims if c.annotator in rank),
                  key=lambda c: (c.start, c.end, rank[c.annotator], c.id))


def match_pairs(reference: Iterable[Claim], compared: Iterable[Claim],
                matching: Matching = Matching()) -> list[tuple[Claim, Claim]]:
    """One-to-one matched pairs ``(reference claim, compared claim)`` between two
    analysts' claims on one document, in text order. The two lists are told apart
    by the argument they come in, not by the claims' ``annotator``."""
    tagged = [(c.start, c.end, 0, c.id, c) for c in reference]
    tagged += [(c.start, c.end, 1, c.id, c) for c in compared]
    tagged.sort(key=lambda t: t[:4])
    items = [(s, e, a) for s, e, a, _, _ in tagged]
    pairs = []
    for unit in _group(items, _candidates(items, matching)):
        if len(unit) == 2:
            first, second = (tagged[i][4] for i in unit)
            pairs.append((first, second) if tagged[unit[0]][2] == 0 else (second, first))
    return pairs


def count_matches(reference: Sequence[Span], compared: Sequence[Span],
                  matching: Matching = Matching()) -> int:
    """How many one-to-one matched pairs two analysts' spans on one document have."""
    if matching.exact:
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for span in reference:
            counts[(span.start, span.end)] += 1
        total = 0
        for span in compared:
            key = (span.start, span.end)
            if counts.get(key, 0) > 0:
                counts[key] -= 1
                total += 1
        return total
    items = sorted([(s.start, s.end, 0) for s in reference] + [(s.start, s.end, 1)
                                                               for s in compared])
    return _pair_count(items, _candidates(items, matching), 0, 1)


# Units ---------------------------------------------------------------------------------

class LabelDisagreement(NamedTuple):
    """Different values of one label on a unit's claims: ``values`` maps each
    analyst who has a claim in the unit to its value (None when unlabelled)."""

    dimension: Dimension
    values: dict[str, object]


@dataclass(frozen=True, slots=True, eq=False)
class Unit:
    """One span as the analysts marked it: each analyst's claim (at most one each),
    in the comparison's analyst order (read-only by convention), with the label
    disagreements between them. :meth:`of` fills in the derived fields."""

    document_id: str
    claims: dict[str, Claim]
    coverage: str                     # BY_ALL, BY_SOME or BY_ONE
    disagreements: tuple[LabelDisagreement, ...] = ()
    #: Where the unit's claims begin and end (the first start, the last end).
    start: int = 0
    end: int = 0
    #: All claims in the unit mark exactly the same span.
    same_span: bool = True

    @classmethod
    def of(cls, document_id: str, claims: dict[str, Claim], analysts: int) -> Unit:
        """The unit of ``claims`` (by analyst) when ``analysts`` analysts are compared."""
        count = len(claims)
        coverage = BY_ALL if count == analysts else BY_ONE if count == 1 else BY_SOME
        if count == 1:
            (claim,) = claims.values()
            return cls(document_id, claims, coverage, (), claim.start, claim.end, True)
        starts = [c.start for c in claims.values()]
        ends = [c.end for c in claims.values()]
        same = starts.count(starts[0]) == count and ends.count(ends[0]) == count
        return cls(document_id, claims, coverage, _disagreements(claims), min(starts),
                   max(ends), same)

    @property
    def analysts(self) -> tuple[str, ...]:
        return tuple(self.claims)

    @property
    def matched(self) -> bool:
        """Marked by two analysts or more."""
        return len(self.claims) > 1

    @property
    def agreed(self) -> bool:
        """Marked by every analyst on the same span with the same labels."""
        return self.coverage == BY_ALL and self.same_span and not self.disagreements

    def disagreement(self, dimension: Dimension) -> LabelDisagreement | None:
        return next((d for d in self.disagreements if d.dimension == dimension), None)


_LABELS = attrgetter(*(dimension.value for dimension in COMPARED_DIMENSIONS))


def _disagreements(claims: dict[str, Claim]) -> tuple[LabelDisagreement, ...]:
    if len(claims) < 2:
        return ()
    rows = [_LABELS(claim) for claim in claims.values()]
    count = len(rows)
    if rows.count(rows[0]) == count:
        return ()
    return tuple(LabelDisagreement(dimension, dict(zip(claims, column, strict=True)))
                 for dimension, column in zip(COMPARED_DIMENSIONS, zip(*rows, strict=True),
                                                 strict=True)
                 if column.count(column[0]) != count)


@dataclass(frozen=True, slots=True)
class DocumentComparison:
    """The units of one document for a set of analysts, in text order."""

    document_id: str
    analysts: tuple[str, ...]
    matching: Matching
    units: tuple[Unit, ...]
    #: One-to-one matched spans between each two analysts ``(a, b)``, ``a`` before
    #: ``b`` in ``analysts``, matched between the two alone (for span precision and
    #: recall: a third analyst's claims do not change it).
    pair_matches: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def differences(self) -> list[Unit]:
        """Units not marked by all analysts alike (span and labels), in text order:
        what "next / previous disagreement" steps through."""
        return [u for u in self.units if not u.agreed]

    def claims_of(self, analyst: str) -> list[Claim]:
        return [u.claims[analyst] for u in self.units if analyst in u.claims]

@dataclass(frozen=True, slots=True)
class Comparison:
    """Units per document (by document id, in id order) for a set of analysts."""

    analysts: tuple[str, ...]
    matching: Matching
    documents: dict[str, DocumentComparison] = field(default_factory=dict)
    #: (id, title) of the documents left out because not every analyst has them.
    left_out: tuple[tuple[str, str], ...] = ()

    @property
    def units(self) -> list[Unit]:
        return [u for d in self.documents.values() for u in d.units]


def compare_document(claims: Iterable[Claim], analysts: Sequence[str],
                     matching: Matching = Matching(), *,
                     document_id: str | None = None) -> DocumentComparison:
    """Group one document's claims by the ``analysts`` (claims of others are left
    out) into units. All claims must belong to the same document."""
    analysts = _check_analysts(analysts)
    ordered = _canonical(claims, analysts)
    ids = {c.document_id for c in ordered}
    if len(ids) > 1:
        raise ValueError("compare_document: the claims come from more than one document")
    if document_id is None:
        document_id = next(iter(ids), "")
    elif ids and ids != {document_id}:
        raise ValueError(f"compare_document: the claims are not all on document {document_id}")
    rank = {name: i for i, name in enumerate(analysts)}
    items = [(c.start, c.end, rank[c.annotator]) for c in ordered]
    everyone = len(analysts)
    candidates = _candidates(items, matching)
    units = []
    for group in _group(items, candidates):
        if len(group) > 1:
            group = sorted(group, key=lambda i: items[i][2])
        units.append(Unit.of(document_id, {analysts[items[i][2]]: ordered[i] for i in group},
                             everyone))
    pairs = {(analysts[a], analysts[b]): _pair_count(items, candidates, a, b)
             for a, b in combinations(range(everyone), 2)}
    return DocumentComparison(document_id, analysts, matching, tuple(units), pairs)


def compare(claims: Iterable[Claim], analysts: Sequence[str] | None = None,
            matching: Matching = Matching(), *,
            document_ids: Iterable[str] | None = None) -> Comparison:
    """Compare the ``analysts``' claims document by document.

    ``analysts`` defaults to everyone who has a claim, in name order; their order
    is the order of the columns and, for span precision and recall, the first is
    the reference. Every document with a claim by one of them is compared, or
    only ``document_ids`` when given (a document listed without claims gets no
    units)."""
    claims = list(claims)
    if analysts is None:
        analysts = analysts_of(claims)
    analysts = _check_analysts(analysts)
    wanted = set(analysts)
    by_document: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.annotator in wanted:
            by_document[claim.document_id].append(claim)
    ids = sorted(set(document_ids) if document_ids is not None else by_document)
    return Comparison(analysts, matching, {
        doc: compare_document(by_document.get(doc, ()), analysts, matching, document_id=doc)
        for doc in ids})


def analysts_of(claims: Iterable[Claim]) -> tuple[str, ...]:
    """Everyone who has a claim among ``claims``, in name order."""
    return tuple(sorted({c.annotator for c in claims}))


def _check_analysts(analysts: Sequence[str]) -> tuple[str, ...]:
    analysts = tuple(analysts)
    if len(set(analysts)) != len(analysts):
        raise ValueError("an analyst is named twice")
    return analysts
