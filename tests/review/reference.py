"""Independent reference figures for the agreement tests: NLTK's ``AnnotationTask``
(Apache-2.0, a test-only dependency), fed the same reliability data as
(coder, item, label) triples, with Krippendorff's difference functions written
out here from their definitions for the levels NLTK has no function for.

NLTK is imported when a figure is asked for, not when this module is: without
it, only the tests comparing with it fail (naming the missing package); the
rest of the run is still collected and run.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

Rows = Sequence[Sequence[Hashable | None]]


def triples(units: Rows) -> list[tuple[str, str, Hashable]]:
    """Reliability data (one row of coders' values per unit, None = missing) as
    NLTK's triples; a missing value is simply no triple."""
    return [(f"coder-{c}", f"unit-{u:05d}", value)
            for u, row in enumerate(units) for c, value in enumerate(row) if value is not None]


def pairable_counts(units: Rows) -> dict[Hashable, int]:
    """``n_c``: how often each value occurs in units with two or more values."""
    counts: dict[Hashable, int] = {}
    for row in units:
        present = [v for v in row if v is not None]
        if len(present) >= 2:
            for v in present:
                counts[v] = counts.get(v, 0) + 1
    return counts


def ordinal_distance(units: Rows) -> Callable[[Hashable, Hashable], float]:
    """Krippendorff's ordinal difference: ``(sum of n_g for g from c to k
    - (n_c + n_k) / 2) ** 2`` over the ranks in order (Krippendorff 2011, p. 6)."""
    counts = pairable_counts(units)
    order = sorted(counts)

    def distance(c: Hashable, k: Hashable) -> float:
        i, j = sorted((order.index(c), order.index(k)))
        between = sum(counts[g] for g in order[i:j + 1])
        return (between - (counts[c] + counts[k]) / 2) ** 2

    return distance


def ratio_distance(c: float, k: float) -> float:
    return 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2


def _annotation_task() -> Any:
    """NLTK's ``AnnotationTask``; a clear failure when the test dependency is missing."""
    try:
        from nltk.metrics.agreement import AnnotationTask
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"the reference agreement figures need NLTK, a test dependency "
            f"(pip install -e '.[test]'): {error}") from error
    return AnnotationTask


def nltk_alpha(units: Rows, level: str = "nominal") -> float:
    annotation_task = _annotation_task()
    from nltk.metrics.distance import binary_distance, interval_distance

    distance: Callable = {"nominal": binary_distance, "interval": interval_distance,
                          "ratio": ratio_distance}.get(level) or ordinal_distance(units)
    return annotation_task(triples(units), distance=distance).alpha()


def nltk_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float:
    """Cohen's kappa of two coders who both coded every unit."""
    return _annotation_task()(triples(pairs)).kappa()
