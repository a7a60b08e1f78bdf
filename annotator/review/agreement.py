"""Agreement between analysts: Cohen's kappa, Krippendorff's alpha and span
precision / recall / F1.

* **Krippendorff's alpha** (Krippendorff, *Content Analysis*, 2004, ch. 11;
  "Computing Krippendorff's Alpha-Reliability", 2011) for any number of coders
  and missing values, from the coincidence matrix ``o[c, k]``: every unit with
  ``m >= 2`` values adds ``1 / (m - 1)`` for each ordered pair of its values from
  different coders. With ``n[c]`` the row sums and ``n`` their total,
  ``alpha = 1 - D_o / D_e``, ``D_o = sum o[c, k] d(c, k) / n`` and
  ``D_e = sum n[c] n[k] d(c, k) / (n (n - 1))``, with the squared difference
  ``d`` of the level of measurement: nominal (0 or 1), ordinal (by the ranks'
  frequencies), interval (``(c - k)**2``) or ratio (``((c - k) / (c + k))**2``).
* **Cohen's kappa** for two coders, nominal: ``(p_o - p_e) / (1 - p_e)`` over the
  units both coded.
* **Span precision / recall / F1** between two analysts, one the reference:
  one-to-one matched spans (:mod:`annotator.review.matching`) over the compared
  analyst's spans, over the reference's, and ``2 matched / (both counts)``.

Undefined figures (no data; only one value, so alpha and kappa are 0 / 0) are
``None`` with a reason, never NaN. For the graded scales, labels that mean
"cannot be judged" (F, 6) are missing values by default, or -- on request --
categories of their own in a *nominal* computation; never a point on the scale.

Pure Python: no Qt, no SQL.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from annotator.domain.codebook import Codebook, Dimension
from annotator.domain.model import Claim
from annotator.review.matching import (
    BY_ALL,
    BY_ONE,
    BY_SOME,
    EXACT_MATCHING,
    Comparison,
    DocumentComparison,
    Matching,
    Unit,
    count_matches,
)

NOMINAL, ORDINAL, INTERVAL, RATIO = "nominal", "ordinal", "interval", "ratio"
LEVELS = (NOMINAL, ORDINAL, INTERVAL, RATIO)

#: What to do with "cannot be judged" grades (F, 6) on the graded scales.
MISSING, CATEGORY = "missing", "category"
UNJUDGEABLE_TREATMENTS = (MISSING, CATEGORY)

#: The dimensions every report has (the JSON's keys), in this order.
REPORT_DIMENSIONS: tuple[Dimension, ...] = (
    Dimension.STANCE, Dimension.SOURCE_RELIABILITY, Dimension.INFO_CREDIBILITY,
    Dimension.CLAIM_TYPE)

Value = Hashable


@dataclass(frozen=True, slots=True)
class Coefficient:
    """A reliability figure, or None with the ``reason`` it is undefined.

    ``units``: units with two or more values taken into account (for kappa, units
    both analysts coded); ``pairable_values``: the values in them (Krippendorff's
    ``n``). For alpha, ``observed`` and ``expected`` are the disagreements
    ``D_o`` and ``D_e``; for kappa, the agreements ``p_o`` and ``p_e``."""

    value: float | None
    reason: str | None = None
    units: int = 0
    pairable_values: int = 0
    observed: float | None = None
    expected: float | None = None


# Krippendorff's alpha -----------------------------------------------------------------

class Coincidences:
    """Krippendorff's coincidence matrix, filled unit by unit. Matrices add up:
    a corpus's is the sum of its documents'."""

    __slots__ = ("matrix", "pairable_values", "units")

    def __init__(self) -> None:
        self.matrix: dict[tuple[Value, Value], float] = {}
        self.units = 0
        self.pairable_values = 0

    def add_unit(self, values: Iterable[Value | None], count: int = 1) -> None:
        """One unit's values, one per coder; None is a missing value. ``count``
        adds that many units with the same values."""
        present = [v for v in values if v is not None]
        m = len(present)
        if m < 2 or count <= 0:
            return                  # a lone value has nothing to be compared with
        self.units += count
        self.pairable_values += m * count
        matrix = self.matrix
        if m == 2:
            a, b = present
            if a == b:
                matrix[(a, a)] = matrix.get((a, a), 0.0) + 2.0 * count
            else:
                matrix[(a, b)] = matrix.get((a, b), 0.0) + count
                matrix[(b, a)] = matrix.get((b, a), 0.0) + count
            return
        counts: dict[Value, int] = {}
        for v in present:
            counts[v] = counts.get(v, 0) + 1
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    matrix[(c, k)] = matrix.get((c, k), 0.0) + pairs * count / (m - 1)

    def add_units(self, units: Iterable[Sequence[Value | None]]) -> None:
        """Many units: identical ones are counted first, then added once."""
        for values, count in Counter(map(tuple, units)).items():
            self.add_unit(values, count)

    def update(self, other: Coincidences) -> None:
        for key, count in other.matrix.items():
            self.matrix[key] = self.matrix.get(key, 0.0) + count
        self.units += other.units
        self.pairable_values += other.pairable_values

    def totals(self) -> dict[Value, float]:
        """``n[c]``: how often each value is pairable."""
        totals: dict[Value, float] = {}
        for (c, _), count in self.matrix.items():
            totals[c] = totals.get(c, 0.0) + count
        return totals

    def alpha(self, level: str = NOMINAL) -> Coefficient:
        if level not in LEVELS:
            raise ValueError(f"level of measurement must be one of {', '.join(LEVELS)}, "
                             f"not {level!r}")
        n = self.pairable_values
        if n == 0:
            return Coefficient(None, "no unit has two or more values to compare")
        totals = self.totals()
        if len(totals) < 2:
            (only,) = totals
            return Coefficient(None, f"every value is {only!r}: with no variation alpha is "
                               "undefined", self.units, n, 0.0, 0.0)
        delta = _difference(level, totals)
        observed = math.fsum(count * delta(c, k) for (c, k), count in self.matrix.items()
                             if c != k) / n
        expected = math.fsum(totals[c] * totals[k] * delta(c, k)
                             for c in totals for k in totals if c != k) / (n * (n - 1))
        if expected <= 0.0:
            return Coefficient(None, "no expected disagreement: alpha is undefined",
                               self.units, n, observed, expected)
        return Coefficient(1.0 - observed / expected, None, self.units, n, observed, expected)


def _difference(level: str, totals: dict[Value, float]) -> Callable[[Value, Value], float]:
    """The squared difference function ``d(c, k)`` of a level of measurement."""
    if level == NOMINAL:
        return lambda c, k: 0.0 if c == k else 1.0
    if level in (INTERVAL, RATIO):
        bad = [v for v in totals if isinstance(v, bool) or not isinstance(v, int | float)]
        if bad:
            raise TypeError(f"{level} alpha needs numbers, not {bad[0]!r}")
        if level == INTERVAL:
            return lambda c, k: float((c - k) ** 2)  # type: ignore[operator]
        return lambda c, k: 0.0 if c + k == 0 else float(((c - k) / (c + k)) ** 2)  # type: ignore[operator]
    # Ordinal: the frequencies of the ranks from c to k, less half of c's and k's.
    try:
        ordered = sorted(totals)
    except TypeError:
        raise TypeError("ordinal alpha needs values that can be ordered") from None
    position = {v: i for i, v in enumerate(ordered)}
    cumulative = [0.0]
    for v in ordered:
        cumulative.append(cumulative[-1] + totals[v])

    def ordinal(c: Value, k: Value) -> float:
        i, j = sorted((position[c], position[k]))
        between = cumulative[j + 1] - cumulative[i]
        return (between - (totals[c] + totals[k]) / 2.0) ** 2

    return ordinal


def krippendorff_alpha(units: Iterable[Iterable[Value | None]],
                       level: str = NOMINAL) -> Coefficient:
    """Krippendorff's alpha of reliability data given unit by unit: each unit is
    its coders' values, None where a coder gave none. Any number of coders."""
    table = Coincidences()
    table.add_units(units)
    return table.alpha(level)


# Cohen's kappa ------------------------------------------------------------------------

class Contingency:
    """Two coders' values on the units both coded, for Cohen's kappa. Adds up."""

    __slots__ = ("table",)

    def __init__(self) -> None:
        self.table: dict[tuple[Value, Value], int] = {}

    def add(self, first: Value | None, second: Value | None, count: int = 1) -> None:
        if first is None or second is None:
            return
        self.table[(first, second)] = self.table.get((first, second), 0) + count

    def update(self, other: Contingency) -> None:
        for key, count in other.table.items():
            self.table[key] = self.table.get(key, 0) + count

    def kappa(self) -> Coefficient:
        n = sum(self.table.values())
        if n == 0:
            return Coefficient(None, "no unit has values from both analysts")
        rows: dict[Value, int] = {}
        columns: dict[Value, int] = {}
        agreed = 0
        for (a, b), count in self.table.items():
            rows[a] = rows.get(a, 0) + count
            columns[b] = columns.get(b, 0) + count
            if a == b:
                agreed += count
        observed = agreed / n
        expected = math.fsum(count * columns.get(v, 0) for v, count in rows.items()) / (n * n)
        if len(rows) == 1 and rows.keys() == columns.keys():
            (only,) = rows
            return Coefficient(None, f"both analysts gave every unit {only!r}: with no "
                               "variation kappa is undefined", n, 2 * n, observed, expected)
        return Coefficient((observed - expected) / (1.0 - expected), None, n, 2 * n,
                           observed, expected)


def cohen_kappa(pairs: Iterable[tuple[Value | None, Value | None]]) -> Coefficient:
    """Cohen's kappa (nominal) of two coders' values, one pair per unit; pairs with
    a missing value (None) are left out."""
    table = Contingency()
    for (first, second), count in Counter(map(tuple, pairs)).items():
        table.add(first, second, count)
    return table.kappa()


# Span precision / recall / F1 ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SpanScores:
    """Matched spans between a reference analyst and a compared one. Adds up
    (micro-averaging over documents)."""

    matched: int = 0
    reference: int = 0
    compared: int = 0

    def __add__(self, other: SpanScores) -> SpanScores:
        return SpanScores(self.matched + other.matched, self.reference + other.reference,
                          self.compared + other.compared)

    @property
    def precision(self) -> float | None:
        return self.matched / self.compared if self.compared else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.reference if self.reference else None

    @property
    def f1(self) -> float | None:
        total = self.reference + self.compared
        return 2 * self.matched / total if total else None

    def reasons(self) -> dict[str, str]:
        reasons = {}
        if not self.compared:
            reasons["precision"] = "the compared analyst marked no span"
        if not self.reference:
            reasons["recall"] = "the reference analyst marked no span"
        if not self.compared and not self.reference:
            reasons["f1"] = "neither analyst marked a span"
        return reasons

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "matched": self.matched, "reference_spans": self.reference,
                "compared_spans": self.compared, "reasons": self.reasons()}


def span_scores(reference: Sequence[Claim], compared: Sequence[Claim],
                matching: Matching) -> SpanScores:
    """Precision / recall / F1 of ``compared`` against ``reference``: two analysts'
    claims on one document."""
    return SpanScores(count_matches(reference, compared, matching), len(reference),
                      len(compared))


def average_span_scores(scores: Sequence[SpanScores]) -> dict[str, Any]:
    """The mean of each figure over analyst pairs (those where it is defined)."""
    result: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for name in ("precision", "recall", "f1"):
        values = [v for v in (getattr(s, name) for s in scores) if v is not None]
        result[name] = math.fsum(values) / len(values) if values else None
        if not values:
            reasons[name] = ("fewer than two analysts" if not scores
                             else f"{name} is undefined for every pair of analysts")
    result["matched"] = sum(s.matched for s in scores)
    result["reference_spans"] = sum(s.reference for s in scores)
    result["compared_spans"] = sum(s.compared for s in scores)
    result["analyst_pairs"] = len(scores)
    result["reasons"] = reasons
    return result


# Labels on matched units --------------------------------------------------------------

class LabelValues:
    """How one dimension's labels become values for agreement: keys for the
    nominal dimensions, the codebook's ranks for the graded ones, with
    "cannot be judged" a missing value (or, with ``unjudgeable="category"``, every
    key a category of a nominal computation)."""

    def __init__(self, dimension: Dimension, codebook: Codebook, *,
                 unjudgeable: str = MISSING, graded_level: str = ORDINAL) -> None:
        if unjudgeable not in UNJUDGEABLE_TREATMENTS:
            raise ValueError(f"unjudgeable must be one of {', '.join(UNJUDGEABLE_TREATMENTS)}"
                             f", not {unjudgeable!r}")
        if graded_level not in (ORDINAL, INTERVAL):
            raise ValueError(f"graded scales are ordinal or interval, not {graded_level!r}")
        self.dimension = Dimension(dimension)
        self.field = self.dimension.value
        self.ranked = self.dimension.graded and unjudgeable == MISSING
        self.level = graded_level if self.ranked else NOMINAL
        labels = codebook.of(self.dimension)
        self.unjudgeable = frozenset(label.key for label in labels if not label.judgeable)
        self.ranks: dict[str, int] = {}
        if self.ranked:
            for label in labels:
                rank = codebook.grade_rank(self.dimension, label.key)
                if rank is not None:
                    self.ranks[label.key] = rank

    def value(self, key: object) -> Value | None:
        """The value of a label key (a claim's field); None when missing."""
        if key is None:
            return None
        key = str(key)
        if not self.ranked:
            return key
        return self.ranks.get(key)      # None for "cannot be judged" and unknown keys

    def is_unjudgeable(self, key: object) -> bool:
        return key is not None and str(key) in self.unjudgeable

    def is_unknown(self, key: object) -> bool:
        """A graded key the codebook does not have (left out as missing)."""
        return (self.ranked and key is not None and str(key) not in self.ranks
                and str(key) not in self.unjudgeable)


@dataclass(frozen=True, slots=True)
class DimensionAgreement:
    dimension: Dimension
    level: str
    alpha: Coefficient
    kappa: Coefficient | None       # None unless there are exactly two analysts
    #: "cannot be judged" labels seen: left out (missing) or counted as categories.
    unjudgeable_values: int = 0
    #: graded keys the codebook does not have: left out.
    unknown_values: int = 0

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"level": self.level}
        reasons = {}
        if self.kappa is not None:
            result["cohen_kappa"] = self.kappa.value
            if self.kappa.reason:
                reasons["cohen_kappa"] = self.kappa.reason
        result["krippendorff_alpha"] = self.alpha.value
        if self.alpha.reason:
            reasons["krippendorff_alpha"] = self.alpha.reason
        result["units"] = self.alpha.units
        result["pairable_values"] = self.alpha.pairable_values
        if self.dimension.graded:
            result["unjudgeable_values"] = self.unjudgeable_values
        if self.unknown_values:
            result["unknown_values"] = self.unknown_values
        result["reasons"] = reasons
        return result


def _claim_rows(units: Iterable[Unit], analysts: Sequence[str]) -> list[list[Claim | None]]:
    """Each unit's claims, one per analyst (None where the analyst has none)."""
    return [[claims.get(a) for a in analysts] for claims in (u.claims for u in units)]


class _Tally:
    """Coincidences and contingency of one dimension, over some units. Adds up."""

    __slots__ = ("coincidences", "contingency", "unjudgeable", "unknown")

    def __init__(self) -> None:
        self.coincidences = Coincidences()
        self.contingency = Contingency()
        self.unjudgeable = 0
        self.unknown = 0

    def add_rows(self, rows: Iterable[Sequence[Claim | None]], values: LabelValues) -> None:
        name = values.field
        # The raw label keys of each unit; identical ones are converted and added once.
        patterns = Counter([tuple([getattr(c, name, None) for c in row]) for row in rows])
        for keys, count in patterns.items():
            row = [values.value(key) for key in keys]
            self.coincidences.add_unit(row, count)
            if len(row) == 2:
                self.contingency.add(row[0], row[1], count)
            self.unjudgeable += count * sum(1 for key in keys if values.is_unjudgeable(key))
            self.unknown += count * sum(1 for key in keys if values.is_unknown(key))

    def update(self, other: _Tally) -> None:
        self.coincidences.update(other.coincidences)
        self.contingency.update(other.contingency)
        self.unjudgeable += other.unjudgeable
        self.unknown += other.unknown

    def result(self, values: LabelValues, analysts: int) -> DimensionAgreement:
        if analysts < 2:
            alpha = Coefficient(None, "agreement needs at least two analysts")
        else:
            alpha = self.coincidences.alpha(values.level)
        kappa = self.contingency.kappa() if analysts == 2 else None
        return DimensionAgreement(values.dimension, values.level, _keyed(alpha, values),
                                  _keyed(kappa, values), self.unjudgeable, self.unknown)


def _keyed(coefficient: Coefficient | None, values: LabelValues) -> Coefficient | None:
    """A reason that names a graded value by its rank names the label key instead
    (``every value is '2'``, not the rank ``1``)."""
    if coefficient is None or coefficient.reason is None or not values.ranked:
        return coefficient
    reason = coefficient.reason
    for key, rank in values.ranks.items():
        for before in (f"is {rank!r}:", f"unit {rank!r}:"):
            if before in reason:
                return replace(coefficient,
                               reason=reason.replace(before, before.replace(repr(rank),
                                                                            repr(key))))
    return coefficient


def label_agreement(units: Iterable[Unit], analysts: Sequence[str], dimension: Dimension,
                    codebook: Codebook, *, unjudgeable: str = MISSING,
                    graded_level: str = ORDINAL) -> DimensionAgreement:
    """Alpha (and, for two analysts, kappa) of one dimension over ``units`` --
    normally a document's or the corpus's units from :func:`compare`; the first
    of ``analysts`` is kappa's first coder."""
    values = LabelValues(dimension, codebook, unjudgeable=unjudgeable,
                         graded_level=graded_level)
    tally = _Tally()
    tally.add_rows(_claim_rows(units, analysts), values)
    return tally.result(values, len(analysts))


def analyst_pairs(analysts: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of analysts, the earlier in ``analysts`` being the reference."""
    return list(combinations(analysts, 2))


def document_span_scores(document: DocumentComparison, matching: Matching
                         ) -> dict[tuple[str, str], SpanScores]:
    """Span scores of every analyst pair on one compared document."""
    claims = {a: document.claims_of(a) for a in document.analysts}
    return {(a, b): span_scores(claims[a], claims[b], matching)
            for a, b in analyst_pairs(document.analysts)}


def overlap_matching(matching: Matching) -> Matching:
    """The matching used for the "overlap" span figures: the comparison's own, or
    the default one when the comparison matches exactly."""
    return Matching() if matching.exact else matching


# The report ---------------------------------------------------------------------------

def report_dimensions(codebook: Codebook,
                      dimensions: Iterable[Dimension] | None = None) -> list[Dimension]:
    """The four report dimensions, plus likelihood and confidence when the codebook
    has them; or exactly ``dimensions``."""
    if dimensions is not None:
        return [Dimension(d) for d in dimensions]
    present = set(codebook.dimensions())
    return [*REPORT_DIMENSIONS, *(d for d in (Dimension.LIKELIHOOD, Dimension.CONFIDENCE)
                                  if d in present)]


def _span_section(by_pair: dict[tuple[str, str], dict[str, SpanScores]],
                  analysts: Sequence[str], overlap: Matching) -> dict[str, Any]:
    section: dict[str, Any] = {"reference": analysts[0] if len(analysts) == 2 else None}
    for kind in ("exact", "overlap"):
        scores = [pair[kind] for pair in by_pair.values()]
        if len(scores) == 1:
            figures = scores[0].as_dict()
            figures["analyst_pairs"] = 1
        else:
            figures = average_span_scores(scores)
        if kind == "overlap":
            figures.update(overlap.as_dict())
        section[kind] = figures
    section["pairs"] = [
        {"reference": a, "compared": b, "exact": pair["exact"].as_dict(),
         "overlap": pair["overlap"].as_dict()}
        for (a, b), pair in by_pair.items()]
    return section


def _counts(document: DocumentComparison, analysts: Sequence[str]) -> dict[str, Any]:
    claims = dict.fromkeys(analysts, 0)
    coverage = {BY_ALL: 0, BY_SOME: 0, BY_ONE: 0}
    matched = moved = disagreeing = 0
    for unit in document.units:
        for analyst in unit.claims:
            claims[analyst] += 1
        coverage[unit.coverage] += 1
        if len(unit.claims) > 1:
            matched += 1
            moved += not unit.same_span
        disagreeing += bool(unit.disagreements)
    return {
        "documents": 1, "claims": sum(claims.values()), "claims_by_analyst": claims,
        "units": len(document.units), "by_all": coverage[BY_ALL],
        "by_some": coverage[BY_SOME], "by_one": coverage[BY_ONE], "matched_units": matched,
        "span_differences": moved, "label_disagreements": disagreeing,
    }


def _add_counts(total: dict[str, Any], counts: dict[str, Any]) -> None:
    for key, value in counts.items():
        if isinstance(value, dict):
            for name, count in value.items():
                total[key][name] = total[key].get(name, 0) + count
        else:
            total[key] += value


def agreement_report(comparison: Comparison, codebook: Codebook, *,
                     unjudgeable: str = MISSING, graded_level: str = ORDINAL,
                     dimensions: Iterable[Dimension] | None = None,
                     per_document: bool = True) -> dict[str, Any]:
    """The agreement figures of a comparison, for the corpus and per document, as
    plain JSON-ready data (no NaN: undefined figures are None with a reason).

    Label agreement is over the comparison's units (its matching); span figures
    for ``exact`` matching and for ``overlap`` matching (the comparison's measure
    and threshold). With more than two analysts, span figures are the mean over
    analyst pairs (each pair micro-averaged over documents), the earlier analyst in
    the comparison's order being the reference; the ``pairs`` list has each pair.
    """
    return streamed_agreement_report(comparison.analysts, comparison.matching,
                                     comparison.documents.values(), codebook,
                                     unjudgeable=unjudgeable, graded_level=graded_level,
                                     dimensions=dimensions, per_document=per_document,
                                     left_out=comparison.left_out)


def streamed_agreement_report(analysts: Sequence[str], matching: Matching,
                              documents: Iterable[DocumentComparison], codebook: Codebook, *,
                              unjudgeable: str = MISSING, graded_level: str = ORDINAL,
                              dimensions: Iterable[Dimension] | None = None,
                              per_document: bool = True,
                              left_out: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:
    """:func:`agreement_report` from document comparisons made one at a time (by
    ``analysts`` with ``matching``): only one document's claims need be in memory.
    ``left_out``: (id, title) of documents not compared because not every analyst
    has them; the report lists them under ``left_out``."""
    analysts = tuple(analysts)
    dims = report_dimensions(codebook, dimensions)
    overlap = overlap_matching(matching)
    pairs = analyst_pairs(analysts)

    values = [LabelValues(d, codebook, unjudgeable=unjudgeable, graded_level=graded_level)
              for d in dims]
    corpus_tally = [_Tally() for _ in dims]
    corpus_spans = {pair: {"exact": SpanScores(), "overlap": SpanScores()} for pair in pairs}
    document_reports = []
    counts = _counts(DocumentComparison("", analysts, matching, ()), analysts)
    counts["documents"] = 0
    for document in documents:
        entry: dict[str, Any] = {"document_id": document.document_id,
                                 "counts": _counts(document, analysts)}
        _add_counts(counts, entry["counts"])
        rows = _claim_rows(document.units, analysts)
        for dimension_values, total in zip(values, corpus_tally, strict=True):
            tally = _Tally()
            tally.add_rows(rows, dimension_values)
            total.update(tally)
            if per_document:
                entry[dimension_values.field] = tally.result(dimension_values,
                                                             len(analysts)).as_dict()
        claims = {a: document.claims_of(a) for a in analysts}
        doc_spans = {}
        for a, b in pairs:
            reference, compared = claims[a], claims[b]
            if overlap == document.matching and (a, b) in document.pair_matches:
                matched = document.pair_matches[(a, b)]
            else:
                matched = count_matches(reference, compared, overlap)
            scores = {"exact": span_scores(reference, compared, EXACT_MATCHING),
                      "overlap": SpanScores(matched, len(reference), len(compared))}
            doc_spans[(a, b)] = scores
            for kind, score in scores.items():
                corpus_spans[(a, b)][kind] += score
        if per_document:
            entry["spans"] = _span_section(doc_spans, analysts, overlap)
            document_reports.append(entry)

    report: dict[str, Any] = {
        "analysts": list(analysts),
        "matching": matching.as_dict(),
        "unjudgeable": unjudgeable,
        "counts": counts,
        "left_out": [{"document_id": doc, "title": title} for doc, title in left_out],
    }
    for dimension_values, total in zip(values, corpus_tally, strict=True):
        report[dimension_values.field] = total.result(dimension_values, len(analysts)).as_dict()
    report["spans"] = _span_section(corpus_spans, analysts, overlap)
    if per_document:
        report["documents"] = document_reports
    return report
